"""Fixtures shared by every test."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

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
    # Every test Client loads the middleware afresh; WhiteNoise's production mode would
    # index every static file each time. Its development mode looks a file up on request.
    settings.WHITENOISE_AUTOREFRESH = True
    # Imports and recomputations run inside the request, so a test sees their outcome.
    settings.ACCORD_TASKS = "inline"


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> Path:
    """Each test stores operational data in a directory of its own."""
    path = tmp_path_factory.mktemp("data")
    settings.DATA_DIR = path
    return path


@pytest.fixture
def world(db: None) -> World:
    """The two-buyer, one-provider world with every persona and labelled record."""
    return build_world()
