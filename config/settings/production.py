import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

# HTTPS: the proxy terminates TLS and sets X-Forwarded-Proto (docs/deploy.md). BDTX_HTTPS=0 only on a
# closed network without TLS: then cookies travel over HTTP and neither HSTS nor the redirect is sent.
HTTPS = os.environ.get("BDTX_HTTPS", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("BDTX_HSTS_SECONDS", str(365 * 24 * 3600))) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_REDIRECT_EXEMPT: list[str] = []
SESSION_COOKIE_HTTPONLY = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False  # only what collectstatic wrote (base.py follows DJANGO_DEBUG, which defaults on)

# Mail goes out through SMTP, configured from the environment (a local MTA by default).
# DJANGO_EMAIL_BACKEND names another backend (a provider's API) that takes no SMTP options.
_email_backend = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": {
            "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
            "port": int(os.environ["DJANGO_EMAIL_PORT"]) if os.environ.get("DJANGO_EMAIL_PORT") else None,
            "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": os.environ.get("DJANGO_EMAIL_USE_TLS", "0") == "1",
            "use_ssl": os.environ.get("DJANGO_EMAIL_USE_SSL", "0") == "1",
            "timeout": int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "20")),
        }
        if _email_backend == "django.core.mail.backends.smtp.EmailBackend"
        else {},
    }
}
