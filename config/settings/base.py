"""Settings shared by every environment. Secrets and hosts come from the environment."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("BDTX_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "bdtx.core",
    "bdtx.organisations",
    "bdtx.people",
    "bdtx.accounts",
    "bdtx.notifications",
    "bdtx.imports",
    "bdtx.regimes",
    "bdtx.standards",
    "bdtx.catalog",
    "bdtx.plans",
    "bdtx.training",
    "bdtx.results",
    "bdtx.certificates",
    "bdtx.records",
    "bdtx.summaries",
    "bdtx.yearreports",
    "bdtx.bieu3",
    "bdtx.dashboards",
    "bdtx.surveys",
    "bdtx.api",
    "bdtx.home",
    "bdtx.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",  # before WhiteNoise: static files get it too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON gzip-compressed (static files come compressed from WhiteNoise, above it).
    "bdtx.core.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bdtx.core.middleware.LanguageMiddleware",
    "bdtx.core.middleware.QueryStringGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "bdtx.core.middleware.HtmxVaryMiddleware",
    "bdtx.accounts.middleware.ScopeMiddleware",
    # After sign-in with a one-time password, every page but the change form sends there.
    "bdtx.accounts.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "bdtx.core.errors.csrf_failure"  # Vietnamese, with a way back
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bdtx" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "bdtx.accounts.context_processors.scope",
            ],
        },
    },
]

# SQLite (WAL) is the embedded default; DATABASE_URL=postgres://… selects PostgreSQL.
_sqlite_path = VAR_DIR / "bdtx.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{_sqlite_path}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in throttling (docs/deploy.md). An account locks after LOGIN_FAILURE_LIMIT wrong passwords
# within the window, until the window passes, a password reset or an administrator unlocks it.
# Failures for a user name that does not exist lock no account. An address is never locked out:
# after LOGIN_ADDRESS_FAILURE_LIMIT failures within the window it waits before each further try,
# twice as long each time (1 s, 2 s, 4 s …), at most LOGIN_ADDRESS_MAX_DELAY_SECONDS.
LOGIN_FAILURE_LIMIT = int(os.environ.get("BDTX_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("BDTX_LOGIN_FAILURE_WINDOW_MINUTES", "15"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("BDTX_LOGIN_ADDRESS_FAILURE_LIMIT", str(LOGIN_FAILURE_LIMIT * 10)))
LOGIN_ADDRESS_MAX_DELAY_SECONDS = int(os.environ.get("BDTX_LOGIN_ADDRESS_MAX_DELAY_SECONDS", "60"))
# Password-reset mails within an hour: per account (silently: the page never says whether an account
# exists) and per address.
PASSWORD_RESET_ACCOUNT_LIMIT = int(os.environ.get("BDTX_PASSWORD_RESET_ACCOUNT_LIMIT", "3"))
PASSWORD_RESET_ADDRESS_LIMIT = int(os.environ.get("BDTX_PASSWORD_RESET_ADDRESS_LIMIT", "10"))
# The client's address is the connection's, unless this many reverse proxies stand in front of the
# web processes, each appending to X-Forwarded-For (bdtx.core.http.client_ip). Behind the nginx of
# docs/deploy.md: 1. Never more than there are: the client would then choose its own address.
TRUSTED_PROXIES = int(os.environ.get("BDTX_TRUSTED_PROXIES", "0"))

# Certificates (docs/deploy.md): the secret the issuers' private signing keys are encrypted with
# (empty: derived from SECRET_KEY; set it, and back it up, in production).
BDTX_CERTIFICATE_KEY_SECRET = os.environ.get("BDTX_CERTIFICATE_KEY_SECRET", "")

# Content-Security-Policy on every response: scripts, styles, images and requests only from this
# site, no inline script or event handler (the pages' behaviour is in bdtx/static/bdtx/bdtx.js), no
# eval, no plugins, never framed, forms post only here: script inside an uploaded HTML or SVG file
# that a browser renders from this origin does not run. The nonce is for the Django admin's one
# inline <style>; our templates use none.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],  # Bootstrap draws its icons (select arrow, close, toggler) as data: SVG
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "bdtx" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "bdtx" / "static"]  # site-wide CSS, JS and vendored libraries
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Development prints mail on the console; production sends it by SMTP (config/settings/production.py).
MAILERS: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "BDTX <no-reply@bdtx.local>")
# The site's address as people reach it (`bdtx.core.http.site_url`): the links in notification e-mails
# (sent by the background worker, which has no request to read it from) and in certificates' QR codes
# (empty: the address of the request that started the issuance, else the development server's).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BDTX API",
    "DESCRIPTION": "Bồi dưỡng thường xuyên: units and staff, filtered by the caller's scope.",
    "VERSION": "0.1.0",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],  # the schema: signed-in users only
}

# The bounds of an import (bdtx/core/importing/bounds.py), each measured by streaming the file and
# stopping at the limit: an uploaded .xlsx is refused above IMPORT_MAX_UPLOAD_BYTES as sent, above
# IMPORT_MAX_UNCOMPRESSED_BYTES once unpacked (all its parts together), with a sheet of more than
# IMPORT_MAX_ROWS rows (a province's staff fits) or making a table of more than IMPORT_MAX_CELLS
# cells (rows × columns up to the last column holding a value), or with a cell of more than
# IMPORT_MAX_CELL_CHARS characters (Excel's own limit).
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("BDTX_IMPORT_MAX_UPLOAD_BYTES", str(20 * 2**20)))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("BDTX_IMPORT_MAX_UNCOMPRESSED_BYTES", str(256 * 2**20)))
IMPORT_MAX_ROWS = int(os.environ.get("BDTX_IMPORT_MAX_ROWS", "200000"))
IMPORT_MAX_CELLS = int(os.environ.get("BDTX_IMPORT_MAX_CELLS", "5000000"))
IMPORT_MAX_CELL_CHARS = int(os.environ.get("BDTX_IMPORT_MAX_CELL_CHARS", "32767"))
# The upload request only sniffs a file: it unpacks at most IMPORT_INLINE_MAX_BYTES of it. A file seen
# whole within them, with at most IMPORT_BACKGROUND_ROWS rows, is checked right after the request;
# any other file by the background worker, with a progress bar.
IMPORT_INLINE_MAX_BYTES = int(os.environ.get("BDTX_IMPORT_INLINE_MAX_BYTES", str(2 * 2**20)))
IMPORT_BACKGROUND_ROWS = int(os.environ.get("BDTX_IMPORT_BACKGROUND_ROWS", "500"))
# Learning materials (a module's files and videos) and evidence of a self-assessment: the most an
# upload may weigh. What they are is checked by content (bdtx/core/uploads.py).
MATERIAL_MAX_BYTES = int(os.environ.get("BDTX_MATERIAL_MAX_BYTES", str(200 * 2**20)))
EVIDENCE_MAX_BYTES = int(os.environ.get("BDTX_EVIDENCE_MAX_BYTES", str(10 * 2**20)))
# A running import whose worker has not reported for this long is marked failed (its worker died);
# the user may retry it. Longer than the longest write (about 70 s for 200,000 rows).
IMPORT_JOB_LEASE_SECONDS = int(os.environ.get("BDTX_IMPORT_JOB_LEASE_SECONDS", "600"))
# After an import that wrote at least this many rows, PostgreSQL's planner statistics are refreshed
# (ANALYZE, 3.6 s on the national database): autovacuum waits for a tenth of a table to change, and a
# province's new school year in a national table looked empty to the planner until then.
IMPORT_ANALYZE_ROWS = int(os.environ.get("BDTX_IMPORT_ANALYZE_ROWS", "5000"))

# Reports and dashboards sum per-unit summaries (bdtx.summaries); a page recomputes up to this many
# changed units itself (a school takes a few milliseconds), more in the background with a progress bar.
SUMMARIES_INLINE_LIMIT = int(os.environ.get("BDTX_SUMMARIES_INLINE_LIMIT", "100"))
# A background computation that shows no progress for this long is taken as dead (its worker stopped):
# the next page starts another.
SUMMARIES_JOB_LEASE_SECONDS = int(os.environ.get("BDTX_SUMMARIES_JOB_LEASE_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
