"""Settings for Medborgarlöfte, read from the environment (and a local ``.env``).

One file for every environment: development defaults come from the generated,
git-ignored ``.env``; production sets real variables. See ``.env.example``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Who runs the service, named in the header and footer and on /om/; and where
# residents write: questions (CONTACT_EMAIL), accessibility problems and content in
# another format (ACCESSIBILITY_EMAIL, the law requires one), personal data and the
# data protection officer (PRIVACY_EMAIL). The example.se defaults are for the demo:
# `manage.py check --deploy` warns until they are set.
SERVICE_OWNER = env.str("SERVICE_OWNER", default="Medborgarlöfte, demoinstallation")
SERVICE_OWNER_URL = env.str("SERVICE_OWNER_URL", default="")
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="kontakt@example.se")
ACCESSIBILITY_EMAIL = env.str("ACCESSIBILITY_EMAIL", default=CONTACT_EMAIL)
PRIVACY_EMAIL = env.str("PRIVACY_EMAIL", default=CONTACT_EMAIL)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "pgtrigger",
    "pghistory",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "core",
    "accounts",
    "organizations",
    "situation",
    "promises",
    "activities",
    "followups",
    "importer",
    "public",
    "subscriptions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous cached pages, answered before sessions, auth and the rest (public.caching).
    "public.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionAndCacheMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before LoginRequiredMiddleware: a form posted after the session ended is kept.
    "core.session_timeout.SessionTimeoutMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",  # Django's, with a bounded "next"
    # request.user.is_verified(); then everyone with a second factor must have used it.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # With DATABASE_REPLICA_URL: anonymous public page views read from the replica.
    "core.replica.PublicReadsMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "medborgarlofte.urls"
WSGI_APPLICATION = "medborgarlofte.wsgi.application"

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
                "core.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# DATABASE_URL selects any PostgreSQL >= 15. Without it, an embedded PostgreSQL
# (pgserver's binaries) is started with its data in .pgdata/. Never SQLite.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    from core.embedded_db import EmbeddedDatabaseError, database_config

    try:
        DATABASES = {
            "default": database_config(
                Path(env.str("PGSERVER_DATA", default=BASE_DIR / ".pgdata")),
                start_timeout=env.float("PGSERVER_START_TIMEOUT", default=60),
            )
        }
    except EmbeddedDatabaseError as exc:
        # One Swedish sentence on stderr and exit status 1, not a traceback out of
        # the settings import (manage.py, pytest and make all stop on it).
        raise SystemExit(str(exc)) from None
# Parallel test runs on one server each need their own test database.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="") or None}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (checked before reuse): a new connection per request cost
# more than most uncached pages (issue 17: /healthz 7x faster with 60 s).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No request waits forever on the database: a connection that is not made within
# DATABASE_CONNECT_TIMEOUT seconds fails, and so does a statement that runs longer
# than DATABASE_STATEMENT_TIMEOUT seconds (0 switches it off, e.g. for a migration
# that rebuilds a large table). Values given in DATABASE_URL win.
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
if "statement_timeout" not in _db_options.get("options", ""):
    _statement_ms = round(env.float("DATABASE_STATEMENT_TIMEOUT", default=30) * 1000)
    _db_options["options"] = (
        f"{_db_options.get('options', '')} -c statement_timeout={_statement_ms}".strip()
    )
# A read replica for anonymous public pages (core/replica.py): same options as default,
# never migrated, and in tests the same database as default.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db_url("DATABASE_REPLICA_URL"),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASES["replica"].setdefault("OPTIONS", {}).update(
        {
            key: value
            for key, value in _db_options.items()
            if key not in DATABASES["replica"]["OPTIONS"]
        }
    )
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
# /healthz gives up on the database after this many seconds and answers 503.
HEALTHZ_DATABASE_TIMEOUT = env.float("HEALTHZ_DATABASE_TIMEOUT", default=2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://medborgarlofte")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's backend, with one Redis client per pool instead of one per call (core.cache).
    CACHES["default"]["BACKEND"] = "core.cache.RedisCache"
# Each worker keeps copies of this many bytes of cached public pages (public.caching).
PAGE_CACHE_LOCAL_BYTES = env.int("PAGE_CACHE_LOCAL_BYTES", default=32 * 1024 * 1024)

# --- Authentication -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Signing asks for the password and a second factor (TOTP or a passkey). A
# partnership can turn it off; new partnerships require it unless this says
# otherwise (off by default only in development, where the demo runs).
MFA_REQUIRED_FOR_SIGNING_DEFAULT = env.bool("MFA_REQUIRED_FOR_SIGNING", default=not DEBUG)

# Second factors: TOTP (django-otp), recovery codes, passkeys (WebAuthn).
OTP_TOTP_ISSUER = "Medborgarlöfte"
WEBAUTHN_RP_NAME = "Medborgarlöfte"
# Administrators must use a second factor (in production by default).
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=not DEBUG)
# Failed signing attempts (password or second factor) before signing is paused.
SIGNING_FAILURE_LIMIT = env.int("SIGNING_FAILURE_LIMIT", default=5)
SIGNING_COOLOFF_SECONDS = env.int("SIGNING_COOLOFF_MINUTES", default=15) * 60

# Login throttling: lock a username from one IP address after five failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Behind TRUSTED_PROXY_COUNT reverse proxies the client is read from X-Forwarded-For
# (core/clientip.py); without it, from REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
AXES_VERBOSE = False

# Password reset: at most this many requests per client address and per e-mail
# address in the window; past it the answer is the same and nothing is sent.
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", default=5)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60

# Sessions live in the database and end after an hour without activity.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve straight from the app folders until collectstatic has run (development, tests).
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
# The gzip open-data files (public/bulk.py); a volume every app node shares.
# Unset: MEDIA_ROOT/oppna-data.
BULK_ROOT = env.str("BULK_ROOT", default="") or None
# Files only members of a partnership may read: the source documents of imported
# promises and the uploads waiting for their review. Nothing serves this folder; a view
# streams each file after checking who asks.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private")))
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
}

# Importing an existing promise (importer/): the largest document accepted, and how
# long an upload waits for its review before it is removed.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_MB", default=10) * 1024 * 1024
IMPORT_PENDING_MAX_AGE_SECONDS = env.int("IMPORT_PENDING_MAX_AGE_HOURS", default=6) * 60 * 60

# --- E-mail and tasks ---------------------------------------------------------
# Django 6.1 mailers, from one EMAIL_URL (consolemail://, smtp+tls://user:pw@host:587 …).
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {key: value for key, value in _smtp_options.items() if value not in (None, "")}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Medborgarlöfte <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Notifications are Django tasks. Development and tests run them at once;
# production sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs
# `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND", default="django.tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# --- Forms --------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------
# A strict policy: nothing inline, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    # Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "pgserver": {"level": "WARNING"},
        # One line per finished task is noise in development; failures still show.
        "django.tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
