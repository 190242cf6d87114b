from __future__ import annotations

import json
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import kept_for_the_module
from faq_bot.models import Conversation, Feedback, Message
from faq_bot.training import faq_train_blocking
from model_store.serving import clear_cache

from .conftest import build_content

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def trained_once(django_db_setup, django_db_blocker):
    """The base content trained once for the module; each test's own writes still roll back."""
    with kept_for_the_module(django_db_blocker):
        build_content()
        yield faq_train_blocking().version


@pytest.fixture
def trained(trained_once, db, settings):
    settings.MODEL_STORE_CHECK_SECONDS = 0
    clear_cache()
    return trained_once


def post(client, url, payload, **extra):
    return client.post(url, json.dumps(payload), content_type="application/json", **extra)


def test_parse_returns_the_rasa_shape(client, trained):
    response = post(client, "/api/faq/parse/", {"text": "esqueci minha senha"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"text", "intent", "entities", "intent_ranking", "model"}
    assert body["intent"]["name"] == "senha"
    assert body["model"] == {"name": "faq_intent", "version": trained.version}
    ranking = [r["confidence"] for r in body["intent_ranking"]]
    assert ranking == sorted(ranking, reverse=True) and len(ranking) == 4


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "obrigatório"),
        ({"text": ""}, "vazia"),
        ({"text": "    "}, "vazia"),
        ({"text": "x" * 1001}, "1000"),
        ({"text": 42}, "texto"),
        ({"text": ["oi"]}, "texto"),
        ({"text": None}, "nula"),
    ],
)
def test_parse_rejects_bad_text_with_a_clear_400(client, db, payload, message):
    response = post(client, "/api/faq/parse/", payload)
    assert response.status_code == 400
    assert message in json.dumps(response.json(), ensure_ascii=False)


def test_invalid_json_and_invalid_utf8_are_400(client, db):
    bad_json = client.post("/api/faq/parse/", '{"text": "oi"', content_type="application/json")
    assert bad_json.status_code == 400 and "JSON" in bad_json.json()["detail"]
    bad_bytes = client.post("/api/faq/parse/", b'{"text": "\xff\xfe"}', content_type="application/json")
    assert bad_bytes.status_code == 400


def test_exactly_1000_characters_is_accepted(client, trained):
    assert post(client, "/api/faq/parse/", {"text": "senha " * 166 + "abcd"}).status_code == 200


def test_parse_costs_no_query_between_version_checks(client, trained, settings, django_assert_num_queries):
    settings.MODEL_STORE_CHECK_SECONDS = 60
    settings.FAQ_DIALOGUE_CACHE_SECONDS = 60
    post(client, "/api/faq/parse/", {"text": "oi"})
    with django_assert_num_queries(0):
        for _ in range(5):
            assert post(client, "/api/faq/parse/", {"text": "oi"}).status_code == 200


def test_chat_answers_and_logs_with_the_model_version(client, trained):
    body = post(client, "/api/faq/chat/", {"message": "qual o prazo da prestação de contas?"}).json()
    assert body["intent"] == "prazo_contas" and not body["fallback"]
    assert body["answer"] == "Resposta sobre prazo_contas."
    message = Message.objects.get(pk=body["message_id"])
    assert message.model_version == trained and message.ranking[0]["name"] == "prazo_contas"
    follow_up = post(client, "/api/faq/chat/", {"message": "oi", "conversation_id": body["conversation_id"]}).json()
    assert follow_up["conversation_id"] == body["conversation_id"]
    assert Conversation.objects.count() == 1


def test_an_unclear_message_falls_back_with_up_to_three_suggestions(client, trained, settings):
    settings.FAQ_FALLBACK_MIN_CONFIDENCE = 0.99  # make the fallback certain for this test
    body = post(client, "/api/faq/chat/", {"message": "xyzzy"}).json()
    assert body["fallback"] is True and body["answer"] == settings.FAQ_FALLBACK_ANSWER
    assert 1 <= len(body["suggestions"]) <= 3
    assert set(body["suggestions"][0]) == {"intent", "title"}
    chosen = body["suggestions"][0]
    picked = post(
        client,
        "/api/faq/chat/",
        {"message": chosen["title"], "conversation_id": body["conversation_id"], "intent": chosen["intent"]},
    ).json()
    assert picked["fallback"] is False and picked["intent"] == chosen["intent"]
    assert Message.objects.get(pk=picked["message_id"]).source == "suggestion"


def test_chat_rejects_unknown_conversations_and_intents(client, trained):
    assert post(client, "/api/faq/chat/", {"message": "oi", "conversation_id": str(uuid.uuid4())}).status_code == 400
    assert post(client, "/api/faq/chat/", {"message": "oi", "conversation_id": "nope"}).status_code == 400
    assert post(client, "/api/faq/chat/", {"message": "oi", "intent": "nao_existe"}).status_code == 400


def test_rasa_rest_webhook_shape_and_button_payloads(client, trained, settings):
    reply = post(client, "/webhooks/rest/webhook", {"sender": "u1", "message": "esqueci minha senha"}).json()
    assert reply == [{"recipient_id": "u1", "text": "Resposta sobre senha."}]
    settings.FAQ_FALLBACK_MIN_CONFIDENCE = 0.99
    fallback = post(client, "/webhooks/rest/webhook", {"sender": "u1", "message": "xyzzy"}).json()[0]
    assert fallback["buttons"][0]["payload"].startswith("/")
    chosen = post(
        client, "/webhooks/rest/webhook", {"sender": "u1", "message": fallback["buttons"][0]["payload"]}
    ).json()
    assert chosen[0]["text"].startswith("Resposta sobre")
    assert Conversation.objects.filter(channel="rasa", sender_id="u1").count() == 1


def test_feedback_is_stored_and_replaced(client, trained):
    reply = post(client, "/api/faq/chat/", {"message": "oi"}).json()
    mine = {"conversation_id": reply["conversation_id"], "message_id": reply["message_id"]}
    assert post(client, "/api/faq/feedback/", {**mine, "helpful": False}).status_code == 201
    assert post(client, "/api/faq/feedback/", {**mine, "helpful": True, "comment": "ok"}).status_code == 201
    assert Feedback.objects.get().helpful is True
    assert post(client, "/api/faq/feedback/", {**mine, "helpful": "talvez"}).status_code == 400


def test_only_the_conversation_holder_can_rate_its_answers_and_ids_do_not_leak(client, trained):
    mine = post(client, "/api/faq/chat/", {"message": "oi"}).json()
    theirs = post(client, "/api/faq/chat/", {"message": "esqueci minha senha"}).json()
    # no conversation: refused by validation
    assert post(client, "/api/faq/feedback/", {"message_id": theirs["message_id"], "helpful": False}).status_code == 400
    # someone else's message through my conversation, and a message that does not exist: the same answer
    not_mine = post(
        client,
        "/api/faq/feedback/",
        {"conversation_id": mine["conversation_id"], "message_id": theirs["message_id"], "helpful": False},
    )
    missing = post(
        client,
        "/api/faq/feedback/",
        {"conversation_id": mine["conversation_id"], "message_id": 999_999, "helpful": False},
    )
    assert not_mine.status_code == missing.status_code == 404
    assert not_mine.json() == missing.json()
    assert not Feedback.objects.exists()


def test_feedback_has_its_own_rate_limit(client, trained, monkeypatch):
    from django.core.cache import cache

    from faq_bot.api import AnonFeedbackThrottle

    monkeypatch.setattr(AnonFeedbackThrottle, "THROTTLE_RATES", {"anon_feedback": "3/min"})
    cache.clear()
    reply = post(client, "/api/faq/chat/", {"message": "oi"}).json()
    body = {"conversation_id": reply["conversation_id"], "message_id": reply["message_id"], "helpful": True}
    codes = [post(client, "/api/faq/feedback/", body).status_code for _ in range(5)]
    assert codes == [201, 201, 201, 429, 429]


def test_anonymous_use_is_throttled(client, trained, monkeypatch):
    from django.core.cache import cache

    from faq_bot.api import AnonChatThrottle

    # DRF reads rates once at import; the production value comes from THROTTLE_ANON_CHAT.
    monkeypatch.setattr(AnonChatThrottle, "THROTTLE_RATES", {"anon_chat": "3/min"})
    cache.clear()
    codes = [post(client, "/api/faq/parse/", {"text": "oi"}).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]


def test_a_promotion_is_picked_up_without_a_restart(client, trained, staff_user):
    from faq_bot.models import Example, Intent
    from model_store.services import model_version_promote

    assert post(client, "/api/faq/parse/", {"text": "oi"}).json()["model"]["version"] == 1
    Example.objects.create(intent=Intent.objects.get(name="saudacao"), text="olá, bom dia a todos")
    v2 = faq_train_blocking().version
    if v2.status != "production":
        model_version_promote(version=v2, actor=staff_user, force=True, reason="test")
    assert post(client, "/api/faq/parse/", {"text": "oi"}).json()["model"]["version"] == 2


def test_the_schema_documents_every_chat_endpoint_with_examples(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/faq/parse/", "/api/faq/chat/", "/api/faq/feedback/", "/webhooks/rest/webhook"):
        assert path in schema["paths"], path
        assert "examples" in json.dumps(schema["paths"][path]["post"])


def test_purge_removes_only_old_conversations(trained):
    old = Conversation.objects.create(public_id=uuid.uuid4(), created_at=timezone.now() - timezone.timedelta(days=400))
    new = Conversation.objects.create(public_id=uuid.uuid4())
    out = StringIO()
    call_command("faq_purge_conversations", "--days", "180", stdout=out)
    assert "1 conversa" in out.getvalue()
    assert not Conversation.objects.filter(pk=old.pk).exists() and Conversation.objects.filter(pk=new.pk).exists()


def test_the_chat_body_built_by_hand_is_exactly_the_documented_serializer(trained):
    from faq_bot.answering import faq_chat
    from faq_bot.api import ChatResponse, chat_response_body

    replies = [
        faq_chat(text=text) for text in ("esqueci minha senha", "xyzzy plugh", "oi", "quero falar com um atendente")
    ]
    assert any(r.fallback for r in replies) and any(not r.fallback for r in replies)
    for reply in replies:
        assert json.loads(json.dumps(chat_response_body(reply))) == json.loads(json.dumps(ChatResponse(reply).data))


def test_parse_answers_json_whatever_the_accept_header_and_refuses_other_bodies(client, trained):
    as_html = post(client, "/api/faq/parse/", {"text": "esqueci minha senha"}, HTTP_ACCEPT="text/html")
    assert as_html.status_code == 200 and as_html["Content-Type"] == "application/json"
    assert as_html.json()["intent"]["name"] == "senha"
    form = client.post("/api/faq/parse/", {"text": "esqueci minha senha"})  # multipart form
    assert form.status_code == 415 and form["Content-Type"] == "application/json"
    for payload in (["esqueci minha senha"], "esqueci minha senha"):  # JSON, but not an object
        response = post(client, "/api/faq/parse/", payload)
        assert response.status_code == 400 and "non_field_errors" in response.json()
