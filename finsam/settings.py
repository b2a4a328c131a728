"""Settings for Finsam Plan, read from environment variables.

DEBUG         "1"/"true" for local development; off by default.
SECRET_KEY    required when DEBUG is off.
DATABASE_URL  any database URL (sqlite:///path, postgres://user@host/db);
              a SQLite file next to manage.py when unset.
ALLOWED_HOSTS comma-separated host names; localhost when DEBUG is on.
TRUSTED_PROXY_COUNT
              how many reverse proxies in front of the app add themselves to
              X-Forwarded-For (0 by default: the header is ignored).
MEDIA_ROOT    where the kept PDFs are stored (a folder "media" next to manage.py when unset).
S3_BUCKET     store the kept PDFs in this S3-compatible bucket instead (needs django-storages;
              S3_ENDPOINT_URL for a store other than AWS, credentials as AWS_ACCESS_KEY_ID and
              AWS_SECRET_ACCESS_KEY).
PDF_RENDER_SECONDS  the time limit of one PDF render in the task worker (120 when unset).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from finsam.lib.proxies import client_address_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or env_bool("FINSAM_TESTING"):
        SECRET_KEY = "django-insecure-local-development-only"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when DEBUG is off."
        )

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "").split(",")
    if host.strip()
]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_tables2",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "finsam",
    "federations",
    "budgets",
    "interventions",
    "reports",
    "followup",
    "national",
    "compare",
    "board",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: the request's id is on every log line, and the access line times it all.
    "finsam.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "finsam.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "finsam.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "finsam.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # A persistent connection is checked before use, so the app recovers by
        # itself after the database has been away.
        conn_health_checks=True,
    )
}
# PostgreSQL's connection pool (psycopg_pool): DATABASE_POOL_SIZE connections at most per
# process, shared by its threads. A pool replaces persistent connections (CONN_MAX_AGE).
DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "0"))
if DATABASE_POOL_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from psycopg_pool import ConnectionPool

    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        # A request waits this long for a free connection, then fails with a 503.
        "timeout": 10,
        # A pooled connection is checked before use, so the app recovers by itself
        # after the database has been away (as conn_health_checks does without a pool).
        "check": ConnectionPool.check_connection,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and locks out (user name, address) after too many.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The sign-in throttle keys on the client's address (django-ipware reads it):
# X-Forwarded-For counts only behind TRUSTED_PROXY_COUNT trusted proxies.
try:
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or "0")
    _client_address = client_address_settings(TRUSTED_PROXY_COUNT)
except ValueError as error:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number, 0 or more.") from error
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_address["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = _client_address["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_PROXY_ORDER = _client_address["AXES_IPWARE_PROXY_ORDER"]
AXES_IPWARE_PROXY_TRUSTED_IPS = None
IPWARE_STRICT = _client_address["IPWARE_STRICT"]
AXES_CLIENT_IP_CALLABLE = "finsam.lib.proxies.client_ip_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if env_bool("FINSAM_TESTING"):
    # Tests create many users; a fast hasher keeps them quick. Never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times as 2026-11-29 14:03 in every language, shown and typed (finsam/formats/).
FORMAT_MODULE_PATH = ["finsam.formats"]
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The kept PDFs. Several app servers and task workers share them through an S3-compatible
# store (docs/operations.md); one server uses the local folder.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"
if os.environ.get("S3_BUCKET"):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "file_overwrite": True,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if env_bool("FINSAM_TESTING"):
    import tempfile

    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="finsam-test-media-"))
STORAGES = {
    "default": _default_storage,
    # Served by WhiteNoise, compressed, from STATIC_ROOT after collectstatic.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# PDFs are rendered by a task worker (`manage.py db_worker`), never in a web request; the
# queue is a table in the app's own database. Tests run tasks at once, in the test.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("FINSAM_TESTING")
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# One render may take this long; the worker then stops it and the page says it failed.
PDF_RENDER_SECONDS = int(os.environ.get("PDF_RENDER_SECONDS", "120"))
# Each render runs in a process of its own, forked from a render server that holds only
# WeasyPrint and the fonts, and exits afterwards with all its memory (reports.services).
# Tests render in their own process, to count and replace renders.
PDF_RENDER_IN_CHILD = not env_bool("FINSAM_TESTING")

LOGIN_URL = "login"
LOGOUT_REDIRECT_URL = "login"
LOGIN_REDIRECT_URL = "/"

# E-mail (invitations with a link to set a password). In production (DEBUG off) SMTP
# sends for real, with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and
# EMAIL_USE_TLS=1; in development the console backend prints each message on the
# server's standard output. EMAIL_BACKEND=smtp or console chooses explicitly.
_DEVELOPMENT = DEBUG or env_bool("FINSAM_TESTING")
if os.environ.get("EMAIL_BACKEND", "console" if _DEVELOPMENT else "smtp") == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": os.environ.get("EMAIL_USE_TLS", "") == "1",
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# The address the app is reached at, for links in e-mails sent by the task worker (which has
# no request to build them from), e.g. https://plan.example.se.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Finsam Plan <noreply@localhost>")
# An invitation's link to set a password is valid for a week.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Security. Scripts, styles, fonts and images come from this site only; no page
# or PDF loads anything from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
# htmx sends the CSRF token from the page, so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True

# Requests sized for the largest plan the limits allow (finsam.lib.limits; a test
# posts every editing page of such a plan): the admin's plan page posts every part
# of a plan at once, about 7 000 fields at 15 columns and 200 lines; the chief's
# budget grid about 4 000 for 100 interventions over 10 columns. Its 30 chapters of up to 50 000 characters take a few
# megabytes once percent-encoded. Beyond these the app's own 400 page answers;
# the reverse proxy's client_max_body_size (docs/operations.md) matches.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Errors go to stderr, where the service manager keeps them: a 500 with its path,
# the user's id and the traceback; never a request body, cookie or setting.
# Logs go to stderr, one line per record: JSON in production (LOG_FORMAT=json, the default
# when DEBUG is off), plain text in development. Every line carries the request's id, path
# and user id; each request also writes one access line (finsam.access: method, path,
# status, duration), on unless ACCESS_LOG=0 (runserver writes its own).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG or env_bool("FINSAM_TESTING") else "json")
ACCESS_LOG = env_bool("ACCESS_LOG", not (DEBUG or env_bool("FINSAM_TESTING")))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "finsam.request_log.RequestContextFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s [request=%(request_id)s path=%(path)s user=%(user_id)s]"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(path)s %(user_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_context"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        },
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        # 4xx are warnings here (a wrong address, a refused form): not errors.
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "finsam.access": {"handlers": ["stderr"], "level": "INFO" if ACCESS_LOG else "WARNING", "propagate": False},
    },
}

if not DEBUG:
    # Production runs behind a reverse proxy that ends TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [
        origin.strip() for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if origin.strip()
    ]
