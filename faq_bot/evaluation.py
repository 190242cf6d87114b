"""Honest numbers for an intent classifier: stratified k-fold CV, per-intent scores, confusions, golden set.

Intents with fewer examples than folds cannot appear in every test fold; they stay in every training
fold, are never scored, and are listed as `not_evaluated` so nobody mistakes silence for quality.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import PredefinedSplit

from .classifier import IntentClassifier
from .nlp import Lemmatizer, canonical, clean
from .perturb import KINDS, perturbed

FOLDS = 5
SEED = 42
TOP_CONFUSIONS = 15


@dataclass
class CrossValidation:
    report: dict[str, Any]
    oof_scores: np.ndarray  # decision scores of every evaluated text, columns = labels
    oof_labels: list[str]
    labels: list[str]
    oof_folds: np.ndarray | None = None  # fold number of each evaluated text
    oof_texts: list[str] = field(default_factory=list)
    # perturbation kind → predicted intent of each evaluated text's perturbed copy (fold models)
    perturbed_predictions: dict[str, list[str]] = field(default_factory=dict)


def stable_folds(texts: list[str], labels: list[str], *, folds: int, seed: int) -> np.ndarray:
    """Stratified fold numbers that do not move when unrelated content changes.

    Within each intent, examples are ordered by a seeded hash of their normalised text and dealt
    round-robin into folds. Adding a new intent therefore leaves every old intent's train/test
    split as it was, so the gate compares old intents on the same questions and only a genuine
    interaction (e.g. a new intent stealing questions) changes their scores.
    """
    by_intent: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
        key = hashlib.sha256(f"{seed}:{canonical(text)}".encode()).hexdigest()
        by_intent[label].append((key, i))
    assignment = np.full(len(texts), -1, dtype=int)
    for members in by_intent.values():
        for rank, (_, i) in enumerate(sorted(members)):
            assignment[i] = rank % folds
    return assignment


def cross_validate(
    texts: list[str],
    labels: list[str],
    *,
    params: dict[str, Any],
    lemmatizer: Lemmatizer,
    folds: int = FOLDS,
    seed: int = SEED,
    progress: Callable[[int, str], None] | None = None,
    perturb: bool = True,
) -> CrossValidation:
    """Stratified k-fold cross-validation; returns the JSON report and the out-of-fold scores.

    With `perturb`, each fold's model also predicts perturbed copies of its held-out texts
    (`perturb.KINDS`), so robustness is measured on questions no model saw."""
    x = np.asarray(texts, dtype=object)
    y = np.asarray(labels, dtype=object)
    all_labels = sorted(set(labels))
    counts = Counter(labels)
    small = sorted(label for label, n in counts.items() if n < folds)
    evaluable = np.array([counts[label] >= folds for label in labels])
    eval_labels = sorted(label for label in all_labels if counts[label] >= folds)
    if len(eval_labels) < 2:
        report = {"evaluated": False, "reason": f"menos de 2 intenções com {folds}+ exemplos", "not_evaluated": small}
        return CrossValidation(report, np.empty((0, len(all_labels))), [], all_labels)

    eval_idx = np.flatnonzero(evaluable)
    predicted = np.empty(len(y), dtype=object)
    shaken = {kind: np.empty(len(y), dtype=object) for kind in (KINDS if perturb else ())}
    scores = np.zeros((len(y), len(all_labels)))
    doc_cache: dict[str, tuple[str, str]] = {}  # same params and lemmatizer in every fold: same documents
    test_fold = stable_folds(texts, labels, folds=folds, seed=seed)
    test_fold[~evaluable] = -1  # small intents: in every training fold, never tested
    for fold, (train_idx, test_idx) in enumerate(PredefinedSplit(test_fold).split(), start=1):
        model = IntentClassifier(params=dict(params))
        model.doc_cache = doc_cache
        model.fit(list(x[train_idx]), list(y[train_idx]), lemmatizer=lemmatizer, calibration_scores=np.empty((0, 0)))
        fold_scores = model.decision_scores(list(x[test_idx]))
        columns = [all_labels.index(label) for label in model.labels]
        scores[np.ix_(test_idx, columns)] = fold_scores
        predicted[test_idx] = [model.labels[i] for i in fold_scores.argmax(axis=1)]
        originals = [str(t) for t in x[test_idx]]
        cleaned = [clean(t) for t in originals]
        for kind, out in shaken.items():
            # A copy the model reads exactly like its original (caps, emoji, …) gets the same answer.
            copies = perturbed(originals, kind, seed=seed)
            out[test_idx] = predicted[test_idx]
            changed = [i for i, copy in enumerate(copies) if clean(copy) != cleaned[i]]
            if changed:
                guesses = model.decision_scores([copies[i] for i in changed]).argmax(axis=1)
                out[test_idx[changed]] = [model.labels[i] for i in guesses]
        if progress:
            progress(fold, f"validação cruzada: dobra {fold} de {folds}")

    truth = list(y[eval_idx])
    guess = [str(p) for p in predicted[eval_idx]]
    report = _metrics(truth, guess, eval_labels, [str(t) for t in x[eval_idx]])
    report.update({"evaluated": True, "folds": folds, "seed": seed, "not_evaluated": small})
    return CrossValidation(
        report,
        scores[eval_idx],
        truth,
        all_labels,
        oof_folds=test_fold[eval_idx],
        oof_texts=[str(t) for t in x[eval_idx]],
        perturbed_predictions={kind: [str(p) for p in out[eval_idx]] for kind, out in shaken.items()},
    )


def _metrics(truth: list[str], guess: list[str], labels: list[str], texts: list[str]) -> dict[str, Any]:
    precision, recall, f1, support = precision_recall_fscore_support(truth, guess, labels=labels, zero_division=0)
    per_intent = {
        label: {
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "support": int(s),
        }
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }
    mistakes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t, g, text in zip(truth, guess, texts, strict=True):
        if t != g:
            mistakes[(t, g)].append(text)
    confusions = [
        {"true": t, "predicted": g, "count": len(examples), "examples": examples[:3]}
        for (t, g), examples in sorted(mistakes.items(), key=lambda item: (-len(item[1]), item[0]))[:TOP_CONFUSIONS]
    ]
    return {
        "accuracy": round(float(accuracy_score(truth, guess)), 4),
        "macro_f1": round(float(f1_score(truth, guess, labels=labels, average="macro", zero_division=0)), 4),
        "weighted_f1": round(float(f1_score(truth, guess, labels=labels, average="weighted", zero_division=0)), 4),
        "per_intent": per_intent,
        "confusions": confusions,
    }


def golden_results(classifier: IntentClassifier, cases: list[tuple[str, str]]) -> dict[str, Any]:
    """Predict every golden (text, expected intent) case; a case is right when the top intent matches."""
    if not cases:
        return {"total": 0, "correct": 0, "accuracy": None, "cases": []}
    proba = classifier.predict_proba([text for text, _ in cases])
    rows = []
    for (text, expected), row in zip(cases, proba, strict=True):
        best = int(row.argmax())
        predicted = classifier.labels[best]
        rows.append(
            {
                "text": text,
                "expected": expected,
                "predicted": predicted,
                "confidence": round(float(row[best]), 4),
                "ok": predicted == expected,
            }
        )
    correct = sum(r["ok"] for r in rows)
    return {"total": len(rows), "correct": correct, "accuracy": round(correct / len(rows), 4), "cases": rows}
