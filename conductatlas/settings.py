"""Settings from the environment (cookiecutter-django style).

CONDUCTATLAS_ENV is `development` (the default: `make run`, the test suite) or `production`,
which refuses to start without SECRET_KEY and turns on the deployment hardening that
`manage.py check --deploy` asks for.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets admin.ModelAdmin[Model] and friends be subscripted at run time, as the type stubs declare them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


ENVIRONMENT = os.environ.get("CONDUCTATLAS_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"CONDUCTATLAS_ENV must be 'development' or 'production', not {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (CONDUCTATLAS_ENV=production)")
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "django_tasks_db",
    "rest_framework_api_key",
    "conductatlas",
    "platforms",
    "provisions",
    "monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "conductatlas.urls"
WSGI_APPLICATION = "conductatlas.wsgi.application"

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

# SQLite is only the embedded default of `make run`; tests and production use PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The audit history is written by PostgreSQL triggers; its admin browser needs PostgreSQL too.
    INSTALLED_APPS.append("pghistory.admin")
    # psycopg's connection pool (DATABASE_POOL_MAX_SIZE > 0), shared by a worker's threads; it replaces
    # persistent connections, which Django does not combine with it.
    POOL_MAX_SIZE = int(os.environ.get("DATABASE_POOL_MAX_SIZE", "8" if PRODUCTION else "0"))
    if POOL_MAX_SIZE:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, POOL_MAX_SIZE),
            "max_size": POOL_MAX_SIZE,
            "timeout": 10,
        }

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Comparisons, categories and the regulatory matrix are cached under a data generation (conductatlas.api.caching);
# off only to measure what an uncached read costs.
API_RESPONSE_CACHE = env_bool("API_RESPONSE_CACHE", default=True)

# Background work (tracking, deliveries): the database backend, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Fetching. FETCH_ALLOWED_ADDRESSES lets otherwise refused addresses through: only the test suite sets it.
FETCH_ALLOWED_ADDRESSES: list[str] = []
FETCH_MAX_BYTES = int(os.environ.get("FETCH_MAX_BYTES", str(10 * 1024 * 1024)))
FETCH_TIMEOUTS = {"connect": 10.0, "read": 20.0, "write": 10.0, "pool": 5.0}
FETCH_TOTAL_SECONDS = 60.0

# Monitoring: watches, webhooks and alerts.
WATCH_PLATFORM_LIMIT = int(os.environ.get("WATCH_PLATFORM_LIMIT", "10"))
WEBHOOK_LIMIT = int(os.environ.get("WEBHOOK_LIMIT", "5"))
# Seconds before each retry of a failed delivery: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (27.6 hours in all).
WEBHOOK_RETRY_DELAYS: list[float] = [5, 300, 1800, 7200, 18000, 36000, 36000]
WEBHOOK_DISABLE_AFTER = timedelta(days=3)
WEBHOOK_TIMEOUT_SECONDS = 10.0
# Only the test suite lets plain-http receivers through (its receivers run on 127.0.0.1 without TLS).
WEBHOOK_ALLOW_HTTP = False
# Webhook secrets are stored encrypted with a key derived from this (or SECRET_KEY when it is empty).
WEBHOOK_ENCRYPTION_KEY = os.environ.get("WEBHOOK_ENCRYPTION_KEY", "")
# Links in alerts, webhooks and digests are absolute, from this base.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# Django 6.1's MAILERS; a console mailer outside production, so that a newcomer sees what would be sent.
if PRODUCTION or os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ConductAtlas <alerts@conductatlas.invalid>")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic writes here in production; development serves from the apps (WHITENOISE_USE_FINDERS).
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles")) if PRODUCTION else None
# Serve app static files (the Swagger UI assets) straight from the apps without collectstatic in development.
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "conductatlas.api.schema.AutoSchema",
    # orjson: rendering a large comparison is several times faster than with the standard library.
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["drf_orjson_renderer.parsers.ORJSONParser"],
    # The key first: its `WWW-Authenticate: Api-Key` makes failed authentication a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "conductatlas.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["conductatlas.api.filtering.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "conductatlas.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "conductatlas.api.errors.exception_handler",
    # One limit per client (per address when anonymous), counted in the cache: Redis in production, so
    # that every process shares it.
    "DEFAULT_THROTTLE_CLASSES": ["conductatlas.api.throttling.TierRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": os.environ.get("THROTTLE_ANONYMOUS", "60/minute"),
        "free": os.environ.get("THROTTLE_FREE", "600/minute"),
        "professional": os.environ.get("THROTTLE_PROFESSIONAL", "3000/minute"),
        "staff": os.environ.get("THROTTLE_STAFF", "3000/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ]

SPECTACULAR_SETTINGS = {
    "TITLE": "ConductAtlas API",
    "DESCRIPTION": (
        "Open governance-intelligence data: every archived version of what AI platforms publish about how "
        "they treat their users. Every error has the same shape (see the `Error` schema).\n\n"
        "**Rate limits**, per client (per address when anonymous): anonymous "
        f"{REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anonymous']}, free key "  # type: ignore[index]
        f"{REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['free']}, professional key "  # type: ignore[index]
        f"{REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['professional']}. "  # type: ignore[index]
        "Over the limit: `429` with `Retry-After` (seconds). Send a key as `Authorization: Api-Key <key>`; "
        "watches, alerts, webhooks and exports need a professional key."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SignificanceEnum": "platforms.significance.Significance",
        "SearchHitKindEnum": ["provision", "document"],
        "SearchRankingEnum": ["all_matches", "newest_matches"],
        "PlatformKindEnum": "platforms.models.Platform.Kind",
        "RelinkOutcomeEnum": ["unchanged", "moved", "modified", "removed"],
    },
    "LICENSE": {"name": "Data: ODC-By 1.0 (Open Terms Archive)"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
