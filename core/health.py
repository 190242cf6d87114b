"""Health checks behind /healthz: each returns a small dict with `ok` and details."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def check_database() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the message is the diagnosis
        return {"ok": False, "error": type(exc).__name__, "detail": str(exc)[:200]}
    return {"ok": True, "vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_broker(timeout: float | None = None) -> dict[str, Any]:
    """Send a ping task and wait for a live worker to answer it."""
    from config.celery import app, ping

    timeout = settings.HEALTHZ_BROKER_TIMEOUT if timeout is None else timeout
    started = time.perf_counter()
    try:
        # A network broker that is down must answer at once, not after Celery's reconnect loops
        # (~20 s); the embedded filesystem broker has no connection to lose.
        if not str(app.conf.broker_url).startswith(("atomicfs:", "filesystem:")):
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=timeout)
        result = ping.apply_async(expires=timeout + 5, retry=False)
        reply = result.get(timeout=timeout, interval=0.05, propagate=True)
        result.forget()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__, "detail": str(exc)[:200] or "no worker answered"}
    return {"ok": reply == "pong", "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_cache() -> dict[str, Any]:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__, "detail": str(exc)[:200]}
    return {"ok": ok, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


# Extra sections apps add to the report (model_store: the model versions). Each runs only while
# the database is up and returns a JSON-ready dict with "ok"; a false "ok" degrades the status.
EXTRA_CHECKS: dict[str, Callable[[], Any]] = {}


def register_check(name: str, check: Callable[[], Any]) -> None:
    EXTRA_CHECKS[name] = check


def health_report(*, with_broker: bool = True, details: bool = True) -> tuple[bool, dict[str, Any]]:
    """Return (database_is_up, report). Only the database decides the HTTP status.

    Without `details` (anonymous callers) error texts, which may name internal hosts and ports,
    are left out; each section still says whether it is ok.
    """
    database = check_database()
    report: dict[str, Any] = {"database": database, "cache": check_cache()}
    report["broker"] = check_broker() if with_broker else {"ok": None, "detail": "not checked"}
    for name, check in EXTRA_CHECKS.items():
        report[name] = check() if database["ok"] else {"ok": None}
    sections = ["database", "cache", "broker", *EXTRA_CHECKS]
    report["status"] = "ok" if all(report[k].get("ok") is not False for k in sections) else "degraded"
    if not details:
        for key in ("database", "cache", "broker"):
            report[key] = {k: v for k, v in report[key].items() if k not in ("detail", "error")}
    return database["ok"], report
