"""`make run`: the site as production serves it, on one machine over plain HTTP (scripts/run.sh).

DEBUG is off, so people see what they will see in production: the Vietnamese error pages
(bdtx/core/errors.py) rather than Django's technical ones, and the static files that
`collectstatic` wrote into `$BDTX_VAR_DIR/staticfiles` with hashed names and pre-compressed copies,
served by WhiteNoise with far-future caching. Unlike config.settings.production: plain HTTP on this
machine (no HTTPS redirect, no HSTS, cookies not marked Secure), SQLite in `var/` unless
DATABASE_URL says otherwise, mail printed on the console, and a secret key made once per `var/`
unless DJANGO_SECRET_KEY gives one. Development with DEBUG and autoreload: config.settings.dev
(`manage.py runserver`).
"""

import os
import secrets
from pathlib import Path

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False


def _local_secret_key(path: Path) -> str:
    """The key in `path`, written there (readable by this user only) the first time."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


# Not the published development key: with DEBUG off a signed value (a password-reset link, the
# messages cookie) must not be forgeable by whoever reads this repository.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cached for ten years by browsers) and .gz (and .br, with the brotli package)
    # copies, which WhiteNoise sends to browsers that accept them.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False  # only what collectstatic wrote (base.py follows DJANGO_DEBUG)
