"""Every role against every kind of URL: who gets in, who is sent to log in, who is refused."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

# Allowed cells hold the exact status the view answers with (503 = no model yet, 400 = the probe's
# body is not a valid request), so a removed route (Django's 404 page) or a crash cannot pass as "allowed".
LOGIN = "login"  # redirect to a login page
DENY = "deny"  # 401 or 403

ROLES = ["anonymous", "editor", "evaluator", "api_client", "staff"]
# An API client in production sends only its token: the token authenticates the REST API and
# nothing else, so on the HTML pages it is an anonymous visitor.
TOKEN_ROLE = "api_token"

# url, method, expected per role (same order as ROLES)
MATRIX = [
    ("/", "get", [200, 200, 200, 200, 200]),
    ("/chat/", "get", [200, 200, 200, 200, 200]),
    ("/healthz?broker=0", "get", [200, 200, 200, 200, 200]),
    ("/api/schema/", "get", [200, 200, 200, 200, 200]),
    ("/api/docs/", "get", [200, 200, 200, 200, 200]),
    # the chat's citizens are anonymous: the public chat endpoints need no account
    ("/api/faq/parse/", "post", [503, 503, 503, 503, 503]),
    ("/api/faq/chat/", "post", [400, 400, 400, 400, 400]),
    ("/api/faq/feedback/", "post", [400, 400, 400, 400, 400]),
    ("/webhooks/rest/webhook", "post", [400, 400, 400, 400, 400]),
    ("/chat/widget/", "get", [200, 200, 200, 200, 200]),
    # staff replies of a handoff: the conversation's random id is the capability (404 when unknown)
    ("/api/faq/chat/0b8f7c1e-2f4a-4d59-9b43-3d3c7f1a2b10/replies/", "get", [404, 404, 404, 404, 404]),
    ("/admin/faq_bot/handoff/", "get", [LOGIN, 200, LOGIN, LOGIN, 200]),
    ("/admin/", "get", [LOGIN, 200, LOGIN, LOGIN, 200]),
    ("/admin/faq_bot/intent/", "get", [LOGIN, 200, LOGIN, LOGIN, 200]),
    ("/admin/faq_bot/message/quality/", "get", [LOGIN, 200, LOGIN, LOGIN, 200]),
    ("/admin/salic_ml/project/", "get", [LOGIN, DENY, LOGIN, LOGIN, 200]),
    ("/admin/model_store/modelversion/", "get", [LOGIN, 200, LOGIN, LOGIN, 200]),
    ("/admin/model_store/trainingrun/", "get", [LOGIN, 200, LOGIN, LOGIN, 200]),
    ("/api/models/", "get", [DENY, DENY, DENY, 200, 200]),
    ("/api/models/toy/rollback/", "post", [DENY, DENY, DENY, DENY, 409]),
    ("/api/models/toy/versions/1/promote/", "post", [DENY, DENY, DENY, DENY, 409]),
    ("/api/salic/projects/", "get", [DENY, DENY, 200, 200, 200]),
    ("/api/salic/indicators/", "get", [DENY, DENY, 200, 200, 200]),
    ("/salic/", "get", [LOGIN, DENY, 200, DENY, 200]),
    ("/salic/export.csv", "get", [LOGIN, DENY, 200, DENY, 200]),
    ("/api/salic/segments/", "get", [DENY, DENY, 200, 200, 200]),
]


@pytest.fixture
def users(editor_user, evaluator_user, api_client_user, staff_user):
    # A model in production, so the registry's routes answer for real (a missing route is a 404 too).
    from model_store.tests.conftest import make_version

    make_version("toy")
    return {"editor": editor_user, "evaluator": evaluator_user, "api_client": api_client_user, "staff": staff_user}


def outcome(response) -> str | int:
    if response.status_code in (401, 403):
        return DENY
    if response.status_code == 302 and ("login" in response["Location"] or "entrar" in response["Location"]):
        return LOGIN
    return response.status_code


def token_expectation(url: str, expected: list[str]) -> str:
    by_role = dict(zip(ROLES, expected, strict=True))
    is_rest_api = url.startswith(("/api/", "/webhooks/"))
    return by_role["api_client"] if is_rest_api else by_role["anonymous"]


def request(client, url: str, method: str, **headers):
    if method == "post":
        return client.post(url, {"text": "oi"}, content_type="application/json", **headers)
    return client.get(url, HTTP_ACCEPT="application/json" if url.startswith("/api/schema") else "*/*", **headers)


@pytest.mark.parametrize(("url", "method", "expected"), MATRIX, ids=[f"{m} {u}" for u, m, _ in MATRIX])
def test_permission_matrix(client, users, url, method, expected):
    from rest_framework.authtoken.models import Token

    got = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        got[role] = outcome(request(client, url, method))
    client.logout()
    token = Token.objects.get_or_create(user=users["api_client"])[0].key
    got[TOKEN_ROLE] = outcome(request(client, url, method, HTTP_AUTHORIZATION=f"Token {token}"))
    want = {**dict(zip(ROLES, expected, strict=True)), TOKEN_ROLE: token_expectation(url, expected)}
    assert got == want
