"""Fixtures shared by every test."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings

from accord.core.testing.world import World, build_world


def pytest_configure(config: pytest.Config) -> None:
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    # Hashing cost is a production concern; tests create many people.
    # Refusals are the point of many tests; their log lines are noise here.
    for name in ("django.request", "django.security"):
        logging.getLogger(name).setLevel(logging.ERROR)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    """The two-buyer, one-provider world with every persona and labelled record."""
    return build_world()
