"""Settings, read from the environment with safe defaults.

DJANGO_ENV selects the mode: ``production`` (the default for WSGI/ASGI), ``development`` (set by manage.py and
`make run`) or ``test``. Production refuses to start without SECRET_KEY and never turns DEBUG on by itself.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from zhaoshang.core import crypto

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENV = os.environ.get("DJANGO_ENV", "production")
if ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be production, development or test, not {ENV!r}")
PRODUCTION = ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def development_secret_key() -> str:
    """A key generated once per checkout and kept in var/ (ignored by git)."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (DJANGO_ENV=production)")
    SECRET_KEY = development_secret_key()
# The audit chain has its own key, kept outside the database, so that rotating SECRET_KEY does not invalidate old
# rows and a database administrator cannot forge them.
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "")
if not AUDIT_HMAC_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY must be set in production (DJANGO_ENV=production)")
    AUDIT_HMAC_KEY = SECRET_KEY
# The audit chain (zhaoshang/core/audit.py): HMAC-SM3 under AUDIT_HMAC_KEY, recorded per row as AUDIT_HMAC_KEY_ID;
# after a rotation AUDIT_HMAC_KEYS keeps retired keys by id. Each committed append also appends the signed head to
# an append-only file outside the database (verify_audit compares the database with it).
AUDIT_HMAC_KEY_ID = os.environ.get("AUDIT_HMAC_KEY_ID", "sm3-1")
# Rotation (docs/deploy.md): the new key becomes AUDIT_HMAC_KEY under a new AUDIT_HMAC_KEY_ID, and the old one moves
# here as "sm3-1:<key>,…" so the rows and checkpoints it signed still verify.
AUDIT_HMAC_KEYS = dict(
    entry.strip().split(":", 1) for entry in os.environ.get("AUDIT_HMAC_RETIRED_KEYS", "").split(",") if entry.strip()
)
AUDIT_CHECKPOINT_PATH = Path(os.environ.get("AUDIT_CHECKPOINT_PATH", VAR_DIR / "audit" / "checkpoints.log"))
AUDIT_CHECKPOINT_AT_COMMIT = True  # tests write it inside their (rolled back) transactions: zhaoshang/conftest.py
if PRODUCTION and len(AUDIT_HMAC_KEY.encode()) < 32:
    raise ImproperlyConfigured(
        "AUDIT_HMAC_KEY is too short: production needs at least 32 bytes (e.g. `head -c 32 /dev/urandom | base64`)"
    )


def development_crypto_keys() -> str:
    """Data-encryption keys generated once per checkout into var/ (one ``id:base64`` line per key; the last one is
    active unless CRYPTO_ACTIVE_KEY_ID says otherwise). Append a line to rotate, then ``manage.py crypto_rotate``."""
    path = VAR_DIR / "crypto_keys"
    if not path.exists():
        path.write_text(f"dev{secrets.token_hex(3)}:{crypto.generate_key()}\n")
        path.chmod(0o600)
    return path.read_text()


# Keys of the commercial cryptography (SM4 for personal fields, HMAC-SM3 for their search indexes), by id so that
# they can be rotated: CRYPTO_KEYS="2026a:<base64>,2025b:<base64>", CRYPTO_ACTIVE_KEY_ID=2026a (core/crypto.py).
_crypto_keys = os.environ.get("CRYPTO_KEYS", "")
if not _crypto_keys:
    if PRODUCTION:
        raise ImproperlyConfigured("CRYPTO_KEYS must be set in production (DJANGO_ENV=production)")
    _crypto_keys = development_crypto_keys()
CRYPTO_KEYS = crypto.parse_keyring(_crypto_keys)
CRYPTO_ACTIVE_KEY_ID = os.environ.get("CRYPTO_ACTIVE_KEY_ID", "") or (
    "" if PRODUCTION else next(reversed(CRYPTO_KEYS), "")
)
if PRODUCTION and not CRYPTO_ACTIVE_KEY_ID:
    raise ImproperlyConfigured("CRYPTO_ACTIVE_KEY_ID must be set in production (DJANGO_ENV=production)")
crypto.check_keyring(CRYPTO_KEYS, CRYPTO_ACTIVE_KEY_ID)

DEBUG = env_bool("DEBUG", ENV == "development")
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("DEBUG cannot be on in production")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not PRODUCTION:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver", "[::1]"]
elif not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated host names)")
# Number of reverse proxies in front of the platform; their X-Forwarded-For entries give the client's address.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "zhaoshang.core",
    "zhaoshang.regions",
    "zhaoshang.accounts",
    "zhaoshang.catalog",
    "zhaoshang.stats",
    "zhaoshang.dashboard",
    "zhaoshang.investors",
    "zhaoshang.projects",
    "zhaoshang.chains",
    "zhaoshang.aftercare",
    "zhaoshang.risk",
    "zhaoshang.portal",
]
# The apps from the bottom up: an app imports only from the apps before it (DESIGN, "Directions"). Written once here;
# `zhaoshang/core/tests/test_layering.py` enforces it and `manage.py architecture_map` prints it into the README.
APP_LAYERS = ["core", "regions", "accounts", "catalog", "investors", "projects", "chains", "aftercare", "risk"]
APP_LAYERS += ["stats"]
APP_LAYERS += ["dashboard", "portal"]

# Notifications by e-mail (aftercare), through Django's mailers: the console in development; production sets an
# SMTP backend and its host (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend, EMAIL_HOST, EMAIL_PORT).
MAILERS = {
    "default": {
        # Production sends through SMTP (a local relay unless EMAIL_HOST says otherwise); elsewhere the console.
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": (
            {"host": os.environ["EMAIL_HOST"], "port": int(os.environ.get("EMAIL_PORT", "25"))}
            if os.environ.get("EMAIL_HOST")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@zhaoshang.yn.gov.cn")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (SECURE_CSP below): no inline script anywhere.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhaoshang.core.middleware.RequestContextMiddleware",
    # Control characters in an address or query string, a NUL in a body: 400 before any view (core/inputs.py).
    "zhaoshang.core.inputs.ControlCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhaoshang.core.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Administrators' pages from the allowed networks only; then a one-time or expired password is changed first.
    "zhaoshang.core.middleware.AdminNetworkMiddleware",
    "zhaoshang.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Refused attempts of signed-in users (out of scope, no permission) go to the audit trail, rate-limited.
    "zhaoshang.core.refusals.RefusalAuditMiddleware",
]

# Content-Security-Policy (Django's own, django.middleware.csp): scripts only from our static files — no inline
# <script>, no on…= handler, no eval (htmx's eval is off in base.html) — and nothing from another origin (no CDN on
# an intranet). Page data travels in json_script blocks (type="application/json": data, never run). Inline styles
# stay allowed: 33 style="" attributes, the colour markers ECharts writes into its tooltips and htmx's indicator
# style; a style cannot run script. core/tests/test_csp.py holds every page and template to this.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],  # Bootstrap's form icons are data: SVGs
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhaoshang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhaoshang.core.menu.menu_context",
            ],
            # money and month ranges on every page: {{ amount|wan }}, {{ amount|yi }}, {{ period|period_label }}
            "builtins": ["zhaoshang.core.templatetags.formatting"],
        },
    },
]

# Database: DATABASE_URL (PostgreSQL in production), else the embedded SQLite in WAL mode.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks (TASKS_BACKEND): see "Serving and background work" at the end of this file.

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["zhaoshang.accounts.backends.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "zhaoshang.accounts.validators.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Not the platform's own name (zhaoshang, yunnan, 招商, 云南…), not one of the last 5 passwords.
    {"NAME": "zhaoshang.accounts.validators.PlatformWordValidator"},
    {"NAME": "zhaoshang.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
# PBKDF2-SM3 first: a PBKDF2-SHA256 hash (Django's default, every account made before it) is re-hashed at login.
PASSWORD_HASHERS = [
    "zhaoshang.core.hashers.PBKDF2SM3PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCK_MINUTES = 30
API_TOKEN_LIFETIME = timedelta(hours=int(os.environ.get("API_TOKEN_HOURS", "12")))

# Retention of personal information in days (PIPL art. 19); `manage.py pii_purge`, run daily, deletes what is older.
# See docs/decisions.md "Personal information". The audit trail is kept AUDIT_RETENTION_DAYS at least and not purged.
PII_RETENTION_DAYS = {
    "contacts": int(os.environ.get("PII_CONTACT_RETENTION_DAYS", 3 * 365)),  # untouched, unfollowed, no activity
    "disabled_user_phones": int(os.environ.get("PII_DISABLED_USER_PHONE_DAYS", 365)),  # disabled, unused accounts
    "job_files": int(os.environ.get("PII_JOB_FILE_DAYS", 90)),  # uploaded imports and generated results
    "sessions": 0,  # expired sessions
    "enquiries": int(os.environ.get("PII_ENQUIRY_RETENTION_DAYS", 365)),  # the public site's enquiries (portal)
}
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", 3 * 365))  # 网络安全法 art. 21: at least 180
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 180 (网络安全法 art. 21)")
# Account controls of 等保 level 3 (docs/decisions.md "Accounts: a second factor, password age, idle accounts").
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))  # 0: passwords never expire
ACCOUNT_INACTIVE_DAYS = int(os.environ.get("ACCOUNT_INACTIVE_DAYS", "90"))  # unused this long: disabled; 0: never
# Password + TOTP for every internal user. Always on in production; in development and test only with
# MFA_REQUIRED=1, so that the README's demo accounts sign in with their password (an enrolled user is always asked).
MFA_REQUIRED = True if PRODUCTION else env_bool("MFA_REQUIRED", False)
MFA_ISSUER = "云南智慧招商平台"
MFA_PENDING_SECONDS = 300  # between the password and the second factor


def _networks(text: str) -> list:
    import ipaddress

    try:
        return [ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise ImproperlyConfigured(f"ADMIN_ALLOWED_NETWORKS: {error}") from error


# Administrators' pages answer only to these client addresses (CIDR list). Required in production.
ADMIN_ALLOWED_NETWORKS = _networks(os.environ.get("ADMIN_ALLOWED_NETWORKS", "" if PRODUCTION else "0.0.0.0/0,::/0"))
if PRODUCTION and not ADMIN_ALLOWED_NETWORKS:
    raise ImproperlyConfigured(
        "ADMIN_ALLOWED_NETWORKS must be set in production (CIDR list of the administrators' workstations)"
    )
ADMIN_PATH_PREFIXES = ("/admin/", "/accounts/users/", "/accounts/changes/", "/audit/")
# A running job that has not reported progress for this long was killed: it is marked failed (manage.py jobs_reap).
JOB_STALE_MINUTES = int(os.environ.get("JOB_STALE_MINUTES", "15"))

# Idle timeout: the session lives 30 minutes and every request renews it.
SESSION_COOKIE_AGE = 30 * 60
SESSION_RENEW_SECONDS = 60  # the idle expiry is renewed at most once a minute (core.middleware)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
# The public site (portal, /invest/ and /en/invest/) is in these languages; the bureaus' pages stay in Chinese.
# Another language (my, lo, vi) is added here with its catalog under zhaoshang/portal/locale.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "zhaoshang" / "locale"]  # strings Django 6.1 leaves untranslated
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"  # filled by `manage.py collectstatic` in production
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads (zhaoshang/core/uploads.py): a file past the largest upload limit is counted, not kept, while the request
# is read; the form refuses it by its size. UPLOAD_LIMITS (a dict) overrides the import limits defined there.
FILE_UPLOAD_HANDLERS = [
    "zhaoshang.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Attachments (core.attachments): kept outside STATIC_ROOT and the media folder, where nothing serves them; only the
# scoped download view reads this folder. Limits per file and, for zip packages (.docx, .xlsx, .ofd), checked before
# anything is decompressed.
ATTACHMENTS_ROOT = Path(os.environ.get("ATTACHMENTS_ROOT", VAR_DIR / "private" / "attachments"))
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", "20")) * 1024 * 1024
ATTACHMENT_ZIP_MAX_ENTRIES = int(os.environ.get("ATTACHMENT_ZIP_MAX_ENTRIES", "2000"))
ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("ATTACHMENT_ZIP_MAX_UNCOMPRESSED_MB", "200")) * 1024 * 1024
ATTACHMENT_ZIP_MAX_RATIO = int(os.environ.get("ATTACHMENT_ZIP_MAX_RATIO", "100"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous API call gets 401 with a WWW-Authenticate header.
        "zhaoshang.accounts.backends.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "zhaoshang.core.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "云南智慧招商平台 API",
    "DESCRIPTION": "所有列表与详情均按用户所属辖区过滤；辖区外对象返回 404。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from the installed sidecar package: no CDN on an intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set used by several fields (the stage of a project and the target of a transition).
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "zhaoshang.projects.choices.Stage",
        "TicketStateEnum": "zhaoshang.aftercare.choices.TicketState",
        "PromiseStateEnum": "zhaoshang.aftercare.choices.PromiseState",
        "TransferStatusEnum": "zhaoshang.projects.models.transfer.TransferStatus",
    },
    # Every operation also documents the errors shared code answers (400/401/403/404/409): core/openapi.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "zhaoshang.core.openapi.document_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint (the 项目册 PDF) reports every layout step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}

# Production hardening, so that `manage.py check --deploy` passes.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"


# --- Serving and background work (issue 19; docs/deploy.md) --------------------------------------------------------
# PostgreSQL connections come from a psycopg pool per process (at most DB_POOL_MAX_SIZE each, returned at the end of
# every request), so no number of requests can exhaust the server: total ≤ processes × DB_POOL_MAX_SIZE. The test
# suite keeps plain connections unless DB_POOL_MAX_SIZE is set. A SQLite DATABASE_URL gets the WAL options above.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _pool_max = int(os.environ.get("DB_POOL_MAX_SIZE", "0" if ENV == "test" else "4"))
    if _pool_max > 0:
        from psycopg_pool import ConnectionPool

        DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django's pooling refuses persistent connections
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # the pool checks a connection before lending it
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": _pool_max,
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
            "max_idle": 300,
            "check": ConnectionPool.check_connection,
        }
elif DATABASE_URL.startswith("sqlite"):
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# A streaming replica for the heavy read pages (cockpit, rankings, reports), off unless DATABASE_REPLICA_URL is set:
# zhaoshang.core.routers sends reads there only on the GET pages named in REPLICA_VIEWS and never inside a write.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=0)
    DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {})}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["zhaoshang.core.routers.ReplicaRouter"]
# 全年预计 (stats/projection.py): the 序时进度 page flags a region projected to miss its annual target by more than
# this many percent of it.
PROJECTION_ALERT_MARGIN_PCT = os.environ.get("PROJECTION_ALERT_MARGIN_PCT", "10")
REPLICA_VIEWS = ["dashboard:cockpit", "stats:rankings", "stats:schedule", "projects:library_book_xlsx"]

# django.tasks: TASKS_BACKEND is "immediate" (run in the request, after its commit), "database" (a queue table read
# by `manage.py run_workers`, django-tasks-db) or a dotted backend path. Production defaults to the database queue;
# `make run` and `make serve` start workers. Time limit, attempts and retry delay are enforced by run_workers.
_tasks_backends = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks_backend = os.environ.get("TASKS_BACKEND", "") or ("database" if PRODUCTION else "immediate")
TASKS = {"default": {"BACKEND": _tasks_backends.get(_tasks_backend, _tasks_backend)}}
INSTALLED_APPS += ["django_tasks_db"]
TASKS_TIME_LIMIT = int(os.environ.get("TASKS_TIME_LIMIT", "3600"))  # seconds a task may run before it is killed
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "3"))  # runs of a task interrupted by a lost worker
TASKS_RETRY_DELAY = int(os.environ.get("TASKS_RETRY_DELAY", "10"))  # seconds before the first retry, doubling

# Health (/healthz) and readiness (/readyz) answer before host checks and HTTPS redirects: probes come by address.
MIDDLEWARE.insert(0, "zhaoshang.core.health.HealthMiddleware")
if DATABASE_REPLICA_URL:
    MIDDLEWARE.append("zhaoshang.core.routers.ReplicaViewsMiddleware")

# `make serve` on this machine has no TLS in front of it: SERVE_PLAIN_HTTP=1 lets production settings work over plain
# HTTP, and only for loopback host names. A real deployment terminates TLS at the proxy (deploy/).
if PRODUCTION and env_bool("SERVE_PLAIN_HTTP", False):
    if not set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]"}:
        raise ImproperlyConfigured("SERVE_PLAIN_HTTP is for a server on this machine only (ALLOWED_HOSTS=127.0.0.1)")
    SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
    SECURE_HSTS_SECONDS = 0
