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
    assert set(body["models"]) == {"faq_intent", "salic_complexity"}
    assert body["models"]["faq_intent"] is None  # nothing trained in an empty database


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
