"""What every browser test does first: sign in through the real form, by keyboard."""

from __future__ import annotations

from typing import Any

from accord.core.testing.factories import TEST_PASSWORD


def sign_in(page: Any, base_url: str, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")  # keyboard submits the form
    page.wait_for_url(f"{base_url}/")
