from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from model_store.services import production_version

from .conftest import make_version

pytestmark = pytest.mark.django_db


def test_anonymous_users_cannot_read_or_write(api_client):
    make_version("a", {"x": 1})
    assert api_client.get("/api/models/").status_code in (401, 403)
    assert api_client.post("/api/models/a/rollback/").status_code in (401, 403)


def test_api_client_token_reads_but_cannot_promote(api_client, api_client_user):
    make_version("a", {"x": 1})
    v2 = make_version("a", {"x": 2}, passed=False)
    token = Token.objects.create(user=api_client_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    listing = api_client.get("/api/models/").json()
    assert listing == [{"name": "a", "latest_version": 2, "production_version": 1, "versions": 2}]
    detail = api_client.get("/api/models/a/versions/2/").json()
    assert detail["status"] == "rejected" and detail["gate_reasons"] == ["worse"]
    assert (
        api_client.post(f"/api/models/a/versions/{v2.version}/promote/", {"force": True, "reason": "x"}).status_code
        == 403
    )


def test_editor_cannot_promote(api_client, editor_user):
    make_version("a", {"x": 1})
    api_client.force_authenticate(editor_user)
    assert api_client.post("/api/models/a/rollback/").status_code == 403


def test_staff_force_promotes_and_rolls_back(api_client, staff_user):
    make_version("a", {"x": 1})
    make_version("a", {"x": 2}, passed=False)
    api_client.force_authenticate(staff_user)
    refused = api_client.post("/api/models/a/versions/2/promote/", {}, format="json")
    assert refused.status_code == 409 and "portão" in refused.json()["detail"]
    forced = api_client.post("/api/models/a/versions/2/promote/", {"force": True, "reason": "ok"}, format="json")
    assert forced.status_code == 200 and forced.json()["status"] == "production"
    back = api_client.post("/api/models/a/rollback/", {"reason": "regret"}, format="json")
    assert back.status_code == 200 and back.json()["version"] == 1
    assert production_version("a").version == 1


def test_unknown_models_and_versions_are_404(api_client, staff_user):
    api_client.force_authenticate(staff_user)
    assert api_client.get("/api/models/nope/versions/").status_code == 404
    assert api_client.get("/api/models/nope/versions/3/").status_code == 404
    assert api_client.post("/api/models/nope/rollback/").status_code == 404


def test_schema_documents_the_registry(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/models/{name}/versions/{version}/promote/" in schema["paths"]
