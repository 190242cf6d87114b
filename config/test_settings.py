"""Test settings: fast hashing, plain HTTP, eager Celery for unit tests.

Tests marked `integration` start a real worker and switch eagerness off themselves.
"""

import os
from pathlib import Path

# Tests get their own var/ so a running demo worker never consumes a test's tasks.
os.environ.setdefault("VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789abcdef")
os.environ.setdefault("INSECURE_HTTP", "1")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
_RATES = {"anon_chat": "1000/min", "user_chat": "1000/min", "anon_feedback": "1000/min", "anon_poll": "1000/min"}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": _RATES}  # noqa: F405
MODEL_STORE_HEARTBEAT_INTERVAL = 3600.0  # threads must not fight the test transaction for the SQLite lock
# The live server's threads must not keep connections open past a test (PostgreSQL teardown).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
