"""Cimento settings: one module, everything from the environment.

Safe defaults for a laptop (SQLite, DEBUG on, console e-mail); loud failures in production
(DEBUG off and no strong SECRET_KEY → refuse to start, naming the variable to set).
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# With DEBUG on, the product's own 404 and 500 pages still answer (the demo shows what users see);
# false shows Django's technical pages instead (clinic.error_pages.ProductErrorPagesMiddleware).
PRODUCT_ERROR_PAGES = env_bool("PRODUCT_ERROR_PAGES", True)
# Under pytest (``make test`` or a bare ``pytest``) the test settings apply unless a test's
# subprocess sets CIMENTO_TESTING=false to see production's.
TESTING = env_bool("CIMENTO_TESTING", "PYTEST_VERSION" in os.environ)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if DEBUG:
        return key or _DEV_SECRET_KEY
    # Same thresholds as Django's security.W009 check.
    if not key:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG=false, set the SECRET_KEY environment variable "
            "to a random string of at least 50 characters."
        )
    if (
        len(key) < 50
        or len(set(key)) < 5
        or key.startswith("django-insecure")
        or key == _DEV_SECRET_KEY
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak. With DEBUG=false, set the SECRET_KEY environment variable "
            "to a random string of at least 50 characters with at least 5 distinct characters."
        )
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "clinic.apps.CimentoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "clinic.apps.AxesConfig",
    "django_otp",
    "clinic.apps.TotpConfig",
    "oauth2_provider",
    "clinic",
    "referrals",
    "eligibility",
    "scheduling",
    "reports",
    "procedures",
    "followups",
    "quality",
    "fhir_api",
    "notifications",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: every request's frames in a chunk of the interpreter's stack of their own.
    "clinic.middleware.OwnStackChunkMiddleware",
    "clinic.middleware.RequestSizeLimitMiddleware",
    "clinic.middleware.NulCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "clinic.middleware.SessionAbsoluteTimeoutMiddleware",
    "clinic.otp.StaffSecondFactorMiddleware",
    "clinic.middleware.NoStoreMiddleware",
    "clinic.error_pages.ProductErrorPagesMiddleware",
    # Last, so that lockouts are answered after authentication ran.
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
                "clinic.context_processors.clinic",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests on a laptop: wait for the write lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The worklist's covering index INCLUDEs columns on PostgreSQL; SQLite keeps its key columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
    if TESTING:
        # A test database in a file, not in memory: the browser tests' live server answers each
        # request in a thread, and an in-memory database is one connection shared by them all
        # (two requests at once, e.g. the live verdict panel and a form post, then collide:
        # « cannot start a transaction within a transaction »). One file per test run.
        DATABASES["default"]["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"cimento-test-{os.getpid()}.sqlite3")
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state lives in the database, never in process memory: any app server can answer.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cimento_cache",
    }
}

AUTH_USER_MODEL = "clinic.User"
AUTHENTICATION_BACKENDS = [
    # Per account, from any address (a delay that doubles past a limit): before any password.
    "clinic.login_throttle.AccountThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Inactive accounts authenticate so that the login form can tell them plainly.
    "clinic.backends.ClinicModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: 30 minutes idle (refreshed on every request), 12 hours absolute (clinic.middleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Second factor (TOTP) for radiologists, secretaries and administrators; the demo may skip it.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", not DEBUG)
OTP_TOTP_ISSUER = "Cimento"
# A staff account pairs its first authenticator only with a one-time code an administrator gives
# out of band (clinic/accounts.py); the code expires after this many hours.
OTP_ENROLMENT_CODE_HOURS = int(os.environ.get("OTP_ENROLMENT_CODE_HOURS", "72"))

# django-axes: lock a username+IP pair after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# And per account whatever the address (clinic/login_throttle.py): past 10 failures, a wait of
# 1 minute after the last one, doubling with each further failure, up to a day.
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("LOGIN_ACCOUNT_FAILURE_LIMIT", "10"))
LOGIN_ACCOUNT_BASE_DELAY = int(os.environ.get("LOGIN_ACCOUNT_BASE_DELAY", "60"))
LOGIN_ACCOUNT_MAX_DELAY = int(os.environ.get("LOGIN_ACCOUNT_MAX_DELAY", str(24 * 3600)))

# The client's address (axes, rate limits, access log: clinic.client_address). Behind the TLS
# proxy every request comes from the proxy: list its addresses in TRUSTED_PROXIES and the address
# is read from CLIENT_IP_HEADER (the rightmost entry of X-Forwarded-For not added by a trusted
# proxy); a request from anywhere else is taken at REMOTE_ADDR and its header ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
AXES_CLIENT_IP_CALLABLE = "clinic.client_address.client_address"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` writes and nginx reads (deploy/nginx/cimento.conf).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Patient documents: never under STATIC_ROOT, never served by a URL of their own. On the local
# disk (MEDIA_ROOT) by default, in an S3-compatible bucket when S3_BUCKET is set (S3_ENDPOINT_URL,
# S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_PREFIX, S3_ADDRESSING_STYLE,
# S3_SERVER_SIDE_ENCRYPTION: config/storage.py, docs/operations.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": storage.default_storage(os.environ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# The storages `manage.py backup` copies whole (clinic/backups.py): every one a FileField uses.
BACKUP_STORAGES = ["default"]
FILE_UPLOAD_PERMISSIONS = 0o600
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Files per request (Django answers 400 beyond, templates/400.html says why).
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FILES", "10"))
# Files over 2.5 MB go to a temporary file (0600) rather than memory while the request is read.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", CONSOLE_EMAIL)
if not DEBUG and EMAIL_BACKEND == CONSOLE_EMAIL:
    # In production the console backend would print GPs' e-mails into the server's logs.
    raise ImproperlyConfigured(
        "EMAIL_BACKEND is the console backend. With DEBUG=false, set EMAIL_BACKEND (for example "
        "django.core.mail.backends.smtp.EmailBackend) and EMAIL_HOST."
    )
# The file backend (django.core.mail.backends.filebased.EmailBackend) writes each e-mail to a file
# in EMAIL_FILE_PATH instead of sending it: a staging server, the two-server test. Without the
# folder every send would fail (a TypeError in the worker, retried for hours): refuse to start.
FILE_EMAIL = "django.core.mail.backends.filebased.EmailBackend"
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
elif EMAIL_BACKEND == FILE_EMAIL:
    raise ImproperlyConfigured(
        "EMAIL_BACKEND is the file backend but EMAIL_FILE_PATH is not set: set it to the folder "
        "the e-mails are written to."
    )
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cimento <no-reply@cimento.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Text messages to patients (notifications.sms), chosen like EMAIL_BACKEND: the console by
# default, notifications.sms.ovh.SmsBackend for OVHcloud's SMS API (docs/notifications.md),
# notifications.sms.disabled.SmsBackend for a clinic that sends none.
CONSOLE_SMS = "notifications.sms.console.SmsBackend"
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND", "notifications.sms.locmem.SmsBackend" if TESTING else CONSOLE_SMS
)
if not DEBUG and SMS_BACKEND == CONSOLE_SMS:
    # Like e-mail: the console would print patients' phone numbers into the server's logs.
    raise ImproperlyConfigured(
        "SMS_BACKEND is the console backend. With DEBUG=false, set SMS_BACKEND (for example "
        "notifications.sms.ovh.SmsBackend, or notifications.sms.disabled.SmsBackend to send none)."
    )
SMS_SENDER = os.environ.get("SMS_SENDER", "CIMENTO")
SMS_OVH_ENDPOINT = os.environ.get("SMS_OVH_ENDPOINT", "https://eu.api.ovh.com/1.0").rstrip("/")
SMS_OVH_APPLICATION_KEY = os.environ.get("SMS_OVH_APPLICATION_KEY", "")
SMS_OVH_APPLICATION_SECRET = os.environ.get("SMS_OVH_APPLICATION_SECRET", "")
SMS_OVH_CONSUMER_KEY = os.environ.get("SMS_OVH_CONSUMER_KEY", "")
SMS_OVH_SERVICE_NAME = os.environ.get("SMS_OVH_SERVICE_NAME", "")
SMS_TIMEOUT_SECONDS = float(os.environ.get("SMS_TIMEOUT_SECONDS", "10"))

# The task queue (django-tasks, the API of Django 6's django.tasks): rows in the database, run by
# `manage.py db_worker` (started by `make run`; a systemd unit in production, deploy/systemd/).
# Tests run each task at once, in the test's own process.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        )
    }
}
# A message that fails is tried again this many times in all, waiting RETRY_DELAY, then twice as
# long each time; after the last it is shown to the desk (notifications/services/sending.py).
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_MAX_ATTEMPTS", "4"))
NOTIFICATIONS_RETRY_DELAY_SECONDS = int(os.environ.get("NOTIFICATIONS_RETRY_DELAY_SECONDS", "300"))
# Time-based messages (reminders, last doses) leave no earlier than this hour (Europe/Paris).
NOTIFICATIONS_SEND_FROM_HOUR = int(os.environ.get("NOTIFICATIONS_SEND_FROM_HOUR", "9"))
# Absolute links in e-mails (no request there).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers (checked by tests/clinic/test_security_headers.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"

# No page uses a device or a powerful browser feature: every one is off (django-permissions-policy).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        # No "web-share": Chromium logs it as an unrecognised feature on every page.
        "xr-spatial-tracking",
    )
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# The clinic's identity, printed on every document. The defaults are the demo's fictional clinic:
# `manage.py check --deploy` warns while any is still in use (clinic/checks.py).
CLINIC_DEMO_IDENTITY = {
    "CLINIC_NAME": "Centre d'Imagerie Médicale Paris 5",
    "CLINIC_ADDRESS": "12 rue de l'Exemple, 75005 Paris",
    "CLINIC_PHONE": "01 00 00 00 00",
    "CLINIC_EMAIL": "radiologie@cimento.invalid",
    "CLINIC_FINESS": "750000000",
    "CLINIC_EMERGENCY_PHONE": "01 00 00 00 15",
}
CLINIC_NAME = os.environ.get("CLINIC_NAME", CLINIC_DEMO_IDENTITY["CLINIC_NAME"])
CLINIC_ADDRESS = os.environ.get("CLINIC_ADDRESS", CLINIC_DEMO_IDENTITY["CLINIC_ADDRESS"])
CLINIC_PHONE = os.environ.get("CLINIC_PHONE", CLINIC_DEMO_IDENTITY["CLINIC_PHONE"])
CLINIC_EMAIL = os.environ.get("CLINIC_EMAIL", CLINIC_DEMO_IDENTITY["CLINIC_EMAIL"])
CLINIC_FINESS = os.environ.get("CLINIC_FINESS", CLINIC_DEMO_IDENTITY["CLINIC_FINESS"])
# The number a patient calls day and night after the procedure (convocation, discharge letter).
CLINIC_EMERGENCY_PHONE = os.environ.get(
    "CLINIC_EMERGENCY_PHONE", CLINIC_DEMO_IDENTITY["CLINIC_EMERGENCY_PHONE"]
)
# Fasting before sedation or general anaesthesia (SFAR practice): no food for this many hours
# before the arrival, clear drinks until this many hours before it. Under local anaesthesia a
# light breakfast is allowed.
FASTING_FOOD_HOURS = int(os.environ.get("FASTING_FOOD_HOURS", "6"))
FASTING_CLEAR_DRINKS_HOURS = int(os.environ.get("FASTING_CLEAR_DRINKS_HOURS", "2"))

# The C-arm or angiography unit the dose information of a procedure report names by default
# (arrêté du 22 septembre 2006); the radiologist may change it on the report.
PROCEDURE_EQUIPMENT = os.environ.get("PROCEDURE_EQUIPMENT", "")
# A patient's follow-up questionnaire link stays valid this many days (followups/links.py).
FOLLOWUP_LINK_DAYS = int(os.environ.get("FOLLOWUP_LINK_DAYS", "14"))
# A follow-up still unanswered this many days after its day is lost to follow-up: it leaves the
# staff's worklist for its « Perdus de vue » tab (followups/selectors.py), where a call can still
# be recorded.
FOLLOWUP_LOST_AFTER_DAYS = int(os.environ.get("FOLLOWUP_LOST_AFTER_DAYS", "60"))
# The key of the pseudonymous ids of `manage.py export_outcomes` (HMAC-SHA256). Keep it secret
# and stable: the registry links a patient's rows across exports by it.
OUTCOMES_PSEUDONYM_KEY = os.environ.get("OUTCOMES_PSEUDONYM_KEY", "")

# The FHIR API (docs/api.md): OAuth 2 client credentials, one application per GP, its scopes in
# fhir_api.ApiClient; a token lives an hour by default.
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "fhir_api.scopes.ClientScopes",
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("API_TOKEN_SECONDS", "3600")),
    # The OAuth 2.0 Security BCP (RFC 9700) now rather than at django-oauth-toolkit 4.0: no
    # implicit or password grant, tokens stored hashed and taken from the header only, https
    # redirect URIs (manage.py check --deploy is clean).
    **{
        f"COMPLIANT_BCP_RFC9700_{name}": True
        for name in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
            "REFRESH_TOKEN",
            "REDIRECT_URI_SCHEME",
        )
    },
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# CDS Hooks calls out (a client's JWK Set, its FHIR server: fhir_api/outbound.py) over https only;
# only the tests' local fake servers speak plain http.
CDS_HTTP_ALLOWED = TESTING
# Calls per client application (FHIR and CDS Hooks) in a fixed window (fhir_api/throttle.py).
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "300"))
API_RATE_WINDOW = int(os.environ.get("API_RATE_WINDOW", "60"))
# A FHIR request body (a Bundle with its reports in base64) is read up to this size (fhir_api.http).
FHIR_MAX_BODY_BYTES = int(os.environ.get("FHIR_MAX_BODY_BYTES", str(30 * 1024 * 1024)))
# Named for the migrations that point to the application (fhir_api.ApiClient): the default model.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

# Patient records are kept 20 years after the last stay (Code de la santé publique R1112-7).
RETENTION_YEARS = int(os.environ.get("RETENTION_YEARS", "20"))
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
# Upload quotas (referrals.services.attachments.quota_refusal, security row 32).
_MB = 1024 * 1024
ATTACHMENT_MAX_FILES_PER_REFERRAL = int(os.environ.get("ATTACHMENT_MAX_FILES_PER_REFERRAL", "20"))
ATTACHMENT_MAX_BYTES_PER_REFERRAL = int(
    os.environ.get("ATTACHMENT_MAX_BYTES_PER_REFERRAL", str(100 * _MB))
)
ATTACHMENT_MAX_FILES_PER_GP_PER_DAY = int(
    os.environ.get("ATTACHMENT_MAX_FILES_PER_GP_PER_DAY", "100")
)
ATTACHMENT_MAX_BYTES_PER_GP_PER_DAY = int(
    os.environ.get("ATTACHMENT_MAX_BYTES_PER_GP_PER_DAY", str(500 * _MB))
)
# A request larger than this is refused from its Content-Length, before its body is read
# (clinic.middleware.RequestSizeLimitMiddleware): a few files at the per-file limit.
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", str(50 * _MB)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {asctime} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Axes logs usernames; keep them out of the logs (no personal data in logs).
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Even with LOG_LEVEL=DEBUG these stay quiet: at DEBUG the template engine logs a whole
        # page context (patient data, CSRF token) on a missing variable, and the database backend
        # logs SQL with its parameters (tests/security/test_logs.py).
        "django.template": {"level": "INFO"},
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs each stylesheet it parses at INFO: noise on every start and document.
        "weasyprint": {"level": "WARNING"},
    },
}

# The quality dashboard (quality/): the targets the clinic sets, each figure shown against its
# own. Shares are fractions (0.5 = 50 %); "at least" targets except where named `_max`.
QUALITY_TARGETS = {
    "within_ideal": float(os.environ.get("QUALITY_TARGET_WITHIN_IDEAL", "0.5")),
    "within_six_months": float(os.environ.get("QUALITY_TARGET_WITHIN_SIX_MONTHS", "0.95")),
    "session_use": float(os.environ.get("QUALITY_TARGET_SESSION_USE", "0.8")),
    "pain_halved_m1": float(os.environ.get("QUALITY_TARGET_PAIN_HALVED_M1", "0.6")),
    "opioids_m3_max": float(os.environ.get("QUALITY_TARGET_OPIOIDS_M3_MAX", "0.2")),
    "major_complications_max": float(os.environ.get("QUALITY_TARGET_MAJOR_COMPL_MAX", "0.02")),
    "new_fractures_m3_max": float(os.environ.get("QUALITY_TARGET_NEW_FRACTURES_M3_MAX", "0.15")),
    "engine_agreement": float(os.environ.get("QUALITY_TARGET_ENGINE_AGREEMENT", "0.8")),
}
QUALITY_WEEKS_AHEAD = int(os.environ.get("QUALITY_WEEKS_AHEAD", "6"))
