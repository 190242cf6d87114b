"""Production-change events reach serving processes at once (model_store/events.py)."""

from __future__ import annotations

import pytest
import redis

from conftest import wait_until
from model_store import events
from model_store.serving import clear_cache, get_production_model

from .conftest import make_version

REDIS_URL = "redis://127.0.0.1:6379/15"

pytestmark = pytest.mark.django_db


def test_without_an_event_the_cached_version_is_served_until_the_next_check(settings):
    settings.MODEL_STORE_CHECK_SECONDS = 3600
    clear_cache()
    make_version("a", {"x": 1})
    assert get_production_model("a").version == 1
    make_version("a", {"x": 2})  # promoted inside the test transaction: no commit, no event
    assert get_production_model("a").version == 1


def test_the_stamp_written_after_a_promotion_makes_this_process_reload(settings, django_capture_on_commit_callbacks):
    settings.MODEL_STORE_CHECK_SECONDS = 3600
    clear_cache()
    make_version("a", {"x": 1})
    assert get_production_model("a").version == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_version("a", {"x": 2})
    assert callbacks, "the promotion registers its announcement on commit"
    assert events.stamp_path().read_text().startswith("a ")
    assert get_production_model("a").version == 2


@pytest.mark.django_db(transaction=True)
def test_a_redis_message_from_another_host_makes_this_process_reload(settings, tmp_path):
    settings.MODEL_STORE_CHECK_SECONDS = 3600
    settings.REDIS_URL = REDIS_URL
    settings.VAR_DIR = tmp_path  # another host: this process never sees that host's stamp file
    clear_cache()
    make_version("a", {"x": 1})
    assert get_production_model("a").version == 1  # starts the listener
    assert events.subscribed.wait(10), "the listener subscribed"
    assert get_production_model("a").version == 1
    settings.VAR_DIR = tmp_path / "elsewhere"  # the promoting host writes its stamp somewhere else
    settings.VAR_DIR.mkdir()
    make_version("a", {"x": 2})  # committed: announces on that host's stamp and on Redis
    settings.VAR_DIR = tmp_path
    wait_until(lambda: get_production_model("a").version == 2, timeout=10, what="the Redis event is heard")


def test_a_lost_event_costs_only_time_the_periodic_check_still_reloads(settings):
    settings.MODEL_STORE_CHECK_SECONDS = 0
    clear_cache()
    make_version("a", {"x": 1})
    assert get_production_model("a").version == 1
    make_version("a", {"x": 2})  # no event at all
    assert get_production_model("a").version == 2


def test_publishing_to_an_unreachable_redis_does_not_fail_the_promotion(settings, django_capture_on_commit_callbacks):
    from conftest import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    with django_capture_on_commit_callbacks(execute=True):
        version = make_version("a", {"x": 1})
    assert version.status == "production"
    redis.Redis.from_url(REDIS_URL).ping()  # (the real Redis is still there for the other tests)
