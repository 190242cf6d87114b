from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from faq_bot.content import faq_content_import
from faq_bot.importers import ContentBundle, IntentData
from faq_bot.models import ContentState, Example, Intent
from faq_bot.names import MODEL_NAME
from faq_bot.training import faq_retrain_now, faq_retrain_schedule, faq_train_blocking
from model_store.models import ModelVersion, TrainingRun
from model_store.services import production_version

pytestmark = pytest.mark.django_db

OVERLAPPING = [
    "esqueci minha senha do gov",
    "como recupero a senha gov",
    "nao lembro a senha gov",
    "senha bloqueada o que faço gov",
    "quero trocar minha senha gov",
    "minha senha não funciona gov",
    "redefinir senha de acesso gov",
    "perdi a senha gov",
]
DISTINCT = [
    "o projeto precisa ter acessibilidade",
    "acessibilidade com intérprete de libras",
    "acessibilidade com audiodescrição",
    "acessibilidade física para cadeirantes",
    "quais medidas de acessibilidade são exigidas",
    "acessibilidade com legendas no filme",
    "acessibilidade comunicacional no evento",
    "plano de acessibilidade do projeto",
    "acessibilidade é obrigatória?",
    "custos de acessibilidade no orçamento",
]


def test_the_central_scenario_a_harmful_intent_is_blocked_and_a_clean_one_promoted(base_content):
    # Real content can refuse what is not its business (the gate also counts out-of-scope answers).
    from .test_fallback import NOT_OURS

    faq_content_import(bundle=ContentBundle(intents={"out_of_scope": IntentData("out_of_scope", examples=NOT_OURS)}))
    v1 = faq_train_blocking().version
    assert v1.status == "production" and v1.gate_passed

    faq_content_import(bundle=ContentBundle(intents={"senha_gov": IntentData("senha_gov", examples=OVERLAPPING)}))
    run = faq_train_blocking()
    blocked = run.version
    assert run.status == "succeeded" and blocked.status == "rejected"
    assert any("'senha'" in reason and "senha_gov" in reason for reason in blocked.gate_reasons), blocked.gate_reasons
    assert production_version(MODEL_NAME) == v1

    Example.objects.filter(intent__name="senha_gov").delete()
    faq_content_import(bundle=ContentBundle(intents={"senha_gov": IntentData("senha_gov", examples=DISTINCT)}))
    promoted = faq_train_blocking().version
    assert promoted.status == "production", promoted.gate_reasons
    assert promoted.version == 3 and production_version(MODEL_NAME) == promoted
    assert promoted.compared_to == v1


def test_identical_content_is_skipped_and_points_at_the_existing_version(base_content):
    first = faq_train_blocking()
    again = faq_train_blocking()
    assert again.status == "skipped" and again.version == first.version
    assert ModelVersion.objects.filter(name=MODEL_NAME).count() == 1


def test_five_quick_edits_schedule_one_run(base_content, settings):
    settings.FAQ_RETRAIN_DEBOUNCE_SECONDS = 10
    runs = {faq_retrain_schedule(trigger="edit").pk for _ in range(5)}
    assert len(runs) == 1
    run = TrainingRun.objects.get()
    assert run.status == "queued" and run.not_before is not None
    assert ContentState.objects.get().pending_run == run


def test_an_edit_after_the_pending_run_started_schedules_a_new_one(base_content):
    first = faq_retrain_schedule(trigger="edit")
    TrainingRun.objects.filter(pk=first.pk).update(status="running")
    second = faq_retrain_schedule(trigger="edit")
    assert second.pk != first.pk


def test_train_now_starts_the_waiting_debounced_run_instead_of_adding_one(base_content):
    pending = faq_retrain_schedule(trigger="edit")
    now = faq_retrain_now(trigger="manual")
    assert now.pk == pending.pk
    now.refresh_from_db()
    assert now.not_before is None
    assert TrainingRun.objects.count() == 1


def test_a_failed_training_leaves_production_untouched(base_content):
    v1 = faq_train_blocking().version
    Intent.objects.exclude(name="senha").update(active=False)  # one intent cannot be trained
    Example.objects.create(intent=Intent.objects.get(name="senha"), text="mais uma sobre senha")
    run = faq_train_blocking()
    assert run.status == "failed" and "2 intenções" in run.error
    assert production_version(MODEL_NAME) == v1


def test_faq_train_json_prints_the_documented_shape(base_content):
    out = StringIO()
    call_command("faq_train", "--wait", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"version", "status", "gate", "metrics", "per_intent", "confusions"}
    assert data["version"] == 1 and data["status"] == "succeeded"
    assert data["gate"] == {"passed": True, "reasons": []}
    assert set(data["metrics"]) == {"accuracy", "macro_f1", "weighted_f1"}
    assert set(data["per_intent"]["senha"]) == {"precision", "recall", "f1", "support"}


def test_the_report_shows_weakest_intents_first_and_golden_results(base_content):
    version = faq_train_blocking().version
    report = version.report
    titles = [s["title"] for s in report["sections"]]
    assert titles[0].startswith("Métricas por intenção")
    f1s = [row[3] for row in report["sections"][0]["rows"]]
    assert f1s == sorted(f1s)
    assert report["golden"]["total"] == 4
    assert version.metrics["golden_accuracy"] == report["golden"]["accuracy"]


def test_the_artifact_serves_without_the_full_lookup_table(base_content):
    from model_store.serving import load_version

    version = faq_train_blocking().version
    model = load_version(version).obj
    assert len(model.lemmatizer.table) < 20_000
    assert model.rank("esqueci a senha")[0][0] == "senha"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_trainings_of_the_same_content_make_one_version():
    import threading

    from django.db import connection

    from .conftest import build_content

    build_content()
    results: list = []
    start_together = threading.Barrier(2, timeout=30)

    def train() -> None:
        try:
            start_together.wait()
            results.append(faq_train_blocking(trigger="concurrent").status)
        finally:
            connection.close()

    # Two threads, each with its own database connection: the claim is decided by the database.
    threads = [threading.Thread(target=train) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(results) == ["skipped", "succeeded"]
    assert ModelVersion.objects.filter(name=MODEL_NAME).count() == 1
    # They really overlapped: the second request came while the first was still training, and its
    # claim had to wait for the first to finish (without the claim's lock it would have started at once).
    first = TrainingRun.objects.get(status="succeeded")
    second = TrainingRun.objects.get(status="skipped")
    assert second.created_at < first.finished_at
    assert second.started_at >= first.finished_at and second.version == first.version
