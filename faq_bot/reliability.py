"""What a model version is like for citizens, from its cross-validation and final fit: the operating
point (thresholds chosen for a target answered-right rate, and the coverage left), out-of-scope
false accepts, macro-F1 on perturbed copies, the short-utterance slice, and calibration.
Plain Python; every figure is a share 0–1 unless named otherwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from .classifier import IntentClassifier, fit_temperature, softmax
from .evaluation import CrossValidation
from .nlp import tokenize
from .out_of_scope import false_accepts
from .selective import answered_mask, calibration, choose_thresholds, risk_coverage, top_and_margin

SHORT_WORDS = 3  # a reply of 1–3 words ("sim", "valeu", "não, obrigado") is a short utterance


def cross_fitted_proba(cv: CrossValidation) -> np.ndarray:
    """Out-of-fold probabilities whose temperature never saw the fold: the honest input to calibration."""
    truth = _truth(cv)
    proba = np.zeros_like(cv.oof_scores)
    for fold in np.unique(cv.oof_folds):
        inside = cv.oof_folds == fold
        temperature = fit_temperature(cv.oof_scores[~inside], truth[~inside]) if (~inside).any() else 1.0
        proba[inside] = softmax(cv.oof_scores[inside], temperature)
    return proba


def _truth(cv: CrossValidation) -> np.ndarray:
    index = {label: i for i, label in enumerate(cv.labels)}
    return np.array([index[y] for y in cv.oof_labels])


def out_of_scope_result(classifier: Any, cases: list[tuple[str, str]], thresholds: dict[str, float]) -> dict[str, Any]:
    """False accepts of `classifier` (with its thresholds) on the out-of-scope cases, overall and per category."""
    if not cases:
        return {"total": 0, "false_accepts": 0, "false_accept_rate": None, "by_category": {}, "accepted": []}
    texts = [text for _, text in cases]
    best, top, margin = top_and_margin(classifier.predict_proba(texts))
    predicted = [classifier.labels[i] for i in best]
    wrong = false_accepts(predicted, list(answered_mask(top, margin, thresholds)))
    by_category: dict[str, list[int]] = {}
    for (category, _), bad in zip(cases, wrong, strict=True):
        by_category.setdefault(category, [0, 0])
        by_category[category][0] += int(bad)
        by_category[category][1] += 1
    return {
        "total": len(cases),
        "false_accepts": int(sum(wrong)),
        "false_accept_rate": round(sum(wrong) / len(cases), 4),
        "by_category": {c: {"false_accepts": n, "total": t} for c, (n, t) in sorted(by_category.items())},
        "accepted": [
            {"text": text, "intent": p, "confidence": round(float(c), 4)}
            for text, p, c, bad in zip(texts, predicted, top, wrong, strict=True)
            if bad
        ],
    }


def reliability_report(
    *,
    cv: CrossValidation,
    classifier: IntentClassifier,
    out_of_scope: list[tuple[str, str]],
    target: float,
    floor: dict[str, float] | None = None,
) -> dict[str, Any]:
    """The operating point and the robustness figures of one version (JSON-ready). `floor` holds the
    lowest thresholds the operator allows (`min_confidence`, `min_margin`)."""
    truth = _truth(cv)
    # Thresholds apply to what serving computes: the final model's temperature on these scores.
    best, top, margin = top_and_margin(softmax(cv.oof_scores, classifier.temperature))
    correct = best == truth
    floor = floor or {}
    chosen = choose_thresholds(
        top,
        margin,
        correct,
        target=target,
        floor_confidence=floor.get("min_confidence", 0.0),
        floor_margin=floor.get("min_margin", 0.0),
    )
    thresholds = {"min_confidence": chosen["min_confidence"], "min_margin": chosen["min_margin"]}
    answered = answered_mask(top, margin, thresholds)

    honest_best, honest_top, _ = top_and_margin(cross_fitted_proba(cv))
    eval_labels = sorted(set(cv.oof_labels))
    clean_f1 = cv.report["macro_f1"]
    perturbed = {
        kind: round(float(f1_score(cv.oof_labels, guess, labels=eval_labels, average="macro", zero_division=0)), 4)
        for kind, guess in cv.perturbed_predictions.items()
    }
    short = np.array([len(tokenize(text)) <= SHORT_WORDS for text in cv.oof_texts])
    return {
        "operating_point": {
            **chosen,
            "risk_coverage": risk_coverage(top, margin, correct, min_margin=chosen["min_margin"]),
        },
        "calibration": calibration(honest_top, honest_best == truth),
        "out_of_scope": out_of_scope_result(classifier, out_of_scope, thresholds),
        "perturbed": {
            "clean_macro_f1": clean_f1,
            "by_kind": perturbed,
            "worst_gap": round(clean_f1 - min(perturbed.values()), 4) if perturbed else None,
        },
        "short_utterances": {
            "total": int(short.sum()),
            "accuracy": round(float(correct[short].mean()), 4) if short.any() else None,
            "coverage": round(float(answered[short].mean()), 4) if short.any() else None,
            "answered_accuracy": round(float(correct[short & answered].mean()), 4)
            if (short & answered).any()
            else None,
            "wrong": [
                {"text": t, "expected": e, "predicted": cv.labels[b]}
                for t, e, b, ok, s in zip(cv.oof_texts, cv.oof_labels, best, correct, short, strict=True)
                if s and not ok
            ][:20],
        },
    }
