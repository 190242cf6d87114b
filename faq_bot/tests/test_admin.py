from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from faq_bot.content import faq_content_warnings
from faq_bot.models import Answer, Example, Intent
from model_store.models import TrainingRun

pytestmark = pytest.mark.django_db


def change_form_data(intent: Intent, *, new_example: str = "", answer_text: str | None = None) -> dict:
    examples = list(intent.examples.all())
    answers = list(intent.answers.all())
    data = {"name": intent.name, "title": intent.title, "description": intent.description, "active": "on"}
    data.update({"examples-TOTAL_FORMS": len(examples) + 1, "examples-INITIAL_FORMS": len(examples)})
    data.update({"examples-MIN_NUM_FORMS": 0, "examples-MAX_NUM_FORMS": 1000})
    for i, example in enumerate(examples):
        data.update(
            {f"examples-{i}-id": example.pk, f"examples-{i}-intent": intent.pk, f"examples-{i}-text": example.text}
        )
    data[f"examples-{len(examples)}-text"] = new_example
    data.update({"answers-TOTAL_FORMS": len(answers), "answers-INITIAL_FORMS": len(answers)})
    data.update({"answers-MIN_NUM_FORMS": 0, "answers-MAX_NUM_FORMS": 1000})
    for i, answer in enumerate(answers):
        text = answer_text if answer_text is not None else answer.text
        data.update({f"answers-{i}-id": answer.pk, f"answers-{i}-intent": intent.pk, f"answers-{i}-text": text})
        data[f"answers-{i}-active"] = "on"
    sequence = list(intent.sequence.all())  # the answer-sequence inline (responses in order)
    data.update({"sequence-TOTAL_FORMS": len(sequence), "sequence-INITIAL_FORMS": len(sequence)})
    data.update({"sequence-MIN_NUM_FORMS": 0, "sequence-MAX_NUM_FORMS": 1000})
    for i, step in enumerate(sequence):
        data.update(
            {
                f"sequence-{i}-id": step.pk,
                f"sequence-{i}-intent": intent.pk,
                f"sequence-{i}-position": step.position,
                f"sequence-{i}-response": step.response_id,
            }
        )
    return data


def test_an_editor_adding_an_example_schedules_a_retrain_and_sees_warnings(client, editor_user, base_content):
    client.force_login(editor_user)
    intent = Intent.objects.get(name="senha")
    response = client.post(
        f"/admin/faq_bot/intent/{intent.pk}/change/",
        change_form_data(intent, new_example="qual o preço máximo do ingresso"),
        follow=True,
    )
    assert response.status_code == 200
    assert Example.objects.filter(intent=intent, text="qual o preço máximo do ingresso").exists()
    assert TrainingRun.objects.filter(status="queued").count() == 1
    text = response.content.decode()
    assert "já existe na intenção" in text and "ingressos" in text


def test_an_answer_edit_publishes_without_retraining(client, editor_user, base_content):
    client.force_login(editor_user)
    intent = Intent.objects.get(name="senha")
    response = client.post(
        f"/admin/faq_bot/intent/{intent.pk}/change/",
        change_form_data(intent, answer_text="Nova resposta <b>segura</b>."),
    )
    assert response.status_code == 302
    assert Answer.objects.get(intent=intent).text == "Nova resposta <b>segura</b>."
    assert TrainingRun.objects.count() == 0


def test_train_now_button_queues_a_run(client, editor_user, base_content):
    client.force_login(editor_user)
    response = client.post("/admin/faq_bot/intent/train-now/", follow=True)
    assert response.status_code == 200
    run = TrainingRun.objects.get()
    assert run.status == "queued" and run.trigger.startswith("admin")


def test_intent_list_shows_example_counts(client, editor_user, base_content):
    tiny = Intent.objects.create(name="tiny", title="Tiny")
    Example.objects.bulk_create([Example(intent=tiny, text=t, canonical_text=t) for t in ("um exemplo", "outro")])
    client.force_login(editor_user)
    response = client.get("/admin/faq_bot/intent/")
    assert response.status_code == 200
    rows = {  # intent name -> its row in the change list
        row.split('class="field-name"><a href="')[1].split(">")[1].split("<")[0]: row
        for row in response.content.decode().split("<tr")
        if 'class="field-name"><a' in row
    }
    assert set(rows) == {"senha", "prazo_contas", "saudacao", "ingressos", "tiny"}
    for name in ("senha", "prazo_contas", "saudacao", "ingressos"):
        assert '<td class="field-examples_col">10</td>' in rows[name], rows[name]
        assert '<td class="field-answers_col">1</td>' in rows[name], rows[name]
    # fewer than 5 examples are flagged in red
    assert 'title="menos de 5 exemplos">2</strong>' in rows["tiny"] and 'field-answers_col">0<' in rows["tiny"]


@pytest.mark.parametrize("action,active", [("deactivate", False), ("activate", True)])
def test_activate_and_deactivate_confirm_and_touch_updated_at(client, editor_user, base_content, action, active):
    client.force_login(editor_user)
    intents = list(Intent.objects.filter(name__in=["senha", "saudacao"]))
    long_ago = timezone.now() - timedelta(days=30)
    Intent.objects.filter(pk__in=[i.pk for i in intents]).update(active=not active, updated_at=long_ago)
    response = client.post(
        "/admin/faq_bot/intent/", {"action": action, "_selected_action": [i.pk for i in intents]}, follow=True
    )
    word = "ativada(s)" if active else "desativada(s)"
    assert f"2 intenção(ões) {word}; um novo treino foi agendado." in response.content.decode()
    for intent in Intent.objects.filter(pk__in=[i.pk for i in intents]):
        assert intent.active is active and intent.updated_at > long_ago
    assert TrainingRun.objects.filter(status="queued").count() == 1


def test_evaluators_cannot_edit_faq_content(client, evaluator_user, base_content):
    evaluator_user.is_staff = True
    evaluator_user.save()
    client.force_login(evaluator_user)
    assert client.get("/admin/faq_bot/intent/").status_code == 403


def test_warnings_cover_near_duplicates_and_small_intents(base_content):
    tiny = Intent.objects.create(name="tiny", title="Tiny")
    Example.objects.create(intent=tiny, text="esqueci minha senha!!")  # near-duplicate of senha's example
    warnings = faq_content_warnings(intent=tiny)
    assert any("menos de 5" in w for w in warnings)
    assert any("quase igual" in w and "'senha'" in w for w in warnings)


@pytest.mark.parametrize("model", ["response", "flow", "entity", "synonym", "lookuptable", "regexpattern"])
def test_editors_maintain_the_conversation_content(client, editor_user, model):
    client.force_login(editor_user)
    assert client.get(f"/admin/faq_bot/{model}/").status_code == 200
    assert client.get(f"/admin/faq_bot/{model}/add/").status_code == 200


def test_dates_in_admin_lists_are_compact_pt_br(client, editor_user, base_content):
    client.force_login(editor_user)
    Intent.objects.filter(name="senha").update(updated_at=timezone.make_aware(timezone.datetime(2026, 11, 29, 14, 5)))
    page = client.get("/admin/faq_bot/intent/?q=senha").content.decode()
    assert "29/11/2026 14:05" in page and "Novembro" not in page
