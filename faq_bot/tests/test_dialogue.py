"""Conversations over the real endpoints, with our Rasa 1.x project imported and trained."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from faq_bot.models import Conversation, FlowStep, Message
from faq_bot.training import faq_train_blocking
from model_store.models import TrainingRun
from model_store.serving import clear_cache

from .test_rasa_projects import RASA1

pytestmark = pytest.mark.django_db


@pytest.fixture
def rasa1(settings):
    settings.MODEL_STORE_CHECK_SECONDS = 0
    clear_cache()
    call_command("faq_import", str(RASA1), stdout=StringIO())
    run = faq_train_blocking()
    assert run.version.status == "production"
    return run.version


def post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def chat(client, message, conversation=None):
    payload = {"message": message}
    if conversation:
        payload["conversation_id"] = conversation
    response = post(client, "/api/faq/chat/", payload)
    assert response.status_code == 200, response.content
    return response.json()


def texts(body):
    return [m["text"] for m in body["messages"]]


def test_a_follow_up_yes_or_no_gets_what_the_story_says(client, rasa1):
    first = chat(client, "bom dia")
    assert first["intent"] == "cumprimentar"
    assert len(first["messages"]) == 2
    assert first["messages"][1] == {
        "text": "Você quer saber como se cadastrar no SALIC?",
        "buttons": [{"title": "Sim", "payload": "/afirmar"}, {"title": "Não", "payload": "/negar"}],
    }
    conversation = first["conversation_id"]
    yes = chat(client, "quero", conversation)
    assert texts(yes) == ["O cadastro é feito com a sua conta gov.br, na tela inicial do SALIC."]
    chat(client, "oi", conversation)
    no = chat(client, "/negar", conversation)  # a button payload names the intent directly
    assert texts(no) == ["Em que mais posso te ajudar?"]
    assert Message.objects.filter(conversation__public_id=conversation).last().actions == [
        "utter_cumprimentar",
        "utter_oferecer_cadastro",
    ]


def test_intent_payloads_with_entities_fill_slots_in_answers(client, rasa1):
    body = chat(client, '/prazo{"tema": "captacao"}')
    assert body["intent"] == "prazo" and body["confidence"] == 1.0
    assert len(body["messages"]) == 2
    assert "captacao" in body["messages"][0]["text"]
    assert body["messages"][1]["text"] == "Em que mais posso te ajudar?"
    # no tema: the intent's own answer, with the default in place of {tema}
    plain = chat(client, "/prazo")
    assert "esse assunto" in plain["answer"] and "{tema}" not in plain["answer"]


@pytest.mark.parametrize("text", ["/", "/Nao Existe", '/prazo{"tema": ', "/prazo[1]"])
def test_text_that_only_starts_with_a_slash_is_classified_like_any_text(client, rasa1, text):
    body = chat(client, text)
    assert Message.objects.get(pk=body["message_id"]).source == "typed"


def test_an_unknown_intent_payload_is_a_clear_400(client, rasa1):
    response = post(client, "/api/faq/chat/", {"message": "/nao_existe"})
    assert response.status_code == 400
    assert response.json() == {"intent": ["Intenção desconhecida ou inativa."]}


def test_the_webhook_answers_with_several_messages_in_rasa_shape(client, rasa1):
    reply = post(client, "/webhooks/rest/webhook", {"sender": "u9", "message": "oi"}).json()
    assert len(reply) == 2 and all(m["recipient_id"] == "u9" for m in reply)
    assert reply[1]["buttons"] == [{"title": "Sim", "payload": "/afirmar"}, {"title": "Não", "payload": "/negar"}]
    follow = post(client, "/webhooks/rest/webhook", {"sender": "u9", "message": reply[1]["buttons"][0]["payload"]})
    assert [m["text"] for m in follow.json()] == [
        "O cadastro é feito com a sua conta gov.br, na tela inicial do SALIC."
    ]
    unknown = post(client, "/webhooks/rest/webhook", {"sender": "u9", "message": "/nao_existe"})
    assert unknown.status_code == 400


def test_the_session_expires_after_the_configured_timeout(client, rasa1, settings):
    first = chat(client, "oi")
    conversation = Conversation.objects.get(public_id=first["conversation_id"])
    settings.FAQ_SESSION_TIMEOUT_MINUTES = 30
    Conversation.objects.filter(pk=conversation.pk).update(last_active_at=timezone.now() - timedelta(minutes=31))
    after = chat(client, "quero", first["conversation_id"])
    # the offer is forgotten: "quero" alone matches the OR story (cadastro | afirmar)
    assert texts(after) == ["O cadastro é feito com a sua conta gov.br, na tela inicial do SALIC."]
    assert len(Conversation.objects.get(pk=conversation.pk).turns) == 1


def test_editing_a_flow_takes_effect_without_retraining(client, rasa1):
    runs = TrainingRun.objects.count()
    step = FlowStep.objects.get(flow__name="recusou o cadastro", kind="action")
    step.name = "utter_cadastro"
    step.save()
    conversation = chat(client, "oi")["conversation_id"]
    assert texts(chat(client, "/negar", conversation)) == [
        "O cadastro é feito com a sua conta gov.br, na tela inicial do SALIC."
    ]
    assert TrainingRun.objects.count() == runs


def test_conversation_state_adds_at_most_two_queries_to_a_turn(client, rasa1, settings, django_assert_max_num_queries):
    settings.FAQ_DIALOGUE_CACHE_SECONDS = 60
    settings.MODEL_STORE_CHECK_SECONDS = 60
    conversation = chat(client, "oi")["conversation_id"]
    # savepoint + conversation read + message insert + release; before the dialogue a turn also read
    # the answers and updated the message (6 in all). The dialogue state adds one: the conversation update.
    with django_assert_max_num_queries(5):
        chat(client, "quero", conversation)


def test_parse_returns_entities_with_synonyms_applied(client, rasa1):
    body = post(client, "/api/faq/parse/", {"text": "qual o prazo de captação do pronac 123456?"}).json()
    entities = body["entities"]
    assert {
        "entity": "tema",
        "value": "captacao",
        "start": 16,
        "end": 24,
        "extractor": "AnnotatedExampleExtractor",
        "processors": ["EntitySynonymMapper"],
    } in entities
    assert {"entity": "pronac", "value": "123456", "start": 35, "end": 41, "extractor": "RegexEntityExtractor"} in (
        entities
    )
    assert body["text"][16:24] == "captação"


def test_a_logged_conversation_becomes_a_conversation_test_from_the_admin(client, rasa1, staff_user):
    conversation = chat(client, "bom dia")["conversation_id"]
    chat(client, "quero", conversation)
    from faq_bot.models import Flow

    client.force_login(staff_user)
    row = Conversation.objects.get(public_id=conversation)
    response = client.post(
        "/admin/faq_bot/conversation/", {"action": "save_as_test", "_selected_action": [row.pk]}, follow=True
    )
    assert "Teste de conversa criado" in response.content.decode()
    test = Flow.objects.get(kind="test", source=f"conversa {conversation}")
    assert [(s.kind, s.name, s.text) for s in test.steps.all()] == [
        ("intent", "cumprimentar", "bom dia"),
        ("action", "utter_cumprimentar", ""),
        ("action", "utter_oferecer_cadastro", ""),
        ("intent", "afirmar", "quero"),
        ("action", "utter_cadastro", ""),
    ]
