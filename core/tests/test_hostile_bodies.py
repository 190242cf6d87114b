"""Deeply nested or oversized JSON bodies are a Portuguese 400 on every JSON endpoint, never a 500."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from core.parsers import MAX_JSON_DEPTH, json_depth_exceeds
from model_store.tests.conftest import make_version

pytestmark = pytest.mark.django_db

NESTED = ("[" * 950 + "]" * 950).encode()  # ~2 KB; json.loads alone would exhaust its recursion
ENDPOINTS = ["/api/faq/parse/", "/api/faq/chat/", "/webhooks/rest/webhook", "/api/faq/feedback/"]


def test_the_depth_scan_counts_brackets_outside_strings_only():
    assert not json_depth_exceeds(json.dumps({"text": "[" * 500}).encode())
    assert not json_depth_exceeds(json.dumps({"t": '\\"[[[[' * 50}).encode())
    assert json_depth_exceeds(b"[" * (MAX_JSON_DEPTH + 1))
    assert not json_depth_exceeds(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_deeply_nested_body_is_a_400_in_portuguese(url):
    response = APIClient().post(url, NESTED, content_type="application/json")
    assert response.status_code == 400
    assert "aninhado demais" in response.json()["detail"]


def test_promoting_with_a_nested_body_is_a_400_too(staff_user):
    mv = make_version("a", {"x": 1})
    client = APIClient()
    client.force_authenticate(staff_user)
    response = client.post(f"/api/models/a/versions/{mv.version}/promote/", NESTED, content_type="application/json")
    assert response.status_code == 400 and "aninhado demais" in response.json()["detail"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_body_over_the_size_limit_is_a_json_400_not_an_english_page(url, settings):
    body = json.dumps({"text": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = APIClient().post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] in ("Requisição inválida ou grande demais.", "Corpo da requisição grande demais.")
