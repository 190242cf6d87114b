"""Editors always know what happened to their change: the intent pages show the last training's
verdict, and a rejected candidate that keeps blocking later trainings is named with its cause."""

from __future__ import annotations

import pytest

from faq_bot.models import Example, Intent
from faq_bot.nlp import canonical
from faq_bot.tests.conftest import BASE_CONTENT
from faq_bot.tests.test_admin import change_form_data
from faq_bot.training import faq_train, faq_train_blocking
from model_store.models import ModelVersion, TrainingRun
from model_store.runs import training_run_execute

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected(base_content):
    """v1 in production, then an intent copying another's examples: v2 rejected by the gate."""
    assert faq_train_blocking().version.status == ModelVersion.Status.PRODUCTION
    copy = Intent.objects.create(name="copia_senha", title="Cópia")
    Example.objects.bulk_create(
        [Example(intent=copy, text=t, canonical_text=canonical(t)) for t in BASE_CONTENT["senha"]]
    )
    run = faq_train_blocking()
    assert run.version.status == ModelVersion.Status.REJECTED
    return run


def test_the_intent_list_says_the_last_training_was_rejected_why_and_by_which_intent(client, editor_user, rejected):
    client.force_login(editor_user)
    page = client.get("/admin/faq_bot/intent/").content.decode()
    assert f"Treino #{rejected.pk}: a versão v{rejected.version.version} foi rejeitada pelo portão" in page
    assert "todo novo treino também será rejeitado" in page
    assert rejected.version.gate_reasons[0].replace("'", "&#x27;").replace('"', "&quot;") in page
    copy = Intent.objects.get(name="copia_senha")
    assert f'<a href="/admin/faq_bot/intent/{copy.pk}/change/">copia_senha</a>' in page
    assert f'href="/admin/model_store/modelversion/{rejected.version.pk}/change/">Abrir o relatório' in page
    # the editor can open the report in one click
    assert client.get(f"/admin/model_store/modelversion/{rejected.version.pk}/change/").status_code == 200


def test_the_change_page_of_the_blocking_intent_says_so(client, editor_user, rejected):
    client.force_login(editor_user)
    copy = Intent.objects.get(name="copia_senha")
    page = client.get(f"/admin/faq_bot/intent/{copy.pk}/change/").content.decode()
    assert "Esta intenção é citada nos motivos da rejeição." in page
    other = Intent.objects.get(name="saudacao")
    page = client.get(f"/admin/faq_bot/intent/{other.pk}/change/").content.decode()
    assert "foi rejeitada pelo portão" in page and "Esta intenção é citada" not in page


def test_an_unrelated_edit_is_told_it_is_queued_and_then_that_it_was_rejected_for_the_same_cause(
    client, editor_user, rejected
):
    client.force_login(editor_user)
    intent = Intent.objects.get(name="ingressos")
    response = client.post(
        f"/admin/faq_bot/intent/{intent.pk}/change/",
        change_form_data(intent, new_example="ingresso meia entrada para estudante"),
        follow=True,
    )
    queued = TrainingRun.objects.get(status="queued")
    text = response.content.decode()
    assert f"o treino #{queued.pk} foi agendado" in text
    assert f"Treino #{queued.pk} na fila" in text and 'data-pending="1"' in text
    status = client.get("/admin/faq_bot/intent/training-status/", HTTP_ACCEPT="application/json").json()
    assert status["pending"] is True

    training_run_execute(queued.pk, faq_train)
    status = client.get("/admin/faq_bot/intent/training-status/").json()
    assert status["pending"] is False
    assert f"Treino #{queued.pk}: a versão v3 foi rejeitada pelo portão" in status["html"]
    assert ">copia_senha</a>" in status["html"] and "Abrir o relatório" in status["html"]


def test_a_promoted_training_is_reported_with_its_version(client, editor_user, base_content):
    run = faq_train_blocking()
    client.force_login(editor_user)
    page = client.get("/admin/faq_bot/intent/").content.decode()
    assert f"Treino #{run.pk}: a versão v1 foi promovida e está em produção." in page
    assert "data-pending" not in page


def test_the_status_endpoint_is_for_editors_only(client, evaluator_user, base_content):
    evaluator_user.is_staff = True
    evaluator_user.save()
    client.force_login(evaluator_user)
    assert client.get("/admin/faq_bot/intent/training-status/").status_code == 403
