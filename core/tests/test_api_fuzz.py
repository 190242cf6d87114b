"""Fuzz every operation of /api/schema/ as every role: no 5xx, and every answer matches the schema.

Schemathesis generates valid and invalid requests from the schema (explicit examples, a coverage
phase of boundary values, then random cases) and sends them through the real WSGI application
(`config.wsgi`). Every response goes through all of its checks: not a server error, documented status,
content type, headers and body; invalid data refused, valid data accepted, authentication enforced,
undeclared methods answered with 405.

The data is seeded once for the module inside a transaction that is rolled back at the end; each test
runs in its own savepoint, so what one role's requests write is gone before the next role starts.
"""

from __future__ import annotations

import json
import zlib
from importlib import import_module
from io import StringIO

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from core.roles import API_CLIENTS, EDITORS, EVALUATORS

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

# Credentials are fixed strings because schemathesis builds its coverage cases, with their
# authentication, when the tests are collected, before any row exists; the seeding stores these keys.
CSRF_TOKEN = "fuzzcsrftoken0123456789abcdefghi"  # 32 characters, the length Django accepts
ROLES: dict[str, tuple[str, str | None]] = {
    # role: (how it authenticates, key); anonymous sends whatever the fuzzer generates
    "anonymous": ("none", None),
    "editor": ("session", "fuzz-session-editor".ljust(32, "0")),  # FAQ editors work in the admin
    "evaluator": ("session", "fuzz-session-evaluator".ljust(32, "0")),  # the dashboards use the session
    "api_client": ("token", "fuzz-token-apiclient".ljust(40, "0")),
    "staff": ("token", "fuzz-token-staff".ljust(40, "0")),
}


def auth_provider(role: str) -> type:
    kind, key = ROLES[role]

    class RoleAuth:
        def get(self, case, ctx):
            return key

        def set(self, case, data, ctx):
            if kind == "token":
                case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}
            else:  # like the pages: the session cookie plus the CSRF token that unsafe methods need
                case.cookies = {**(case.cookies or {}), "sessionid": data, "csrftoken": CSRF_TOKEN}
                case.headers = {**(case.headers or {}), "X-CSRFToken": CSRF_TOKEN}

    RoleAuth.__name__ = f"{role.title().replace('_', '')}Auth"
    return RoleAuth


# Random names and ids almost never exist, so every schema-valid case is also sent aimed at seeded
# rows: the detail views, promotions, rollbacks and feedback then run their real code paths.
SEEDED: dict[str, list] = {}

# The schema cannot say which messages, conversations or intents exist: a 400 that only names such a
# reference is the documented answer to schema-valid data, not valid data refused.
UNKNOWN_ROWS = {
    "Mensagem não encontrada.",
    "Mensagem não encontrada nesta conversa.",
    "Conversa não encontrada.",
    "Intenção desconhecida ou inativa.",
}


def refers_to_unknown_rows(response) -> bool:
    if response.status_code != 400:
        return False
    body = response.json()
    return bool(body) and all(isinstance(v, list) and set(v) <= UNKNOWN_ROWS for v in body.values())


def aimed_at_seeded_rows(case):
    """A copy of a schema-valid case whose path parameters and body ids name seeded rows, or None."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return None
    targets = [name for name in case.path_parameters if name in SEEDED]
    body_targets = [name for name in case.body if name in SEEDED] if isinstance(case.body, dict) else []
    if not targets and not body_targets:
        return None
    pick = zlib.crc32(repr(case).encode())  # deterministic, and varied across cases
    aimed = case.derive(keep_auth=True)
    for name in targets:
        aimed.path_parameters[name] = str(SEEDED[name][pick % len(SEEDED[name])])
    for name in body_targets:
        aimed.body[name] = SEEDED[name][pick % len(SEEDED[name])]
    return aimed


def call_and_check(case) -> None:
    response = case.call()
    excluded = [positive_data_acceptance] if refers_to_unknown_rows(response) else []
    case.validate_response(response, excluded_checks=excluded)


def _seed_users() -> None:
    session_store = import_module(django_settings.SESSION_ENGINE).SessionStore
    groups = {"editor": EDITORS, "evaluator": EVALUATORS, "api_client": API_CLIENTS}
    for role, (kind, key) in ROLES.items():
        if kind == "none":
            continue
        user = User.objects.create_user(
            f"fuzz-{role}", password="pw-fuzz-123", is_staff=role in ("editor", "staff"), is_superuser=role == "staff"
        )
        if role in groups:
            user.groups.add(Group.objects.get(name=groups[role]))
        if kind == "token":
            Token.objects.create(user=user, key=key)
        else:
            # What login() stores, under the fixed key (login() itself would pick a random one).
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            session_store(session_key=key).create_model_instance(data).save(force_insert=True)


def _seed_content(tmp_dir) -> None:
    from faq_bot.answering import faq_chat
    from faq_bot.models import Conversation, Example, Intent, Message
    from faq_bot.nlp import canonical
    from faq_bot.tests.conftest import build_content
    from faq_bot.training import faq_train_blocking
    from model_store.models import ModelVersion
    from salic_ml.modelling.training import salic_train_blocking
    from salic_ml.models import Project, Segment

    build_content()
    faq_train_blocking()
    # A second FAQ version gives promotion and rollback something to move between.
    senha = Intent.objects.get(name="senha")
    text = "troquei de email e perdi a senha"
    Example.objects.create(intent=senha, text=text, canonical_text=canonical(text))
    faq_train_blocking()
    faq_chat(text="esqueci minha senha")

    call_command("salic_generate", "--projects", "120", "--seed", "3", "--out", str(tmp_dir), stdout=StringIO())
    call_command("salic_import", str(tmp_dir), stdout=StringIO(), stderr=StringIO())
    salic_train_blocking()

    SEEDED.update(
        name=sorted(set(ModelVersion.objects.values_list("name", flat=True))),
        version=sorted(set(ModelVersion.objects.values_list("version", flat=True))),
        pronac=list(Project.objects.order_by("pronac").values_list("pronac", flat=True)[:5]),
        code=list(Segment.objects.order_by("code").values_list("code", flat=True)[:5]),
        message_id=list(Message.objects.values_list("pk", flat=True)),
        conversation_id=[str(c) for c in Conversation.objects.values_list("public_id", flat=True)],
        intent=list(Intent.objects.filter(active=True).values_list("name", flat=True)),
    )


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    from model_store.serving import clear_cache

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            clear_cache()
            _seed_users()
            _seed_content(tmp_path_factory.mktemp("salic"))
            # Like Django's test client: the handler must not close the connection holding the test
            # transaction (seeding reconnects these signals, so they are disconnected only now).
            request_started.disconnect(close_old_connections)
            request_finished.disconnect(close_old_connections)
            yield
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            SEEDED.clear()
            clear_cache()


@pytest.fixture(autouse=True)
def handler_keeps_the_module_connection():
    """Django's test client connects close_old_connections again after each of its requests; a later
    schemathesis call would then close the connection holding the module's transaction (an order
    dependency: only after a test that used `client`). So every test starts with them disconnected."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def fuzz_as(role: str):
    # `db` is function-scoped on purpose: the examples of one test share its savepoint.
    @schema.parametrize()
    @schema.auth(auth_provider(role), refresh_interval=None)
    @settings(
        max_examples=20,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    def test(case, seeded, db):
        call_and_check(case)
        aimed = aimed_at_seeded_rows(case)
        if aimed is not None:
            call_and_check(aimed)

    test.__name__ = f"test_fuzz_as_{role}"
    return test


test_fuzz_as_anonymous = fuzz_as("anonymous")
test_fuzz_as_editor = fuzz_as("editor")
test_fuzz_as_evaluator = fuzz_as("evaluator")
test_fuzz_as_api_client = fuzz_as("api_client")
test_fuzz_as_staff = fuzz_as("staff")


@pytest.mark.parametrize(
    ("role", "salic", "models"),
    [
        ("anonymous", 403, 403),
        ("editor", 403, 403),
        ("evaluator", 200, 403),
        ("api_client", 200, 200),
        ("staff", 200, 200),
    ],
)
def test_each_role_is_who_it_claims_to_be(seeded, db, role, salic, models):
    """The fuzzing above is only as good as its credentials: each role reaches exactly its own APIs."""
    from schemathesis.auths import AuthContext

    got = []
    for path in ("/api/salic/indicators/", "/api/models/"):
        case = schema[path]["GET"].Case()
        kind, key = ROLES[role]
        if kind != "none":
            auth_provider(role)().set(case, key, AuthContext(operation=case.operation, app=application))
        got.append(case.call().status_code)
    assert got == [salic, models]


@pytest.mark.parametrize("path", ["/api/salic/projects/%00/", "/api/salic/segments/1%00A/"])
def test_a_nul_in_a_path_parameter_is_a_404(seeded, db, client, path):
    """Schemathesis draws path parameters from printable ASCII, so this case is written by hand:
    PostgreSQL refuses NUL in a query, which made these answer 500."""
    response = client.get(path, HTTP_AUTHORIZATION=f"Token {ROLES['staff'][1]}")
    assert response.status_code == 404
    assert "não encontrado" in response.json()["detail"].lower()


def test_the_schema_lists_every_api_operation():
    """An operation missing from the schema (e.g. `exclude=True`, a schema error) is never fuzzed."""
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert labels >= {
        "GET /api/ping/",
        "POST /api/faq/parse/",
        "POST /api/faq/chat/",
        "POST /api/faq/feedback/",
        "POST /webhooks/rest/webhook",
        "GET /api/models/",
        "GET /api/models/{name}/versions/",
        "GET /api/models/{name}/versions/{version}/",
        "POST /api/models/{name}/versions/{version}/promote/",
        "POST /api/models/{name}/rollback/",
        "GET /api/salic/projects/",
        "GET /api/salic/projects/{pronac}/",
        "GET /api/salic/segments/",
        "GET /api/salic/segments/{code}/",
        "GET /api/salic/indicators/",
    }


@pytest.mark.parametrize("body", ["nested", "oversized"])
def test_every_json_operation_refuses_hostile_bodies_with_a_400(seeded, db, client, settings, body):
    """The fuzzer draws bodies from the schema, so nesting and size are sent here for every operation that
    takes a body: a pt-BR 4xx, never a 500 (the nested body was a 500 with a RecursionError)."""
    payload = (
        "[" * 950 + "]" * 950
        if body == "nested"
        else json.dumps({"text": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    )
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "POST":
            continue
        path = operation.path.replace("{name}", "faq_intent").replace("{version}", "1")
        response = client.post(
            path, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Token {ROLES['staff'][1]}"
        )
        assert response.status_code in (400, 404), (operation.label, response.status_code)
        assert response["Content-Type"].startswith("application/json"), operation.label
        checked += 1
    assert checked >= 6
