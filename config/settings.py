"""Settings for the whole project, read from environment variables only.

Safe defaults: DEBUG off, SQLite under var/, an embedded Celery broker under var/, local-memory
cache. Production sets DATABASE_URL, CELERY_BROKER_URL, REDIS_URL and SECRET_KEY.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    # The demo command writes a random key here once; nothing secret is committed.
    key_file = Path(os.environ.get("SECRET_KEY_FILE", VAR_DIR / "secret_key"))
    if key_file.exists():
        return key_file.read_text().strip()
    if DEBUG:
        return "insecure-debug-only-key-never-use-in-production-0123456789"
    raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (or run scripts/run.sh).")


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "core",
    "model_store",
    "faq_bot",
    "salic_ml",
    "salic_ml.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.RejectNulInPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out login with 429
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
# Persistent connections (seconds). The ASGI process sets 0 (config/asgi.py): Django keeps a
# connection per async context there, so persistent ones would pile up until PostgreSQL refuses more.
DB_CONN_MAX_AGE = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + immediate transactions let the web process and the worker write without
    # "database is locked" errors; the test database is a file so a worker process can see it.
    # Connections persist as on PostgreSQL: closing the last connection to a WAL database
    # checkpoints and removes the WAL file, ~2–5 ms that every writing request paid when it closed.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # A Redis outage degrades the cache to misses instead of failing requests (core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # The embedded default still has several processes (gunicorn workers, the Celery worker):
    # a file cache is shared by all of them, so rate limits and locks hold across processes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account, or from
# one address, that login is refused for AXES_COOLOFF_MINUTES. A short cool-off keeps an attacker
# from locking a real user out for long; every attempt is logged and listed in the admin.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "core/login_locked.html"
AXES_HTTP_RESPONSE_CODE = 429
LOGIN_URL = "salic_dashboard:login"  # the admin login refuses non-staff users such as evaluators
LOGIN_REDIRECT_URL = "/"

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "pt-br"
LANGUAGES = [("pt-br", "Português (Brasil)")]
TIME_ZONE = "America/Sao_Paulo"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # compact pt-BR dates: 29/11/2026 14:05

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "core.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security -------------------------------------------------------------------------------
# Secure by default. Only a plain-HTTP local demo sets INSECURE_HTTP=1 (scripts/run.sh does).
INSECURE_HTTP = env_bool("INSECURE_HTTP", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = not INSECURE_HTTP
SESSION_COOKIE_SECURE = not INSECURE_HTTP
CSRF_COOKIE_SECURE = not INSECURE_HTTP
SECURE_HSTS_SECONDS = 0 if INSECURE_HTTP else int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not INSECURE_HTTP
SECURE_HSTS_PRELOAD = not INSECURE_HTTP
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies append to X-Forwarded-For in front of the web processes: 0 means the
# header is ignored (the TCP peer is the client); behind the TLS proxy it defaults to 1.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "1" if env_bool("BEHIND_TLS_PROXY", False) else "0"))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Content-Security-Policy (core/csp.py), on every response. Scripts only from our own origin and
# never inline (page data travels in json_script blocks). Styles keep 'unsafe-inline': plotly.js
# injects <style> elements at run time and Swagger UI's page has a <style> block; an injected
# style cannot run script, and escaping keeps content from becoming markup in the first place.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440


def _rate(name: str, default: str) -> str | None:
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"", "off", "none"} else value


# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
    # JSON only (plus the form parsers the browsable forms and the admin-free API docs need): nesting
    # is bounded before parsing and errors are Portuguese (core/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # Every view must say who may use it; forgetting to do so denies access.
    "DEFAULT_PERMISSION_CLASSES": ["core.permissions.DenyAll"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Rate limits key on the peer address; X-Forwarded-For is believed only for the number of
    # proxies in front of us that we configured (TRUSTED_PROXIES), so a client cannot spoof it.
    "NUM_PROXIES": TRUSTED_PROXIES,
    # "off" disables a limit (load benchmarks from one address); DRF keeps one timestamp per
    # allowed request in the cache, so very high limits are slower than none.
    "DEFAULT_THROTTLE_RATES": {
        "anon_chat": _rate("THROTTLE_ANON_CHAT", "60/min"),
        "user_chat": _rate("THROTTLE_USER_CHAT", "600/min"),
        "anon_feedback": _rate("THROTTLE_ANON_FEEDBACK", "20/min"),
        # the chat page asks for staff replies every 2.5 s while a person holds the conversation
        "anon_poll": _rate("THROTTLE_ANON_POLL", "120/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rouanet ML API",
    "DESCRIPTION": (
        "Assistente de perguntas frequentes da Lei Rouanet, indicadores de complexidade dos projetos do "
        "SALIC e registro de modelos. O chat é aberto ao público; os indicadores e o registro pedem um "
        "token: a equipe cria um usuário no perfil “API clients” e gera o token na administração (Tokens) "
        "(ou `python manage.py drf_create_token <usuário>`); envie `Authorization: Token <chave>`. "
        "Veja a seção “API tokens” do README."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}

# --- Celery ---------------------------------------------------------------------------------
# "atomicfs" is kombu's filesystem transport with atomic message files (core/broker.py).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "atomicfs://")
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith(("filesystem://", "atomicfs://")):
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
        # Polling is how the filesystem transport notices new messages; 50 ms keeps task
        # start latency around 100 ms at negligible CPU cost.
        "polling_interval": 0.05,
    }
    _default_results = f"file://{VAR_DIR / 'celery-results'}"
    (VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    _default_results = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "disabled://"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", _default_results)
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", 600))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", 660))
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Beat's sweep fails runs whose worker died and sends runs that never reached the broker.
MODEL_STORE_SWEEP_SECONDS = env_float("MODEL_STORE_SWEEP_SECONDS", 60.0)
CELERY_BEAT_SCHEDULE = {
    "model-store-sweep-stale-runs": {
        "task": "model_store.tasks.sweep_stale_runs",
        "schedule": MODEL_STORE_SWEEP_SECONDS,
    },
    "faq-purge-old-conversations": {
        "task": "faq_bot.tasks.purge_conversations",
        "schedule": 24 * 3600.0,
    },
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Product settings -----------------------------------------------------------------------
HEALTHZ_BROKER_TIMEOUT = env_float("HEALTHZ_BROKER_TIMEOUT", 3.0)
MODEL_STORE_SIGNING_KEY = os.environ.get("MODEL_STORE_SIGNING_KEY", "")
# How often a serving process asks which version is in production (one indexed query).
MODEL_STORE_CHECK_SECONDS = env_float("MODEL_STORE_CHECK_SECONDS", 2.0)
MODEL_STORE_KEEP_ARTIFACTS = int(os.environ.get("MODEL_STORE_KEEP_ARTIFACTS", 10))
# A running training whose heartbeat is older than this is marked failed by the sweep.
MODEL_STORE_HEARTBEAT_TIMEOUT = int(os.environ.get("MODEL_STORE_HEARTBEAT_TIMEOUT", 90))
MODEL_STORE_HEARTBEAT_INTERVAL = env_float("MODEL_STORE_HEARTBEAT_INTERVAL", 5.0)
MODEL_STORE_NAMES = ("faq_intent", "salic_complexity")
# FAQ bot: debounce of retraining after content edits, gate thresholds, answering thresholds.
FAQ_RETRAIN_DEBOUNCE_SECONDS = env_float("FAQ_RETRAIN_DEBOUNCE_SECONDS", 10.0)
FAQ_GATE_MAX_INTENT_F1_DROP = env_float("FAQ_GATE_MAX_INTENT_F1_DROP", 0.10)
FAQ_GATE_MAX_MACRO_F1_DROP = env_float("FAQ_GATE_MAX_MACRO_F1_DROP", 0.02)
# A floor under every version's chosen thresholds (and the thresholds of versions trained without them).
FAQ_FALLBACK_MIN_CONFIDENCE = env_float("FAQ_FALLBACK_MIN_CONFIDENCE", 0.5)
FAQ_FALLBACK_MIN_MARGIN = env_float("FAQ_FALLBACK_MIN_MARGIN", 0.1)
# Each trained version chooses its own fallback thresholds (at or above that floor) from out-of-fold
# scores so that the questions it answers are right at this rate (faq_bot/selective.py).
FAQ_ANSWER_TARGET_ACCURACY = env_float("FAQ_ANSWER_TARGET_ACCURACY", 0.95)
FAQ_MAX_MESSAGE_CHARS = 1000
FAQ_CONVERSATION_RETENTION_DAYS = int(os.environ.get("FAQ_CONVERSATION_RETENTION_DAYS", 180))
FAQ_FALLBACK_ANSWER = os.environ.get(
    "FAQ_FALLBACK_ANSWER",
    "Desculpe, não tenho certeza de que entendi. Você quis perguntar sobre um destes assuntos?",
)
# FAQ dialogue: a conversation's session ends after this many minutes without messages (Rasa's
# session_expiration_time); flows match on at most this many recent turns (Rasa's max_history).
FAQ_SESSION_TIMEOUT_MINUTES = env_float("FAQ_SESSION_TIMEOUT_MINUTES", 60.0)
FAQ_DIALOGUE_MAX_HISTORY = int(os.environ.get("FAQ_DIALOGUE_MAX_HISTORY", 5))
FAQ_SLOT_DEFAULT = os.environ.get("FAQ_SLOT_DEFAULT", "esse assunto")
# Flows, responses and entity data are re-read at most this often per process (0 = every message).
FAQ_DIALOGUE_CACHE_SECONDS = env_float("FAQ_DIALOGUE_CACHE_SECONDS", 2.0)
# SALIC: block automatic promotion when more than this share of projects changes band.
SALIC_GATE_MAX_BAND_CHANGE = env_float("SALIC_GATE_MAX_BAND_CHANGE", 0.10)
# SALIC: a project's public page; {pronac} is replaced by the project's PRONAC (VerSALIC by default).
SALIC_PROJECT_URL = os.environ.get("SALIC_PROJECT_URL", "https://versalic.cultura.gov.br/#/projetos/{pronac}")

# --- Chat channels and human handoff ----------------------------------------------------------
# Socket.IO (rasa-webchat) at /socket.io/, served by the ASGI application (config/asgi.py). Pages on
# other origins may embed the widget only when listed here (scheme://host[:port]); empty = same
# origin only. FAQ_SOCKETIO_URL is where the demo widget page connects (empty = its own origin).
FAQ_SOCKETIO_ALLOWED_ORIGINS = env_list("FAQ_SOCKETIO_ALLOWED_ORIGINS", "")
FAQ_SOCKETIO_URL = os.environ.get("FAQ_SOCKETIO_URL", "")
# How often the Socket.IO process looks for staff replies to push to connected widgets.
FAQ_SOCKETIO_POLL_SECONDS = env_float("FAQ_SOCKETIO_POLL_SECONDS", 1.0)
# Sent when a widget's initPayload or Telegram's /start names no intent of the content.
FAQ_WELCOME_TEXT = os.environ.get(
    "FAQ_WELCOME_TEXT", "Olá! Sou o assistente da Lei Rouanet e do SALIC. Como posso ajudar?"
)
# Telegram: the bot token from @BotFather and the secret Telegram echoes in every webhook call
# (X-Telegram-Bot-Api-Secret-Token); the webhook answers 404 while the token is unset.
TELEGRAM_BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN", "")
TELEGRAM_WEBHOOK_SECRET = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "")
TELEGRAM_API_BASE_URL = os.environ.get("TELEGRAM_API_BASE_URL", "https://api.telegram.org").rstrip("/")
TELEGRAM_TIMEOUT_SECONDS = env_float("TELEGRAM_TIMEOUT_SECONDS", 10.0)
# Human handoff: after this many consecutive fallbacks the citizen is passed to a person (0 = never);
# a typed request matching FAQ_HANDOFF_PATTERN (accents and case ignored) or the payload
# FAQ_HANDOFF_PAYLOAD (the "Falar com um atendente" button) also asks for one.
FAQ_HANDOFF_ENABLED = env_bool("FAQ_HANDOFF_ENABLED", True)
FAQ_HANDOFF_AFTER_FALLBACKS = int(os.environ.get("FAQ_HANDOFF_AFTER_FALLBACKS", 3))
FAQ_HANDOFF_PAYLOAD = os.environ.get("FAQ_HANDOFF_PAYLOAD", "/falar_com_atendente")
FAQ_HANDOFF_PATTERN = os.environ.get(
    "FAQ_HANDOFF_PATTERN",
    r"\b(atendente|atendimento humano|falar com (uma |um )?(pessoa|humano|alguem|servidor))\b",
)
# Office hours of the staff, in TIME_ZONE: days 0 = Monday … 6 = Sunday, and "HH:MM-HH:MM"
# ("00:00-00:00" = all day). Outside them the citizen is told when someone will answer.
FAQ_HANDOFF_DAYS = [int(d) for d in env_list("FAQ_HANDOFF_DAYS", "0,1,2,3,4")]
FAQ_HANDOFF_HOURS = os.environ.get("FAQ_HANDOFF_HOURS", "08:00-18:00")
# How buttons reach the widget: "quick_replies" (what Rasa's socketio channel sends) or "buttons".
FAQ_SOCKETIO_BUTTON_STYLE = os.environ.get("FAQ_SOCKETIO_BUTTON_STYLE", "quick_replies")
# The demo widget page (/chat/widget/) embeds rasa-webchat like Rasa sites do; its initPayload.
FAQ_WIDGET_INIT_PAYLOAD = os.environ.get("FAQ_WIDGET_INIT_PAYLOAD", "/saudacao")
