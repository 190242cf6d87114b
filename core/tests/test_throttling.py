"""Rate limits cannot be dodged with a made-up X-Forwarded-For, and hold across web processes."""

from __future__ import annotations

import sys
import urllib.request

import pytest
from django.test import RequestFactory, override_settings
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from conftest import gunicorn_bind, http, process_env, wait_until_serving


class AnyThrottle(AnonRateThrottle):
    rate = "1/min"


def ident(remote: str, forwarded: str | None, *, proxies: int) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(REST_FRAMEWORK={**_rest(), "NUM_PROXIES": proxies}):
        api_settings.reload()
        try:
            return AnyThrottle().get_ident(Request(RequestFactory().get("/", **meta)))
        finally:
            api_settings.reload()


def _rest() -> dict:
    from django.conf import settings

    return dict(settings.REST_FRAMEWORK)


def test_without_trusted_proxies_the_client_address_is_the_peer_whatever_the_header_says(settings):
    assert settings.TRUSTED_PROXIES == 0 and settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    assert ident("203.0.113.9", "1.1.1.1", proxies=0) == "203.0.113.9"
    assert ident("203.0.113.9", "1.1.1.1, 2.2.2.2", proxies=0) == "203.0.113.9"


def test_behind_one_trusted_proxy_the_address_it_appended_is_the_client():
    # The proxy appends the address it saw; whatever the client wrote before it is ignored.
    assert ident("10.0.0.2", "6.6.6.6, 198.51.100.7", proxies=1) == "198.51.100.7"
    assert ident("10.0.0.2", None, proxies=1) == "10.0.0.2"


@pytest.mark.integration
def test_two_gunicorn_workers_share_one_limit_and_spoofed_headers_do_not_reset_it(transactional_db, spawn):
    port, bind, fd = gunicorn_bind()
    base = f"http://127.0.0.1:{port}"
    env = process_env(THROTTLE_ANON_CHAT="10/min")
    for key in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "TRUSTED_PROXIES", "BEHIND_TLS_PROXY"):
        env.pop(key, None)  # the embedded default: no Redis, no proxy
    argv = [sys.executable, "-m", "gunicorn", "config.wsgi", *bind, "--workers", "2"]
    spawn("throttle-web", argv, env=env, pass_fds=(fd,))

    wait_until_serving(base)
    with urllib.request.urlopen(f"{base}/healthz?broker=0", timeout=5) as response:
        assert response.headers["Server"] == "web"  # gunicorn.conf.py: the server does not name itself
    statuses = [
        http("POST", f"{base}/api/faq/parse/", {"text": "oi"}, headers={"X-Forwarded-For": f"198.51.100.{i}"})[0]
        for i in range(30)
    ]
    allowed = [s for s in statuses if s != 429]
    assert len(allowed) <= 10, statuses  # per process, two workers let up to 20 through
    assert statuses.count(429) >= 20, statuses


def test_the_throttling_message_is_portuguese_and_spelled_right():
    from django.utils import translation
    from rest_framework.exceptions import Throttled

    with translation.override("pt-br"):
        assert str(Throttled(wait=30).detail) == "Muitas solicitações em pouco tempo. Tente de novo em 30 segundos."
        assert str(Throttled(wait=1).detail) == "Muitas solicitações em pouco tempo. Tente de novo em 1 segundo."
