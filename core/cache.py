"""Django's Redis cache, degraded instead of broken while Redis is unreachable.

In production one Redis is both the Celery broker and the cache. The cache only holds what can be
recomputed (throttle histories, dashboard summaries), so while Redis is down a read is a miss and a
write is dropped: the public chat keeps answering from the cached model (its throttle lets requests
through) instead of answering 500 until Redis is back. `/healthz` still reports the cache as down.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
_last_warning = 0.0


def _degrade(fallback: Callable[..., Any]) -> Callable:
    """Run the Redis call; when Redis is unreachable, log (at most once a minute) and return the fallback."""

    def decorate(method: Callable) -> Callable:
        @wraps(method)
        def call(self, *args, **kwargs):
            global _last_warning
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                if time.monotonic() - _last_warning > 60:
                    _last_warning = time.monotonic()
                    logger.warning("cache unreachable, serving without it: %s", exc)
                return fallback(*args, **kwargs)

        return call

    return decorate


class TolerantRedisCacheClient(RedisCacheClient):
    add = _degrade(lambda *a, **k: False)(RedisCacheClient.add)
    get = _degrade(lambda key, default: default)(RedisCacheClient.get)
    set = _degrade(lambda *a, **k: None)(RedisCacheClient.set)
    touch = _degrade(lambda *a, **k: False)(RedisCacheClient.touch)
    delete = _degrade(lambda *a, **k: False)(RedisCacheClient.delete)
    get_many = _degrade(lambda *a, **k: {})(RedisCacheClient.get_many)
    has_key = _degrade(lambda *a, **k: False)(RedisCacheClient.has_key)
    set_many = _degrade(lambda *a, **k: [])(RedisCacheClient.set_many)
    delete_many = _degrade(lambda *a, **k: None)(RedisCacheClient.delete_many)
    # incr and clear still raise: their callers must know the operation did not happen.


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
