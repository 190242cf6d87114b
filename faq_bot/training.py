"""FAQ training flow, one code path for admin, CLI and Celery:
content → dataset snapshot → (skip if identical) → cross-validation → final fit → register → gate.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from model_store.code import source_digest
from model_store.models import DatasetSnapshot, ModelVersion, TrainingRun
from model_store.pipeline import FitResult, train_and_gate
from model_store.runs import RunContext, RunOutcome, training_run_create, training_run_enqueue, training_run_execute
from model_store.services import GateResult, dataset_snapshot_create
from model_store.serving import load_version

from .classifier import DEFAULT_PARAMS, IntentClassifier
from .conversation_tests import ConversationTest, conversation_tests_load, describe_error, replay
from .dialogue import DialogueContent, load_dialogue_content
from .duplicates import NEAR_DUPLICATE_SIMILARITY, best_matches
from .evaluation import cross_validate, golden_results
from .gate import GateThresholds, faq_gate
from .models import ContentState, Example, RegressionCase
from .names import MODEL_NAME, TRAIN_TASK
from .nlp import Lemmatizer


@cache
def code_version() -> str:
    """Digest of the modules that shape the model: changing them means a different model."""
    here = Path(__file__).resolve().parent
    return source_digest(here / module for module in ("nlp.py", "classifier.py", "evaluation.py"))


def faq_training_rows() -> list[tuple[str, str]]:
    """(intent name, example text) of every active intent, in a canonical order."""
    rows = Example.objects.filter(intent__active=True).values_list("intent__name", "text")
    return sorted((name, text) for name, text in rows)


def faq_golden_cases() -> list[tuple[str, str]]:
    cases = RegressionCase.objects.filter(active=True, expected_intent__active=True)
    return sorted(cases.values_list("text", "expected_intent__name"))


def faq_params() -> dict[str, Any]:
    return {**DEFAULT_PARAMS, **getattr(settings, "FAQ_CLASSIFIER_PARAMS", {})}


def faq_dataset_snapshot(rows: list[tuple[str, str]]) -> DatasetSnapshot:
    intents = {name for name, _ in rows}
    return dataset_snapshot_create(
        kind=DatasetSnapshot.Kind.FAQ,
        rows=[list(r) for r in rows],
        row_counts={"examples": len(rows), "intents": len(intents)},
        source="faq_bot: exemplos das intenções ativas",
    )


def faq_fit(
    *,
    rows: list[tuple[str, str]],
    golden: list[tuple[str, str]],
    params: dict[str, Any],
    ctx: RunContext | None,
    dialogue: tuple[DialogueContent, list[ConversationTest]] | None = None,
) -> FitResult:
    """Cross-validate, fit the final model on all rows, run the golden set. Returns what to register."""
    texts = [text for _, text in rows]
    labels = [name for name, _ in rows]
    if len(set(labels)) < 2:
        raise ValueError("São necessárias pelo menos 2 intenções ativas com exemplos para treinar.")

    def progress(percent: int, message: str) -> None:
        if ctx:
            ctx.progress(percent, message)

    progress(5, "preparando o lematizador")
    lemmatizer = Lemmatizer.for_texts(texts)
    cv = cross_validate(
        texts, labels, params=params, lemmatizer=lemmatizer, progress=lambda fold, msg: progress(10 + fold * 12, msg)
    )
    progress(75, "treinando o modelo final com todos os exemplos")
    classifier = IntentClassifier(params=dict(params)).fit(
        texts,
        labels,
        lemmatizer=lemmatizer,
        calibration_scores=cv.oof_scores if cv.oof_labels else None,
        calibration_labels=cv.oof_labels or None,
    )
    known = set(classifier.labels)
    report = dict(cv.report)
    report["golden"] = golden_results(classifier, [(t, i) for t, i in golden if i in known])
    report["temperature"] = round(classifier.temperature, 4)
    if dialogue is not None and dialogue[1]:
        progress(80, "testes de conversa")
        report["conversation_tests"] = replay(classifier, dialogue[0], dialogue[1])
    report["sections"] = _report_sections(report)
    metrics = {
        "accuracy": report.get("accuracy"),
        "macro_f1": report.get("macro_f1"),
        "weighted_f1": report.get("weighted_f1"),
        "golden_accuracy": report["golden"]["accuracy"],
        "conversation_turn_accuracy": report.get("conversation_tests", {}).get("turn_accuracy"),
        "intents": len(known),
        "examples": len(texts),
    }
    return FitResult(obj=classifier, metrics=metrics, report=report)


def _report_sections(report: dict[str, Any]) -> list[dict[str, Any]]:
    per_intent = report.get("per_intent", {})
    weakest = sorted(per_intent.items(), key=lambda item: (item[1]["f1"], item[0]))
    sections = [
        {
            "title": "Métricas por intenção (validação cruzada estratificada, 5 dobras), da mais fraca à mais forte",
            "columns": ["intenção", "precisão", "revocação", "F1", "exemplos"],
            "rows": [[k, v["precision"], v["recall"], v["f1"], v["support"]] for k, v in weakest],
        },
        {
            "title": "Principais confusões (intenção verdadeira → prevista)",
            "columns": ["verdadeira", "prevista", "vezes", "exemplos"],
            "rows": [
                [c["true"], c["predicted"], c["count"], " | ".join(c["examples"])] for c in report.get("confusions", [])
            ],
        },
    ]
    stories = report.get("conversation_tests", {}).get("stories", [])
    if stories:
        sections.append(
            {
                "title": "Testes de conversa (histórias de teste repassadas pelo diálogo com a candidata)",
                "columns": ["história", "resultado", "turnos certos", "primeiro turno errado"],
                "rows": [
                    [
                        s["name"],
                        "ok" if s["ok"] else "FALHA",
                        f"{s['turns_ok']}/{s['turns']}",
                        describe_error(s["first_error"]) if s["first_error"] else "—",
                    ]
                    for s in sorted(stories, key=lambda s: (s["ok"], s["name"]))
                ],
            }
        )
    if report.get("not_evaluated"):
        sections.append(
            {
                "title": "Intenções não avaliadas (menos exemplos que dobras)",
                "note": "Entram no treino, mas não têm nota: acrescente exemplos para que sejam validadas.",
                "columns": ["intenção"],
                "rows": [[name] for name in report["not_evaluated"]],
            }
        )
    return sections


def _thresholds() -> GateThresholds:
    return GateThresholds(
        max_intent_f1_drop=settings.FAQ_GATE_MAX_INTENT_F1_DROP, max_macro_f1_drop=settings.FAQ_GATE_MAX_MACRO_F1_DROP
    )


def faq_gate_for(candidate: ModelVersion, production: ModelVersion | None) -> GateResult:
    """Gate a registered candidate against the production version, on today's golden set, today's
    conversation tests, and the examples the candidate's data adds."""
    production_golden: dict[str, str] = {}
    production_stories: dict[str, bool] = {}
    duplicates: list[dict[str, Any]] = []
    if production is not None:
        texts = [case["text"] for case in candidate.report.get("golden", {}).get("cases", [])]
        stories = conversation_tests_load() if candidate.report.get("conversation_tests") else []
        if texts or stories:
            prod_model = load_version(production).obj
            if texts:
                production_golden = dict(zip(texts, prod_model.predict(texts), strict=True))
            if stories:
                replayed = replay(prod_model, load_dialogue_content(), stories)
                production_stories = {s["name"]: s["ok"] for s in replayed["stories"]}
        duplicates = new_near_duplicates(_dataset_rows(candidate), _dataset_rows(production))
    return faq_gate(
        candidate=candidate.report,
        production=production.report if production else None,
        production_golden=production_golden,
        thresholds=_thresholds(),
        production_stories=production_stories,
        near_duplicates=duplicates,
    )


def _dataset_rows(version: ModelVersion) -> list[tuple[str, str]]:
    import json

    data = version.dataset.canonical_bytes() if version.dataset_id else b""
    return [(str(r[0]), str(r[1])) for r in json.loads(data)] if data else []


def new_near_duplicates(candidate: list[tuple[str, str]], production: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Examples the candidate adds that are (near-)duplicates of another intent's example."""
    from .nlp import canonical

    known = {(intent, canonical(text)) for intent, text in production}
    rows = [(intent, text, canonical(text)) for intent, text in candidate]
    new = [r for r in rows if (r[0], r[2]) not in known]
    found = []
    for intent, text, canon in new:
        others = [r for r in rows if r[0] != intent]
        if not others:
            continue
        [(best, score)] = best_matches([canon], [r[2] for r in others])
        if score >= NEAR_DUPLICATE_SIMILARITY:
            other = others[best]
            found.append(
                {"intent": intent, "text": text, "other_intent": other[0], "other_text": other[1], "score": score}
            )
    return found


def faq_train(ctx: RunContext) -> RunOutcome:
    """The trainer behind every FAQ training run."""
    ctx.progress(2, "lendo o conteúdo")
    rows = faq_training_rows()
    golden = faq_golden_cases()
    params = faq_params()
    return train_and_gate(
        ctx=ctx,
        name=MODEL_NAME,
        dataset=faq_dataset_snapshot(rows),
        params=params,
        code_version=code_version(),
        fit=lambda c: faq_fit(
            rows=rows,
            golden=golden,
            params=params,
            ctx=c,
            dialogue=(load_dialogue_content(), conversation_tests_load()),
        ),
        gate=faq_gate_for,
    )


# --- Scheduling -------------------------------------------------------------------------------


@transaction.atomic
def faq_retrain_schedule(*, trigger: str, user: Any = None) -> TrainingRun:
    """Content changed: (re)arm one debounced run that starts FAQ_RETRAIN_DEBOUNCE_SECONDS after the last change."""
    state = ContentState.objects.select_for_update().get_or_create(pk=1)[0]
    now = timezone.now()
    not_before = now + timedelta(seconds=settings.FAQ_RETRAIN_DEBOUNCE_SECONDS)
    state.changed_at = now
    pending = state.pending_run
    if pending is not None and pending.status == TrainingRun.Status.QUEUED:
        TrainingRun.objects.filter(pk=pending.pk).update(not_before=not_before)
        state.save(update_fields=["changed_at"])
        return pending
    run = training_run_create(name=MODEL_NAME, trigger=trigger, requested_by=user, not_before=not_before)
    state.pending_run = run
    state.save(update_fields=["changed_at", "pending_run"])
    training_run_enqueue(run=run, task=TRAIN_TASK, countdown=settings.FAQ_RETRAIN_DEBOUNCE_SECONDS)
    return run


@transaction.atomic
def faq_retrain_now(*, trigger: str = "manual", user: Any = None) -> TrainingRun:
    """Queue a run immediately (admin "train now", CLI). A waiting debounced run is started instead."""
    state = ContentState.objects.select_for_update().get_or_create(pk=1)[0]
    pending = state.pending_run
    if pending is not None and pending.status == TrainingRun.Status.QUEUED:
        TrainingRun.objects.filter(pk=pending.pk).update(not_before=None)
        training_run_enqueue(run=pending, task=TRAIN_TASK)
        return pending
    run = training_run_create(name=MODEL_NAME, trigger=trigger, requested_by=user)
    training_run_enqueue(run=run, task=TRAIN_TASK)
    return run


def faq_train_blocking(*, trigger: str = "cli", user: Any = None) -> TrainingRun:
    """Train in this process and wait (CLI `--wait`, demo setup). Same trainer as the worker."""
    run = training_run_create(name=MODEL_NAME, trigger=trigger, requested_by=user)
    return training_run_execute(run.pk, faq_train, wait_if_busy=600) or TrainingRun.objects.get(pk=run.pk)
