"""Read Accord's settings from the environment.

Every setting is an ``ACCORD_*`` variable. In production
(``ACCORD_ENV=production``) the secret key, the allowed hosts and the database
must be given explicitly; a missing one stops start-up with a message naming
it. In development a secret key is generated once and kept in the data
directory, so sessions survive restarts without a secret in the code.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PRODUCTION_REQUIRED = ("ACCORD_SECRET_KEY", "ACCORD_ALLOWED_HOSTS", "ACCORD_DATABASE_URL")
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """Parse a yes/no variable, refusing anything that is neither."""
    raw = environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(environ: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def is_production(environ: Mapping[str, str]) -> bool:
    env = environ.get("ACCORD_ENV", "development").strip().lower()
    if env not in {"development", "production"}:
        raise ImproperlyConfigured(f"ACCORD_ENV must be development or production, not {env!r}")
    return env == "production"


def check_production_settings(environ: Mapping[str, str]) -> None:
    """Fail loudly, naming every missing variable, when production lacks one."""
    missing = [name for name in PRODUCTION_REQUIRED if not environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(
            "Accord is running with ACCORD_ENV=production but these settings are missing: "
            + ", ".join(missing)
            + ". Set them in the environment (see README, 'Configuration')."
        )


def data_dir(environ: Mapping[str, str]) -> Path:
    path = Path(environ.get("ACCORD_DATA_DIR", "var")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def local_secret_key(directory: Path) -> str:
    """Return the development secret key, creating it once in ``directory``."""
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Created with owner-only permissions: it signs sessions.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
