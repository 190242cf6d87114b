"""Every role against every kind of URL: who gets in, who is sent to log in, who is refused."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

IN = "in"  # 200, or a non-auth status such as 404/503 from the view itself
LOGIN = "login"  # redirect to a login page
DENY = "deny"  # 401 or 403

ROLES = ["anonymous", "editor", "evaluator", "api_client", "staff"]
# An API client in production sends only its token: the token authenticates the REST API and
# nothing else, so on the HTML pages it is an anonymous visitor.
TOKEN_ROLE = "api_token"

# url, method, expected per role (same order as ROLES)
MATRIX = [
    ("/", "get", [IN, IN, IN, IN, IN]),
    ("/chat/", "get", [IN, IN, IN, IN, IN]),
    ("/healthz?broker=0", "get", [IN, IN, IN, IN, IN]),
    ("/api/schema/", "get", [IN, IN, IN, IN, IN]),
    ("/api/docs/", "get", [IN, IN, IN, IN, IN]),
    # the chat's citizens are anonymous: the public chat endpoints need no account
    ("/api/faq/parse/", "post", [IN, IN, IN, IN, IN]),
    ("/api/faq/chat/", "post", [IN, IN, IN, IN, IN]),
    ("/api/faq/feedback/", "post", [IN, IN, IN, IN, IN]),
    ("/webhooks/rest/webhook", "post", [IN, IN, IN, IN, IN]),
    ("/chat/widget/", "get", [IN, IN, IN, IN, IN]),
    # staff replies of a handoff: the conversation's random id is the capability (404 when unknown)
    ("/api/faq/chat/0b8f7c1e-2f4a-4d59-9b43-3d3c7f1a2b10/replies/", "get", [IN, IN, IN, IN, IN]),
    ("/admin/faq_bot/handoff/", "get", [LOGIN, IN, LOGIN, LOGIN, IN]),
    ("/admin/", "get", [LOGIN, IN, LOGIN, LOGIN, IN]),
    ("/admin/faq_bot/intent/", "get", [LOGIN, IN, LOGIN, LOGIN, IN]),
    ("/admin/faq_bot/message/quality/", "get", [LOGIN, IN, LOGIN, LOGIN, IN]),
    ("/admin/salic_ml/project/", "get", [LOGIN, DENY, LOGIN, LOGIN, IN]),
    ("/admin/model_store/modelversion/", "get", [LOGIN, IN, LOGIN, LOGIN, IN]),
    ("/admin/model_store/trainingrun/", "get", [LOGIN, IN, LOGIN, LOGIN, IN]),
    ("/api/models/", "get", [DENY, DENY, DENY, IN, IN]),
    ("/api/models/faq_intent/rollback/", "post", [DENY, DENY, DENY, DENY, IN]),
    ("/api/models/faq_intent/versions/1/promote/", "post", [DENY, DENY, DENY, DENY, IN]),
    ("/api/salic/projects/", "get", [DENY, DENY, IN, IN, IN]),
    ("/api/salic/indicators/", "get", [DENY, DENY, IN, IN, IN]),
    ("/salic/", "get", [LOGIN, DENY, IN, DENY, IN]),
    ("/salic/export.csv", "get", [LOGIN, DENY, IN, DENY, IN]),
    ("/api/salic/segments/", "get", [DENY, DENY, IN, IN, IN]),
]


@pytest.fixture
def users(editor_user, evaluator_user, api_client_user, staff_user):
    return {"editor": editor_user, "evaluator": evaluator_user, "api_client": api_client_user, "staff": staff_user}


def outcome(response) -> str:
    if response.status_code in (401, 403):
        return DENY
    if response.status_code == 302 and ("login" in response["Location"] or "entrar" in response["Location"]):
        return LOGIN
    assert response.status_code != 500, response.content[:200]  # 503 = "no model yet": the view answered
    return IN


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
