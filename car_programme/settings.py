"""Settings for CAR Programme Manager.

Every value comes from the environment. With no variable set at all, the project runs on its
embedded default: SQLite under var/, Celery tasks run in-process, media under var/media/.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.contrib.messages import constants as message_constants
from django.core.exceptions import ImproperlyConfigured

from car_programme.broker import filesystem_transport_options

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional, for local overrides; never committed

# --- Core -------------------------------------------------------------------------------------

# The embedded default is a developer's machine, so DEBUG is on unless production says otherwise.
DEBUG = env.bool("DEBUG", default=True)

# The development key is public: it may sign sessions only on a developer's machine.
DEVELOPMENT_SECRET_KEY = "django-insecure-car-programme-development-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment when DEBUG is off "
        "(the development key is public)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address readers reach the application at: a report's references to records link there.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Django's administration, for superusers only (car_programme/admin_site.py).
    "car_programme.admin_site.CarAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_ratelimit",
    # The second factor at sign-in: authenticator-app codes and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The API (/api/v1/), its OpenAPI schema, and the documentation page's Swagger UI assets,
    # served as the project's own static files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "car_programme",
    "accounts",
    "sites",
    "inquiries",
    "evidence",
    "events",
    "reports",
    # Reads and writes every app above through their selectors and services.
    "api",
    # Writes across every app above, so it comes last.
    "programme_data",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, Permissions-Policy, and private caching of signed-in pages.
    "car_programme.middleware.SecurityHeadersMiddleware",
    # Before anything reads the URL: a NUL in the path or query string is refused (400).
    "car_programme.middleware.NullCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses an oversized body before anything reads it (the CSRF check reads the form).
    "car_programme.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Ends a session 12 hours after sign-in, however active it has been.
    "car_programme.middleware.SessionLifetimeMiddleware",
    # After the session limits: a session that still owes its second factor (or must set one up
    # first) reaches only the page that asks for it.
    "accounts.middleware.SecondFactorMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a lockout into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "car_programme.urls"
WSGI_APPLICATION = "car_programme.wsgi.application"

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
                "car_programme.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

# SQLite under var/ needs nothing installed; DATABASE_URL selects PostgreSQL for the full stack.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # The planner's JIT misjudges the dashboards' aggregates (a second spent compiling a
    # query that runs in a fraction of that), and none of this application's queries need it;
    # the co-attendance network's sorts spill to disk at the default 4 MB of work memory.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c work_mem=16MB"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Database: the embedded SQLite ------------------------------------------------------------

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # SQLite has one writer: a request that finds it busy waits (seconds) for its turn
            # rather than failing at once with "database is locked".
            "timeout": 20,
            # A transaction takes the write lock when it begins: one that began reading and
            # then wrote could not wait for it, and would fail however long the timeout.
            "transaction_mode": "IMMEDIATE",
            # Write-ahead logging lets pages read while another request writes; NORMAL
            # synchronisation is safe with WAL and spares a disk flush per commit.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

# --- Accounts and permissions -----------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# Axes comes first so a locked-out name and address is refused before any password is checked;
# one rule set decides object access; ModelBackend still serves the admin's model permissions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Second factor (django-otp) ---------------------------------------------------------------

# Authenticator apps list the account under this name (accounts/second_factor.py).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="CAR Programme Manager")
# After each wrong code the device waits 1, 2, 4, 8... seconds before it checks another, across
# every address (django-axes counts them per address too, with the passwords).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# --- Single sign-on (OpenID Connect, mozilla-django-oidc; off unless SSO_DISCOVERY_URL is set) --

# The provider's discovery document (".../.well-known/openid-configuration") or its issuer URL:
# the endpoints and signing keys are read from it (accounts/sso.py). Microsoft Entra ID:
# https://login.microsoftonline.com/<tenant id>/v2.0; Google Workspace: https://accounts.google.com
SSO_DISCOVERY_URL = env.str("SSO_DISCOVERY_URL", default="")
OIDC_RP_CLIENT_ID = env.str("SSO_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("SSO_CLIENT_SECRET", default="")
# The words of the button on the sign-in page ("Sign in with NHS Microsoft account").
SSO_BUTTON_LABEL = env.str("SSO_BUTTON_LABEL", default="Sign in with your organisation")
# The claim that says the provider checked the address: Google sends "email_verified"; Entra ID
# sends "xms_edov" once that optional claim is added to the app registration.
SSO_EMAIL_VERIFIED_CLAIM = env.str("SSO_EMAIL_VERIFIED_CLAIM", default="email_verified")
# The provider's own multi-factor sign-in counts as the second factor unless this asks for ours.
SSO_REQUIRES_SECOND_FACTOR = env.bool("SSO_REQUIRES_SECOND_FACTOR", default=False)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
# Users come by invitation: single sign-on signs in an existing account, and makes one only
# for someone accepting their invitation with it (accounts.sso.SingleSignOnBackend.create_user).
OIDC_CREATE_USER = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
if SSO_DISCOVERY_URL:
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured(
            "SSO_CLIENT_ID and SSO_CLIENT_SECRET must be set when SSO_DISCOVERY_URL is."
        )
    AUTHENTICATION_BACKENDS.append("accounts.sso.SingleSignOnBackend")

# --- Sign-in throttling (django-axes) ---------------------------------------------------------

# 10 failed sign-ins for one user name from one address lock that pair out for 15 minutes; a
# failure counts for 5 minutes after the previous one (accounts.views.sign_in_cool_off). Another
# address, or the same address with another name, can still sign in.
AXES_FAILURE_LIMIT = 10
SIGN_IN_FAILURE_WINDOW = timedelta(minutes=5)
SIGN_IN_LOCKOUT_DURATION = timedelta(minutes=15)
AXES_COOLOFF_TIME = "accounts.views.sign_in_cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Each failure record expires on its own clock, so one pair's short window never purges another
# pair's lockout.
AXES_USE_ATTEMPT_EXPIRATION = True
# Retrying while locked out does not extend the lockout: it ends 15 minutes after the 10th failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful sign-in clears that name and address's earlier failures.
AXES_RESET_ON_SUCCESS = True
# Every failure is kept (AccessFailureLog, in the admin) besides the warning in the log.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.views.sign_in_locked_out"

# --- Sessions ---------------------------------------------------------------------------------

# A session ends after 30 idle minutes and 12 hours after sign-in at the latest
# (car_programme.middleware.SessionLifetimeMiddleware). A request pushes the expiry back only
# once a minute has passed since the last renewal: writing the session on every request made
# concurrent requests queue for SQLite's one writer (and costs PostgreSQL a write per page).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_AFTER = timedelta(minutes=1)
SESSION_MAXIMUM_AGE = timedelta(hours=12)

# --- Email ------------------------------------------------------------------------------------

# Password reset links go to the console on the embedded default; production sets SMTP.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="CAR Programme Manager <noreply@localhost>"
)

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# One way of writing dates ("18 November 2024"): car_programme/formats/en_GB/formats.py.
FORMAT_MODULE_PATH = ["car_programme.formats"]

# --- Static and media files -------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploaded files hold personal data: they live outside any public URL and are streamed by views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploads beyond this are refused before they are stored (evidence, attachments).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Larger request bodies are streamed to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
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

# --- Request bodies ---------------------------------------------------------------------------

# A request whose declared body is larger than this is answered 413 before any of it is read
# (car_programme.middleware.RequestBodyLimitMiddleware): the largest upload and the rest of
# its form fit, a 200 MB body is never streamed to disk.
REQUEST_BODY_MAX_BYTES = env.int(
    "REQUEST_BODY_MAX_BYTES", default=UPLOAD_MAX_BYTES + 2 * 1024 * 1024
)
# Form fields other than files are held in memory: beyond this Django refuses the request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Celery -----------------------------------------------------------------------------------

# Without a broker, tasks run in-process; make run names filesystem://, which needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE

# Reports: a render is acknowledged only once finished and handed back if its worker dies, so a
# killed render is done again by the next worker; one task at a time per worker process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ROUTES = {"reports.tasks.*": {"queue": "reports"}}
# WeasyPrint keeps memory it has laid out; recycling the process after large renders returns it.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=20)
# KiB of peak memory, checked after each task: bench/reports.py measured 157 MB for the demo's
# report (kept) and 352 MB for a 32-site programme's (the process is then replaced).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=300_000)
# Time limits of one render (seconds): the soft limit fails the request with a reason, the hard
# one kills the process. bench/reports.py measured 18-22 s for a 32-site programme's report
# (80 pages): the soft limit leaves five times that for a larger programme or a loaded machine.
REPORTS_SOFT_TIME_LIMIT = env.int("REPORTS_SOFT_TIME_LIMIT", default=120)
REPORTS_HARD_TIME_LIMIT = env.int("REPORTS_HARD_TIME_LIMIT", default=180)
# A render holds its request for this long; past it, the sweeper hands the request to another
# worker. Longer than the hard limit, so a live render never loses its lease.
REPORTS_LEASE_SECONDS = env.int("REPORTS_LEASE_SECONDS", default=REPORTS_HARD_TIME_LIMIT + 60)
if not REPORTS_SOFT_TIME_LIMIT < REPORTS_HARD_TIME_LIMIT < REPORTS_LEASE_SECONDS:
    raise ImproperlyConfigured(
        "Report limits must grow: REPORTS_SOFT_TIME_LIMIT < REPORTS_HARD_TIME_LIMIT < "
        "REPORTS_LEASE_SECONDS."
    )
# Renders of one request that died or were killed before it is marked failed (a crash loop).
REPORTS_MAX_ATTEMPTS = env.int("REPORTS_MAX_ATTEMPTS", default=3)
# The sweeper's period, and how long a queued request may wait for a worker before it is
# published again (its message may have been lost with the broker's data).
REPORTS_SWEEP_INTERVAL = env.int("REPORTS_SWEEP_INTERVAL", default=60)
REPORTS_REQUEUE_AFTER = env.int("REPORTS_REQUEUE_AFTER", default=30 * 60)
# filesystem:// (make run's broker, car_programme/broker.py) keeps its messages as files here;
# manage.py serve keeps its worker's beat schedule here too.
BROKER_DIR = Path(env.str("BROKER_DIR", default=str(VAR_DIR / "broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The filesystem transport has no visibility timeout: a delivered message lives only in the
    # worker's memory until acknowledged. Late acknowledgement still holds where the worker
    # survives: a pool process killed mid-render has its message rejected back to the folder
    # (reject on worker lost) and rendered again, and a warm shutdown (SIGTERM, as manage.py
    # serve stops it) writes unacknowledged messages back before the worker exits. A worker
    # killed as a whole loses the message: its request stays rendering until the lease expires,
    # then the sweeper (beat, in the same worker) publishes it again.
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_transport_options(BROKER_DIR)
else:
    # An unacknowledged message goes back to the queue after this long: it must outlast a
    # render, or Redis would hand a live render to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 2 * REPORTS_HARD_TIME_LIMIT,
        "socket_connect_timeout": 1,
        "socket_timeout": 5,
    }
# With the broker down, requesting a report must still answer at once: publishing gives up
# within about two seconds and the sweeper publishes the request later.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "sweep-reports": {"task": "reports.tasks.sweep_reports", "schedule": REPORTS_SWEEP_INTERVAL},
}

# --- Security ---------------------------------------------------------------------------------

# Production (DEBUG off) gets HTTPS-only cookies and HSTS unless the environment says otherwise.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Only a TLS-terminating proxy that sets X-Forwarded-Proto itself (overwriting a client's) may
# say a request came over HTTPS; without one, any client could claim it with that header.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Health checks come from inside the network, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy and Permissions-Policy ------------------------------------------

# Sent with every response (car_programme.middleware.SecurityHeadersMiddleware). Scripts, styles,
# images and fonts come from this site only, with no inline script or style: an injected
# ``<script>`` or ``style=`` does nothing. Bootstrap's form controls draw their icons as data:
# images; the admin and the pages alike post only to this site and are never framed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# No page uses the camera, microphone, location, sensors, payments or USB devices.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

# --- Cache ------------------------------------------------------------------------------------

# Rate limits (public feedback links) count in the cache: one per process on the embedded
# default, shared through Redis when CACHE_URL points at it.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# django-ratelimit refuses LocMemCache as "not a shared cache" (E003, and W001 "not officially
# supported"): the embedded default runs one process, whose own memory counts every request, so
# those two checks are silenced for LocMemCache only. Any other unsupported backend (a file or
# database cache) still fails the check.
SILENCED_SYSTEM_CHECKS = (
    ["django_ratelimit.E003", "django_ratelimit.W001"]
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    else []
)

# --- API (Django REST framework, drf-spectacular; the conventions are in api/__init__.py) ------

REST_FRAMEWORK = {
    # A personal token (``Authorization: Bearer <token>``) for programs, the session for the
    # browser (with its CSRF check on writes); the token is asked first, so that a refusal
    # answers 401 with ``WWW-Authenticate``.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's pages would need inline scripts, which the
    # Content-Security-Policy forbids; /api/v1/docs/ is the page for people.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.UserRateThrottle",
        "api.throttling.AnonymousRateThrottle",
    ],
    # Per token (or per signed-in user, for the browser) and per address for anonymous
    # requests, counted in the default cache (shared through Redis when CACHE_URL names it).
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_THROTTLE_RATE", default="1200/hour"),
        "anonymous": env.str("API_THROTTLE_RATE_ANONYMOUS", default="120/hour"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A DomainError or a model's ValidationError from a service answers 400 with its message.
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CAR Programme Manager API",
    "DESCRIPTION": (
        "The records of Collaborative Action Research programmes, under the rules the pages "
        "obey: a record you may not see answers 404, as a missing one. Authenticate with a "
        "personal API token from your account page (`Authorization: Bearer <token>`)."
    ),
    "VERSION": "1.0.0",
    # The schema describes the API, not its records: it is served to anyone, so that a client
    # generator needs no token.
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components, so that read-only fields stay out of writes.
    "COMPONENT_SPLIT_REQUEST": True,
    # Choices that share a field's name across models, each named after its own.
    "ENUM_NAME_OVERRIDES": {
        # Evidence, events and reports.
        "EvidenceKindEnum": "evidence.enums.EvidenceKind",
        "OutputKindEnum": "evidence.enums.OutputKind",
        "OutputStatusEnum": "evidence.enums.OutputStatus",
        "ChangeLevelEnum": "evidence.enums.ChangeLevel",
        "EventKindEnum": "events.enums.EventKind",
        "ReportKindEnum": "reports.enums.ReportKind",
        "ReportStatusEnum": "reports.enums.ReportStatus",
        # The inquiries app's.
        "GroupKindEnum": "inquiries.enums.GroupKind",
        "ActivityKindEnum": "inquiries.enums.ActivityKind",
        "GroupStatusEnum": "inquiries.enums.GroupStatus",
    },
}

# --- Forms ------------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Bootstrap names the error colour "danger".
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

# --- History ----------------------------------------------------------------------------------

# History rows of erased people must be rewritten, so their user link is a plain id column.
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # A line per laid-out page and per embedded font would bury the application's own log.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Demo -------------------------------------------------------------------------------------

# Demo logins have public passwords, so they are created only on the embedded default.
DEMO_LOGINS_ALLOWED = env.bool("DEMO_LOGINS_ALLOWED", default=DEBUG)
# The signed-out landing page lists them with their password on the embedded default only,
# never where DEBUG is off, which production requires.
DEMO_LOGINS_SHOWN = DEBUG and DEMO_LOGINS_ALLOWED
