"""Settings read from the environment, proven by what a request or the task router then does."""

from __future__ import annotations

import json
import runpy
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]


def production_settings(monkeypatch, **env: str) -> dict:
    """What config/settings.py computes under `env` (on top of this process's environment)."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "config" / "settings.py"))


@pytest.mark.django_db
def test_behind_a_tls_proxy_x_forwarded_proto_https_is_secure_and_without_it_the_header_is_ignored(
    settings, monkeypatch
):
    monkeypatch.delenv("INSECURE_HTTP", raising=False)
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    behind = production_settings(monkeypatch, BEHIND_TLS_PROXY="1")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert behind["TRUSTED_PROXIES"] == behind["REST_FRAMEWORK"]["NUM_PROXIES"] == 1
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = behind["SECURE_PROXY_SSL_HEADER"]
    client = Client()
    assert client.get("/salic/entrar/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    plain = client.get("/salic/entrar/", HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")

    # Without the proxy nobody may claim HTTPS with a header: the redirect stays.
    monkeypatch.delenv("BEHIND_TLS_PROXY")
    direct = runpy.run_path(str(ROOT / "config" / "settings.py"))
    assert "SECURE_PROXY_SSL_HEADER" not in direct and direct["TRUSTED_PROXIES"] == 0
    settings.SECURE_PROXY_SSL_HEADER = None  # Django's default
    spoofed = Client().get("/salic/entrar/", HTTP_X_FORWARDED_PROTO="https")
    assert spoofed.status_code == 301


def test_throttle_rates_come_from_the_environment_and_off_or_empty_disables_a_limit(monkeypatch):
    for name in ("THROTTLE_ANON_CHAT", "THROTTLE_USER_CHAT", "THROTTLE_ANON_FEEDBACK", "THROTTLE_ANON_POLL"):
        monkeypatch.delenv(name, raising=False)
    defaults = runpy.run_path(str(ROOT / "config" / "settings.py"))["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]
    assert defaults == {
        "anon_chat": "60/min",
        "user_chat": "600/min",
        "anon_feedback": "20/min",
        "anon_poll": "120/min",
    }
    rates = production_settings(
        monkeypatch, THROTTLE_ANON_CHAT="off", THROTTLE_USER_CHAT=" 2/min ", THROTTLE_ANON_FEEDBACK=""
    )["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]
    assert rates == {"anon_chat": None, "user_chat": "2/min", "anon_feedback": None, "anon_poll": "120/min"}
    assert (
        production_settings(monkeypatch, THROTTLE_ANON_CHAT="None")["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"][
            "anon_chat"
        ]
        is None
    )


def throttled_chat(client, monkeypatch, **env: str):
    """A chat request function under the throttle rates config/settings.py computes from `env`."""
    from faq_bot.api import AnonChatThrottle, UserChatThrottle

    rates = production_settings(monkeypatch, **env)["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]
    # DRF reads the rates once at import; give the throttles what the settings computed from the env.
    monkeypatch.setattr(AnonChatThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(UserChatThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    return lambda: (
        client.post("/api/faq/chat/", json.dumps({"message": "oi"}), content_type="application/json").status_code
    )  # 503: no model yet, the throttle decides first


@pytest.mark.django_db
def test_a_signed_in_user_gets_the_user_rate_and_an_anonymous_visitor_the_anonymous_one(
    client, evaluator_user, monkeypatch
):
    chat = throttled_chat(client, monkeypatch, THROTTLE_ANON_CHAT="2/min", THROTTLE_USER_CHAT="4/min")
    assert [chat() for _ in range(3)] == [503, 503, 429]
    client.force_login(evaluator_user)
    assert [chat() for _ in range(5)] == [503, 503, 503, 503, 429]


@pytest.mark.django_db
def test_with_both_chat_limits_off_nobody_is_throttled(client, evaluator_user, monkeypatch):
    chat = throttled_chat(client, monkeypatch, THROTTLE_ANON_CHAT="off", THROTTLE_USER_CHAT="off")
    assert [chat() for _ in range(8)] == [503] * 8
    client.force_login(evaluator_user)
    assert [chat() for _ in range(8)] == [503] * 8


def test_training_tasks_go_to_the_training_queue_with_late_acks_and_a_prefetch_of_one():
    from config.celery import app

    app.loader.import_default_modules()
    training = [
        "faq_bot.tasks.train_faq_model",
        "salic_ml.tasks.train_salic_model",
        "salic_ml.tasks.fit_salic_area",
        "salic_ml.tasks.assemble_salic_model",
        "salic_ml.tasks.rescore_salic_model",
    ]
    for name in training:
        assert name in app.tasks, name
        assert app.amqp.router.route({}, name)["queue"].name == "training", name
        assert app.tasks[name].acks_late is True, name
    for name in ("config.ping", "model_store.tasks.sweep_stale_runs", "faq_bot.tasks.purge_conversations"):
        assert app.amqp.router.route({}, name)["queue"].name == "default", name
    assert app.conf.worker_prefetch_multiplier == 1


@pytest.mark.django_db
def test_beat_purges_conversations_daily_and_keeps_180_days_by_default(settings, monkeypatch):
    from faq_bot.models import Conversation
    from faq_bot.tasks import purge_conversations

    monkeypatch.delenv("FAQ_CONVERSATION_RETENTION_DAYS", raising=False)
    production = runpy.run_path(str(ROOT / "config" / "settings.py"))
    assert production["FAQ_CONVERSATION_RETENTION_DAYS"] == 180
    schedule = production["CELERY_BEAT_SCHEDULE"]["faq-purge-old-conversations"]
    assert schedule == {"task": "faq_bot.tasks.purge_conversations", "schedule": 24 * 3600.0}
    settings.FAQ_CONVERSATION_RETENTION_DAYS = production["FAQ_CONVERSATION_RETENTION_DAYS"]

    now = timezone.now()
    old = Conversation.objects.create(public_id=uuid.uuid4(), created_at=now - timedelta(days=180, hours=1))
    recent = Conversation.objects.create(public_id=uuid.uuid4(), created_at=now - timedelta(days=179, hours=23))
    assert purge_conversations.apply().get() == 1
    assert list(Conversation.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Conversation.objects.filter(pk=old.pk).exists()
