from __future__ import annotations

import pytest
from django.db import connection

from core import health


@pytest.mark.django_db
def test_healthz_reports_each_component(client):
    response = client.get("/healthz?broker=0")
    body = response.json()
    assert response.status_code == 200
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is True
    assert set(body["models"]["versions"]) == {"faq_intent", "salic_complexity"}
    # nothing trained in an empty database
    assert body["models"]["versions"]["faq_intent"] == {"production": None, "loaded": None, "ok": True}


@pytest.mark.django_db
def test_healthz_gives_error_details_to_staff_only(client, staff_user, monkeypatch):
    monkeypatch.setattr(
        health, "check_cache", lambda: {"ok": False, "error": "ConnectionError", "detail": "10.1.2.3:6379"}
    )
    anonymous = client.get("/healthz?broker=0").json()
    assert anonymous["cache"] == {"ok": False} and "10.1.2.3" not in str(anonymous)
    client.force_login(staff_user)
    assert client.get("/healthz?broker=0").json()["cache"]["detail"] == "10.1.2.3:6379"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz?broker=0")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False


@pytest.mark.integration
def test_healthz_broker_round_trip_through_a_live_worker(celery_worker_process, client):
    body = client.get("/healthz").json()
    assert body["broker"]["ok"] is True, body
    assert body["status"] == "ok"


@pytest.mark.integration
def test_broker_check_fails_clearly_without_a_worker(transactional_db):
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        result = health.check_broker(timeout=0.5)
    finally:
        app.conf.task_always_eager = previous
    assert result["ok"] is False
    assert result["error"]
