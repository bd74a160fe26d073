"""Django settings for Accord, every value from the environment (see accord.config)."""

from __future__ import annotations

import os
from datetime import timedelta

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from accord.config import (
    check_production_settings,
    data_dir,
    env_bool,
    env_list,
    is_production,
    local_secret_key,
)

ENV = os.environ
PRODUCTION = is_production(ENV)
if PRODUCTION:
    check_production_settings(ENV)

DATA_DIR = data_dir(ENV)
DEBUG = env_bool(ENV, "ACCORD_DEBUG", default=False)
SECRET_KEY = ENV.get("ACCORD_SECRET_KEY") or local_secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list(ENV, "ACCORD_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "accord.core",
    "accord.parties",
    "accord.notes",
    "accord.contracts",
    "accord.performance",
    "accord.health",
    "accord.planning",
    "accord.governance",
    "accord.issues",
    "accord.attention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accord.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accord.core.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accord.urls"
WSGI_APPLICATION = "accord.wsgi.application"
AUTH_USER_MODEL = "parties.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portfolio"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Databases: SQLite under the data directory unless a URL is given --------
DATABASE_URL = ENV.get("ACCORD_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'accord.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two writers
    # never both read the audit chain head before one of them appends to it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Throttle repeated sign-in failures per user name and address.
AXES_FAILURE_LIMIT = int(ENV.get("ACCORD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions end after a period of inactivity (every request renews them).
SESSION_COOKIE_AGE = int(ENV.get("ACCORD_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Security in production -------------------------------------------------
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool(ENV, "ACCORD_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(ENV.get("ACCORD_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = ENV.get("ACCORD_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files: pinned, committed, served by the app ---------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# --- Uploads and background work --------------------------------------------
# Uploads stream to disk past 2.5 MB; imports of any size the disk allows.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "uploads")
(DATA_DIR / "uploads").mkdir(parents=True, exist_ok=True)
# "thread": long work (imports, recomputing scorecards) runs beside the web
# request in this process; "inline": it runs inside the request (tests, CLI).
ACCORD_TASKS = ENV.get("ACCORD_TASKS", "thread")
if ACCORD_TASKS not in {"thread", "inline"}:
    raise ImproperlyConfigured(f"ACCORD_TASKS must be thread or inline, not {ACCORD_TASKS!r}")

# Periodic jobs (escalation clock, daily digest) on a thread of the web process;
# "off" where cron runs `accord escalate_issues` and `accord send_digest` instead.
ACCORD_TICKER = env_bool(ENV, "ACCORD_TICKER", default=True)
ACCORD_TICK_SECONDS = int(ENV.get("ACCORD_TICK_SECONDS", "60"))
# The local hour after which the daily digest of notifications goes out.
ACCORD_DIGEST_HOUR = int(ENV.get("ACCORD_DIGEST_HOUR", "7"))

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = ENV.get("ACCORD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = ENV.get("ACCORD_FROM_EMAIL", "accord@localhost")
# SMTP: set ACCORD_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and these.
EMAIL_HOST = ENV.get("ACCORD_EMAIL_HOST", "localhost")
EMAIL_PORT = int(ENV.get("ACCORD_EMAIL_PORT", "25"))
EMAIL_HOST_USER = ENV.get("ACCORD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = ENV.get("ACCORD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool(ENV, "ACCORD_EMAIL_TLS", default=False)
EMAIL_TIMEOUT = 30
# Where links in e-mails point (the site's address as people reach it).
ACCORD_BASE_URL = ENV.get("ACCORD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accord.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "accord.core.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "accord.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Accord API",
    "DESCRIPTION": "One set of numbers for a buyer and its provider. "
    "Every endpoint answers only what the caller may see; hidden records answer 404.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status"; each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "ScopeStatusEnum": "accord.contracts.models.ScopeStatus",
        "ResultStatusEnum": "accord.performance.models.STATUS_CHOICES",
        "ImportStatusEnum": "accord.performance.models.ImportStatus",
        "RunStatusEnum": "accord.performance.models.RunStatus",
        "ExcusalStatusEnum": "accord.performance.models.ExcusalStatus",
        "RelationshipStatusEnum": "accord.parties.models.RelationshipStatus",
        "SideEnum": "accord.core.choices.Side",
        "RoleEnum": "accord.core.choices.RoleName",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/semantic.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.get("ACCORD_LOG_LEVEL", "WARNING")},
}
