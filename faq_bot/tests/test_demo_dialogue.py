"""The demo content's own flows: a follow-up with sim/não branches, two-message answers, a menu."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from faq_bot.dialogue import load_dialogue_content, next_actions
from faq_bot.policy import Turn
from faq_bot.validation import faq_content_validate

pytestmark = pytest.mark.django_db

FOLDER = django_settings.BASE_DIR / "fixtures" / "faq"


@pytest.fixture
def demo(db):
    call_command(
        "faq_import",
        str(FOLDER / "content.json"),
        str(FOLDER / "golden.json"),
        str(FOLDER / "dialogue"),
        stdout=StringIO(),
    )
    return load_dialogue_content()


def actions(content, intent, history=()):
    return next_actions(content, history=list(history), intent=intent, entities={}, unsure=False)[0]


def test_the_demo_content_validates_without_errors(demo):
    assert [str(i) for i in faq_content_validate() if i.level == "erro"] == []


def test_the_greeting_offers_the_registration_and_yes_or_no_follow_it(demo):
    greeted = actions(demo, "saudacao")
    assert greeted == ["utter_saudacao", "utter_oferecer_cadastro"]
    history = [Turn("saudacao", {}, greeted)]
    assert actions(demo, "afirmar", history) == ["utter_cadastro_proponente_salic", "utter_em_que_mais"]
    assert actions(demo, "negar", history) == ["utter_em_que_mais"]
    # out of context, "sim" and "não" get their own short answers
    assert actions(demo, "afirmar") == ["utter_afirmar"]
    assert demo.responses["utter_oferecer_cadastro"][1] == [
        {"title": "Sim", "payload": "/afirmar"},
        {"title": "Não", "payload": "/negar"},
    ]


def test_answers_in_two_messages_and_a_button_menu(demo):
    assert actions(demo, "prazo_captacao") == ["utter_prazo_captacao", "utter_em_que_mais"]
    assert actions(demo, "menu") == ["utter_menu"]
    payloads = [b["payload"] for b in demo.responses["utter_menu"][1]]
    assert payloads == ["/cadastro_proponente_salic", "/prazo_captacao", "/prestacao_contas", "/contato_ministerio"]
    assert all(f"utter_{p[1:]}" in demo.responses for p in payloads)


def test_faq_demo_trains_on_it_and_its_conversation_tests_pass(db, settings, client):
    import json

    from model_store.models import ModelVersion
    from model_store.serving import clear_cache

    settings.MODEL_STORE_CHECK_SECONDS = 0
    clear_cache()
    call_command("faq_demo", stdout=StringIO())
    version = ModelVersion.objects.get(name="faq_intent")
    tests = version.report["conversation_tests"]
    assert version.status == "production" and tests["total"] == tests["passed"] == 2
    body = client.post("/api/faq/chat/", json.dumps({"message": "oi, tudo bem?"}), content_type="application/json")
    messages = body.json()["messages"]
    assert len(messages) == 2 and messages[1]["text"] == "Você quer saber como se cadastrar no SALIC?"
