"""Settings, all from environment variables (see README, "Configuration")."""

import json
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from core.cache import cache_settings, statistics_cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Without a key (DEBUG off) offline commands such as `score` and `makemigrations` still run; serving
# refuses to start (config/wsgi.py) and the system checks report it (accounts.checks).
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "core",  # before django_tasks_db: its db_worker command adds the recovery of abandoned tasks
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "reference",
    "enterprises",
    "assessments",
    "rewards",
    "providers",
    "zone",
    "anomalies",
    "bulkimport",
    "reports",
    "notifications",
    "demo",
    "ninja",
    "api",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.limits.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.limits.RequestBodyLimitMiddleware",
    "core.limits.ControlCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.EmailVerificationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "enterprises.context_processors.record_kinds",
                "notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "accounts.hashers.ParkArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Proxies in front of the site that append the client address to X-Forwarded-For (0: never trust the header).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
# Officers and administrators verify a second factor (accounts/two_factor.py); off by default only in DEBUG.
REQUIRE_2FA = env_bool("REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Zone reward scheme"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
# the site's own number formats per language (core/formats/), over Django's
FORMAT_MODULE_PATH = ["core.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
# Noto Sans SC for the Chinese text of PDF reports (npm package @expo-google-fonts/noto-sans-sc; reports/pdf.py).
REPORT_FONT_DIR = Path(os.environ.get("REPORT_FONT_DIR", NODE_MODULES / "@expo-google-fonts" / "noto-sans-sc"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Evidence files live outside any URL-served folder; only an access-checked view streams them.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
# Several web hosts: a storage they all share (e.g. "storages.backends.s3.S3Storage" after
# `pip install django-storages[s3]`), with its options as JSON; empty: the folder above.
EVIDENCE_STORAGE_BACKEND = os.environ.get("EVIDENCE_STORAGE_BACKEND", "")
EVIDENCE_STORAGE_OPTIONS = json.loads(os.environ.get("EVIDENCE_STORAGE_OPTIONS") or "{}")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Request-body limits (core/limits.py): over-size bodies answer 413 before anything reads them. Match the
# proxy's limit (nginx `client_max_body_size 21m`) to the largest of them.
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_BYTES", str(256 * 1024)))
EVIDENCE_BODY_MAX_BYTES = int(os.environ.get("EVIDENCE_BODY_MAX_BYTES", str(11 * 1024 * 1024)))
IMPORT_BODY_MAX_BYTES = int(os.environ.get("IMPORT_BODY_MAX_BYTES", str(21 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES  # form fields other than files
FILE_UPLOAD_HANDLERS = [
    "core.limits.BodyLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@example.org")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")  # links in emails
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # seconds; a hung mail server frees the worker

# The API's rate limits count in the default cache, the statistics page keeps its figures in "statistics": per
# process by default; with several gunicorn workers or hosts set CACHE_URL=redis://host:6379/0 so they count
# together and share the figures (core/cache.py).
CACHES = {
    "default": cache_settings(os.environ.get("CACHE_URL", "")),
    "statistics": statistics_cache_settings(os.environ.get("CACHE_URL", "")),
}

# Background tasks (Django's tasks API via django-tasks). The default backend keeps the queue in the database
# (django-tasks-db): `manage.py db_worker` processes it, any number of workers on any machines.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "5"))
TASK_RETRY_BASE_SECONDS = int(os.environ.get("TASK_RETRY_BASE_SECONDS", "60"))
TASK_LEASE_SECONDS = int(os.environ.get("TASK_LEASE_SECONDS", "600"))
# Bulk imports of more rows than this are applied by a worker (1,000 rows: about 0.4 s in the request).
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "1000"))
# Rounds with more verified assessments than this are ranked by a worker (10,000: about 0.6 s, 20,000: 1.2 s).
RANKING_BACKGROUND_ASSESSMENTS = int(os.environ.get("RANKING_BACKGROUND_ASSESSMENTS", "5000"))
IMPORT_PROGRESS_ROWS = 500  # a background import commits its progress every this many steps (row read, validated)
# Reminders (send_reminders): days before a round's submissions close, and before its review deadline.
REMINDER_SUBMISSION_DAYS = (7, 1)
REMINDER_REVIEW_DAYS = (3,)
INVITATION_VALID_DAYS = 7
EMAIL_VERIFICATION_DAYS = 3

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere (htmx's indicator styles are off, see base.html; they live in site.css);
# data: images are Bootstrap's SVG icons inside its CSS. json_script blocks are data, never executed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],  # the review page frames evidence previews (their own answer allows it)
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# One handler, on the root logger: Django's own loggers propagate to it instead of printing a second copy.
# LOG_FORMAT=json writes one JSON object a line; every line carries the request id and user id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "core.logging.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s] %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json" if os.environ.get("LOG_FORMAT", "text") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "axes": {"level": "WARNING"},
    },
}
