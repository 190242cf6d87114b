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
from .fallback import fallback_thresholds
from .gate import GateThresholds, faq_gate
from .models import ContentState, Example, RegressionCase
from .names import MODEL_NAME, TRAIN_TASK
from .nlp import Lemmatizer
from .out_of_scope import PATH as OUT_OF_SCOPE_PATH
from .out_of_scope import out_of_scope_cases
from .reliability import out_of_scope_result, reliability_report


@cache
def code_version() -> str:
    """Digest of the modules that shape the model: changing them means a different model."""
    here = Path(__file__).resolve().parent
    modules = ("nlp.py", "classifier.py", "evaluation.py", "perturb.py", "selective.py", "reliability.py")
    return source_digest([*(here / module for module in modules), OUT_OF_SCOPE_PATH])


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
    if cv.oof_labels:
        progress(78, "limiares de resposta, fora do escopo, robustez e calibração")
        report.update(
            reliability_report(
                cv=cv,
                classifier=classifier,
                out_of_scope=out_of_scope_cases(training_texts=texts),
                target=settings.FAQ_ANSWER_TARGET_ACCURACY,
                floor=fallback_thresholds(None),
            )
        )
        point = report["operating_point"]
        classifier.fallback_thresholds = {"min_confidence": point["min_confidence"], "min_margin": point["min_margin"]}
    report["golden"] = golden_results(classifier, [(t, i) for t, i in golden if i in known])
    report["temperature"] = round(classifier.temperature, 4)
    if dialogue is not None and dialogue[1]:
        progress(80, "testes de conversa")
        report["conversation_tests"] = replay(classifier, dialogue[0], dialogue[1])
    report["sections"] = _report_sections(report) + _reliability_sections(report)
    report["charts"] = _reliability_charts(report)
    metrics = {
        "accuracy": report.get("accuracy"),
        "macro_f1": report.get("macro_f1"),
        "weighted_f1": report.get("weighted_f1"),
        "golden_accuracy": report["golden"]["accuracy"],
        "conversation_turn_accuracy": report.get("conversation_tests", {}).get("turn_accuracy"),
        **_reliability_metrics(report),
        "intents": len(known),
        "examples": len(texts),
    }
    return FitResult(obj=classifier, metrics=metrics, report=report)


def _reliability_metrics(report: dict[str, Any]) -> dict[str, Any]:
    if "operating_point" not in report:
        return {}
    point, perturbed = report["operating_point"], report["perturbed"]
    return {
        "answered_accuracy": point["answered_accuracy"],
        "coverage": point["coverage"],
        "min_confidence": point["min_confidence"],
        "min_margin": point["min_margin"],
        "out_of_scope_false_accept": report["out_of_scope"]["false_accept_rate"],
        "perturbed_macro_f1": perturbed["by_kind"].get("tudo junto"),
        "short_accuracy": report["short_utterances"]["accuracy"],
        "calibration_error": report["calibration"]["ece"],
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%".replace(".", ",")


def _reliability_sections(report: dict[str, Any]) -> list[dict[str, Any]]:
    """pt-BR tables of the operating point, out-of-scope, perturbed, short-utterance and calibration figures."""
    if "operating_point" not in report:
        return []
    point, oos = report["operating_point"], report["out_of_scope"]
    perturbed, short, calib = report["perturbed"], report["short_utterances"], report["calibration"]
    reached = "alcançada" if point["reached"] else "NÃO alcançada"
    return [
        {
            "title": "Ponto de operação (limiares escolhidos pelos dados)",
            "note": (
                f"Meta: {_pct(point['target'])} de respostas certas entre as perguntas respondidas ({reached}). "
                "Limiares escolhidos nas pontuações fora da dobra; abaixo deles o assistente pede para reformular "
                "e sugere assuntos."
            ),
            "columns": ["confiança mínima", "margem mínima", "respondidas certas", "cobertura (respondidas)"],
            "rows": [
                [
                    f"{point['min_confidence']:.3f}",
                    f"{point['min_margin']:.2f}",
                    _pct(point["answered_accuracy"]),
                    _pct(point["coverage"]),
                ]
            ],
        },
        {
            "title": "Perguntas fora do escopo respondidas com uma intenção (falsa aceitação)",
            "note": (
                f"{oos['false_accepts']} de {oos['total']} ({_pct(oos['false_accept_rate'])}) no conjunto "
                "fixtures/faq/out_of_scope.yml, com os limiares acima."
            ),
            "columns": ["categoria", "respondidas", "total"],
            "rows": [[c, v["false_accepts"], v["total"]] for c, v in oos["by_category"].items()]
            + [[f'"{a["text"]}"', f"→ {a['intent']}", f"{a['confidence']:.2f}"] for a in oos["accepted"][:10]],
        },
        {
            "title": "Como as pessoas digitam: F1 macro com as dobras de teste alteradas",
            "note": f"Sem alteração: {perturbed['clean_macro_f1']:.3f}.",
            "columns": ["alteração", "F1 macro", "diferença (pontos)"],
            "rows": [
                [kind, f"{f1:.3f}", f"{100 * (f1 - perturbed['clean_macro_f1']):+.1f}"]
                for kind, f1 in perturbed["by_kind"].items()
            ],
        },
        {
            "title": "Respostas curtas (1 a 3 palavras)",
            "note": (
                f"{short['total']} exemplos; acerto {_pct(short['accuracy'])}; no ponto de operação "
                f"{_pct(short['coverage'])} respondidas, {_pct(short['answered_accuracy'])} delas certas."
            ),
            "columns": ["frase", "esperada", "prevista"],
            "rows": [[w["text"], w["expected"], w["predicted"]] for w in short["wrong"]],
        },
        {
            "title": "Calibração: confiança × acerto (diagrama de confiabilidade)",
            "note": (
                f"Erro de calibração esperado (ECE): {calib['ece']:.3f}. Temperatura ajustada sem a dobra "
                "avaliada, para não medir a confiança nos mesmos dados em que foi ajustada."
            ),
            "columns": ["faixa de confiança", "confiança média", "acerto", "exemplos"],
            "rows": [
                [f"{b['low']:.1f}–{b['high']:.1f}", f"{b['confidence']:.3f}", f"{b['accuracy']:.3f}", b["count"]]
                for b in calib["bins"]
            ],
        },
    ]


def _reliability_charts(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Plot specs the report page draws with plotly (see model_store's report_charts.js)."""
    if "operating_point" not in report:
        return []
    point, calib = report["operating_point"], report["calibration"]
    curve = point["risk_coverage"]
    return [
        {
            "id": "risk-coverage",
            "title": "Acerto × cobertura (curva de risco–cobertura)",
            "x_title": "cobertura (parte das perguntas respondida)",
            "y_title": "respondidas certas",
            "series": [
                {
                    "name": "limiar de confiança variando",
                    "x": [p["coverage"] for p in curve],
                    "y": [p["answered_accuracy"] for p in curve],
                    "text": [f"confiança ≥ {p['min_confidence']:.3f}" for p in curve],
                    "mode": "lines",
                },
                {
                    "name": "ponto de operação",
                    "x": [point["coverage"]],
                    "y": [point["answered_accuracy"]],
                    "text": [f"confiança ≥ {point['min_confidence']:.3f}, margem ≥ {point['min_margin']:.2f}"],
                    "mode": "markers",
                },
                {"name": "meta", "x": [0, 1], "y": [point["target"], point["target"]], "mode": "lines", "dash": "dot"},
            ],
        },
        {
            "id": "reliability",
            "title": f"Diagrama de confiabilidade (ECE {calib['ece']:.3f})",
            "x_title": "confiança média da faixa",
            "y_title": "acerto da faixa",
            "series": [
                {
                    "name": "modelo",
                    "x": [b["confidence"] for b in calib["bins"]],
                    "y": [b["accuracy"] for b in calib["bins"]],
                    "text": [f"{b['count']} exemplos" for b in calib["bins"]],
                    "mode": "lines+markers",
                },
                {"name": "calibração perfeita", "x": [0, 1], "y": [0, 1], "mode": "lines", "dash": "dot"},
            ],
        },
    ]


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
    production_out_of_scope: dict[str, Any] | None = None
    duplicates: list[dict[str, Any]] = []
    if production is not None:
        texts = [case["text"] for case in candidate.report.get("golden", {}).get("cases", [])]
        stories = conversation_tests_load() if candidate.report.get("conversation_tests") else []
        candidate_rows = _dataset_rows(candidate)
        out_of_scope = (
            out_of_scope_cases(training_texts=[text for _, text in candidate_rows])
            if candidate.report.get("out_of_scope")
            else []
        )
        if texts or stories or out_of_scope:
            prod_model = load_version(production).obj
            if out_of_scope:
                production_out_of_scope = out_of_scope_result(prod_model, out_of_scope, fallback_thresholds(prod_model))
            if texts:
                production_golden = dict(zip(texts, prod_model.predict(texts), strict=True))
            if stories:
                replayed = replay(prod_model, load_dialogue_content(), stories)
                production_stories = {s["name"]: s["ok"] for s in replayed["stories"]}
        duplicates = new_near_duplicates(candidate_rows, _dataset_rows(production))
    return faq_gate(
        candidate=candidate.report,
        production=production.report if production else None,
        production_golden=production_golden,
        thresholds=_thresholds(),
        production_stories=production_stories,
        near_duplicates=duplicates,
        production_out_of_scope=production_out_of_scope,
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
