"""The chat API before any model was trained (apart from test_api.py, whose module shares one trained model)."""

from __future__ import annotations

import json

import pytest

from model_store.serving import clear_cache

pytestmark = pytest.mark.django_db


def post(client, url, payload, **extra):
    return client.post(url, json.dumps(payload), content_type="application/json", **extra)


def test_without_a_production_model_the_api_says_so_with_503(client, base_content):
    clear_cache()
    response = post(client, "/api/faq/parse/", {"text": "oi"})
    assert response.status_code == 503 and "modelo" in response.json()["detail"]
