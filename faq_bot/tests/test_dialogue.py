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
    chat(client, "oi")  # loads the model and the dialogue content
    # A new conversation is written once, with its first state: savepoint, conversation insert,
    # message insert, release (the test's transaction turns BEGIN/COMMIT into a savepoint).
    with django_assert_max_num_queries(4):
        conversation = chat(client, "oi")["conversation_id"]
    # A later turn: savepoint + conversation read + conversation-state update + message insert + release.
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


def test_faq_validate_lists_issues_and_replays_the_conversation_tests(rasa1):
    from django.core.management import CommandError

    out = StringIO()
    call_command("faq_validate", "--tests", stdout=out)
    assert "teste 'oi e aceita': ok" in out.getvalue()
    assert "testes de conversa: 1/1 passaram; 2/2 turnos certos" in out.getvalue()
    step = FlowStep.objects.get(flow__name="aceitou o cadastro", kind="action")
    step.name = "utter_sumiu"
    step.save()
    out = StringIO()
    with pytest.raises(CommandError, match="1 erro"):
        call_command("faq_validate", "--tests", stdout=out)
    assert "resposta desconhecida 'utter_sumiu'" in out.getvalue()
    assert "teste 'oi e aceita': FALHA — turno 2 (\"quero\")" in out.getvalue()


def test_saving_a_flow_that_breaks_a_conversation_test_warns_at_once(client, rasa1, staff_user):
    from faq_bot.models import Flow

    flow = Flow.objects.get(name="aceitou o cadastro")
    steps = list(flow.steps.all())
    data = {"name": flow.name, "kind": "story", "active": "on", "source": flow.source}
    data.update({"steps-TOTAL_FORMS": len(steps), "steps-INITIAL_FORMS": len(steps)})
    data.update({"steps-MIN_NUM_FORMS": 0, "steps-MAX_NUM_FORMS": 1000})
    for i, step in enumerate(steps):
        name = "utter_em_que_mais" if step.kind == "action" else step.name
        data.update(
            {
                f"steps-{i}-id": step.pk,
                f"steps-{i}-flow": flow.pk,
                f"steps-{i}-position": step.position,
                f"steps-{i}-kind": step.kind,
                f"steps-{i}-name": name,
                f"steps-{i}-entities": "[]",
                f"steps-{i}-text": "",
            }
        )
    client.force_login(staff_user)
    response = client.post(f"/admin/faq_bot/flow/{flow.pk}/change/", data, follow=True)
    text = response.content.decode()
    assert "O teste de conversa &#x27;oi e aceita&#x27; falha com o modelo em produção: turno 2" in text


def test_the_review_queue_saves_a_messages_conversation_as_a_test(client, rasa1, staff_user):
    from faq_bot.models import Flow

    conversation = chat(client, "bom dia")["conversation_id"]
    message = Message.objects.get(conversation__public_id=conversation)
    client.force_login(staff_user)
    client.post("/admin/faq_bot/message/", {"action": "save_conversation_as_test", "_selected_action": [message.pk]})
    test = Flow.objects.get(kind="test", source=f"conversa {conversation}")
    assert [s.name for s in test.steps.all()] == ["cumprimentar", "utter_cumprimentar", "utter_oferecer_cadastro"]
