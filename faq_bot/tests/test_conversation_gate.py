"""The gate replays conversation tests and refuses cross-intent near-duplicates, in pt-BR."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from faq_bot.models import Example, Intent
from faq_bot.nlp import canonical
from faq_bot.training import faq_train_blocking
from model_store.serving import clear_cache

from .test_rasa_projects import RASA1

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.MODEL_STORE_CHECK_SECONDS = 0
    clear_cache()
    call_command("faq_import", str(RASA1), stdout=StringIO())
    version = faq_train_blocking().version
    assert version.status == "production"
    return version


def test_the_training_report_lists_each_conversation_test(production):
    tests = production.report["conversation_tests"]
    assert tests["total"] == 1 and tests["passed"] == 1 and tests["turns_ok"] == tests["turns"] == 2
    section = next(s for s in production.report["sections"] if s["title"].startswith("Testes de conversa"))
    assert section["rows"] == [["oi e aceita", "ok", "2/2", "—"]]


def test_a_candidate_that_breaks_a_conversation_test_is_rejected_naming_story_and_turn(production):
    Intent.objects.filter(name="afirmar").update(active=False)
    candidate = faq_train_blocking().version
    assert candidate.status == "rejected"
    story = candidate.report["conversation_tests"]["stories"][0]
    assert story["ok"] is False and story["first_error"]["turn"] == 2
    reasons = " ".join(candidate.gate_reasons)
    assert "O teste de conversa 'oi e aceita' passa em produção e falha na candidata no turno 2 (\"quero\")" in reasons
    assert "esperado utter_cadastro (intenção 'afirmar')" in reasons


def test_a_candidate_adding_a_near_duplicate_of_another_intents_example_is_rejected(production):
    intent = Intent.objects.get(name="prazo")
    Example.objects.create(
        intent=intent, text="oi, preciso de ajuda!", canonical_text=canonical("oi, preciso de ajuda!")
    )
    candidate = faq_train_blocking().version
    assert candidate.status == "rejected"
    assert any(
        'O exemplo novo "oi, preciso de ajuda!" da intenção \'prazo\' é quase igual a "oi, preciso de ajuda" '
        "da intenção 'cumprimentar'" in reason
        for reason in candidate.gate_reasons
    )
    # staff may still force it, with a written reason (the registry's forced promotion)
    from django.contrib.auth.models import User

    from model_store.services import model_version_promote

    staff = User.objects.create_user("chefe", is_staff=True, is_superuser=True)
    assert model_version_promote(version=candidate, actor=staff, reason="frases parecidas de propósito", force=True)
    candidate.refresh_from_db()
    assert candidate.status == "production"
