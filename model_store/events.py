"""Production-change events: serving processes reload at once instead of at their next periodic check.

A promotion or rollback, once committed, is announced two ways:
- a stamp file under VAR_DIR whose modification time every process on this host checks (one `stat`
  per model lookup, ~1 µs) — the embedded default and a single machine;
- a Redis pub/sub message when REDIS_URL is set, heard by a listener thread in each process — web
  processes on other machines.
Either can be lost (no shared disk, Redis down); the periodic check (MODEL_STORE_CHECK_SECONDS) stays
the fallback, so a missed event delays a reload, never prevents it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

CHANNEL = "model_store:production"

_heard = 0  # messages heard by this process's listener
_listener_pid: int | None = None
_listener_lock = threading.Lock()
subscribed = threading.Event()  # set once this process's listener is subscribed


def stamp_path() -> Path:
    return Path(settings.VAR_DIR) / "model_store-production.stamp"


def announce_production_change(name: str) -> None:
    """Tell every serving process that `name`'s production version changed (call after commit)."""
    path = stamp_path()
    try:
        path.write_text(f"{name} {time.time()}\n")
    except OSError as exc:
        logger.warning("cannot write the production stamp %s: %s", path, exc)
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1).publish(CHANNEL, name)
        except Exception as exc:  # the periodic check still picks the change up
            logger.warning("cannot publish the production change of %s: %s", name, exc)


def production_generation() -> tuple[int, int]:
    """A value that changes whenever a production change was announced to this process."""
    if settings.REDIS_URL and _listener_pid != os.getpid():
        _start_listener()
    try:
        stamp = stamp_path().stat().st_mtime_ns
    except OSError:
        stamp = 0
    return stamp, _heard


def _start_listener() -> None:
    """One daemon thread per process (a forked worker starts its own: threads do not survive fork)."""
    global _listener_pid
    with _listener_lock:
        if _listener_pid == os.getpid():
            return
        _listener_pid = os.getpid()
        threading.Thread(target=_listen, args=(settings.REDIS_URL,), name="model-store-events", daemon=True).start()


def _listen(url: str) -> None:
    global _heard
    import redis

    while True:
        try:
            pubsub = redis.Redis.from_url(url, socket_connect_timeout=2, health_check_interval=30).pubsub(
                ignore_subscribe_messages=True
            )
            pubsub.subscribe(CHANNEL)
            pubsub.get_message(timeout=2)  # the subscription's confirmation
            subscribed.set()
            _heard += 1  # (re)subscribed: anything announced while we were away counts as a change
            for message in pubsub.listen():
                if message.get("type") == "message":
                    _heard += 1
        except Exception as exc:
            subscribed.clear()
            logger.info("production-change listener reconnecting: %s", exc)
            time.sleep(2)
