"""Test settings: fast hashing, plain HTTP, eager Celery for unit tests.

Tests marked `integration` start a real worker and switch eagerness off themselves.
"""

import os
from pathlib import Path

# Tests get their own var/ so a running demo worker never consumes a test's tasks, and each run
# (each pytest process, each xdist worker) its own folder under var/test: the SQLite test database,
# the embedded broker and the process logs of two concurrent runs never meet. VAR_DIR overrides it.
_RUN = f"{os.environ.get('PYTEST_XDIST_WORKER', 'run')}-{os.getpid()}"
TEST_VAR_DIR_PER_RUN = "VAR_DIR" not in os.environ  # removed after a green run (conftest.py)
if not TEST_VAR_DIR_PER_RUN and os.environ.get("PYTEST_XDIST_WORKER"):
    # xdist workers of one run given one VAR_DIR: each still needs its own broker folder and database.
    os.environ["VAR_DIR"] = str(Path(os.environ["VAR_DIR"]) / os.environ["PYTEST_XDIST_WORKER"])
os.environ.setdefault("VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test" / _RUN))
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
# PostgreSQL: a test database per run too (TEST_DATABASE_NAME overrides), not the shared `test_<name>`.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        **DATABASES["default"].get("TEST", {}),  # noqa: F405
        "NAME": os.environ.get("TEST_DATABASE_NAME") or f"test_{DATABASES['default']['NAME']}_{_RUN}".replace("-", "_"),  # noqa: F405
    }
