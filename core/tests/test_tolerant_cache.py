"""The Redis cache degrades to misses while Redis is unreachable (core/cache.py)."""

from __future__ import annotations

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from conftest import free_port
from core.cache import TolerantRedisCache


def test_an_unreachable_redis_reads_as_misses_and_drops_writes():
    cache = TolerantRedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    assert cache.get("throttle_anon_1.2.3.4", []) == []
    cache.set("k", "v")
    assert cache.add("k", "v") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    assert cache.get_or_set("k", "computed") == "computed"
    with pytest.raises(RedisConnectionError):  # callers of incr must know nothing was counted
        cache.incr("k")
