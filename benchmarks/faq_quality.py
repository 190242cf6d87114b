"""Macro-F1 of our FAQ classifier vs the reference baseline, on the same folds, per data set, and
the figures a citizen meets at the operating point (issue 19).

Data sets are de-duplicated first (`dedupe`: a text kept once; a text under two intents dropped),
and both models are scored on exactly the examples kept. Reference: character n-gram TF-IDF
(char_wb 2–5, sublinear) + LinearSVC. Both use the same stable stratified 5-fold assignment,
repeated per seed; mean and seed-to-seed spread (standard deviation of the delta) are reported.
Then, per data set and seed 42, the training flow's reliability report: answered-right rate and
coverage at the chosen thresholds, out-of-scope false accepts, perturbed macro-F1, the
short-utterance slice and calibration error.

    .venv/bin/python -m benchmarks.faq_quality [--seeds 42 7 2026] [--params '{"augment": false}']
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import PredefinedSplit
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parent.parent
BOILERPLATE = ROOT.parent / "shared" / "data" / "rasa-ptbr-boilerplate"


def fixture_set() -> tuple[list[str], list[str]]:
    """Our demo FAQ as `faq_demo` loads it: content.json plus the dialogue's short replies."""
    from faq_bot.importers import parse_files

    data = json.loads((ROOT / "fixtures" / "faq" / "content.json").read_text())
    pairs = [(e, i["name"]) for i in data["intents"] for e in i["examples"]]
    bundle = parse_files(sorted((ROOT / "fixtures" / "faq" / "dialogue" / "data").glob("nlu*.yml")))
    pairs += [(e, name) for name, intent in bundle.intents.items() for e in intent.examples]
    return [t for t, _ in pairs], [label for _, label in pairs]


def dedupe(texts: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
    """Keep each normalised text once; drop texts that appear under more than one intent."""
    from faq_bot.nlp import canonical

    owners: dict[str, set[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        owners.setdefault(canonical(text), set()).add(label)
    seen: set[str] = set()
    kept = []
    for text, label in zip(texts, labels, strict=True):
        key = canonical(text)
        if len(owners[key]) == 1 and key not in seen:
            seen.add(key)
            kept.append((text, label))
    return [t for t, _ in kept], [label for _, label in kept]


def boilerplate_set() -> tuple[list[str], list[str]]:
    from faq_bot.importers import parse_files

    files = sorted(BOILERPLATE.glob("nlu*.yml"))
    bundle = parse_files(files)
    pairs = [(e, name) for name, data in bundle.intents.items() for e in data.examples]
    return [t for t, _ in pairs], [label for _, label in pairs]


def baseline():
    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True), LinearSVC(random_state=42)
    )


def score(texts: list[str], labels: list[str], seed: int, params: dict) -> dict[str, float]:
    from faq_bot.classifier import IntentClassifier
    from faq_bot.evaluation import stable_folds
    from faq_bot.nlp import Lemmatizer

    folds = stable_folds(texts, labels, folds=5, seed=seed)
    x, y = np.asarray(texts, dtype=object), np.asarray(labels)
    ours, ref = np.empty(len(y), dtype=object), np.empty(len(y), dtype=object)
    lemmatizer = Lemmatizer.for_texts(texts)
    for train, test in PredefinedSplit(folds).split():
        model = IntentClassifier(params=dict(params)).fit(
            list(x[train]), list(y[train]), lemmatizer=lemmatizer, calibration_scores=np.empty((0, 0))
        )
        ours[test] = model.predict(list(x[test]))
        ref[test] = baseline().fit(list(x[train]), y[train]).predict(list(x[test]))
    return {
        "ours": f1_score(y, ours.astype(str), average="macro"),
        "reference": f1_score(y, ref.astype(str), average="macro"),
    }


def reliability(texts: list[str], labels: list[str], params: dict, target: float) -> dict:
    """The training flow's cross-validation, final fit and reliability report (seed 42)."""
    from faq_bot.classifier import IntentClassifier
    from faq_bot.evaluation import cross_validate
    from faq_bot.nlp import Lemmatizer
    from faq_bot.out_of_scope import out_of_scope_cases
    from faq_bot.reliability import reliability_report

    lemmatizer = Lemmatizer.for_texts(texts)
    cv = cross_validate(texts, labels, params=params, lemmatizer=lemmatizer)
    final = IntentClassifier(params=dict(params)).fit(
        texts, labels, lemmatizer=lemmatizer, calibration_scores=cv.oof_scores, calibration_labels=cv.oof_labels
    )
    from django.conf import settings

    floor = {"min_confidence": settings.FAQ_FALLBACK_MIN_CONFIDENCE, "min_margin": settings.FAQ_FALLBACK_MIN_MARGIN}
    rel = reliability_report(
        cv=cv, classifier=final, out_of_scope=out_of_scope_cases(training_texts=texts), target=target, floor=floor
    )
    op, oos, short = rel["operating_point"], rel["out_of_scope"], rel["short_utterances"]
    return {
        "answered_accuracy": op["answered_accuracy"],
        "coverage": op["coverage"],
        "thresholds": [op["min_confidence"], op["min_margin"]],
        "oos_false_accept": oos["false_accept_rate"],
        "oos_by_category": {c: f"{v['false_accepts']}/{v['total']}" for c, v in oos["by_category"].items()},
        "clean_macro_f1": rel["perturbed"]["clean_macro_f1"],
        "perturbed_macro_f1": rel["perturbed"]["by_kind"],
        "short_total": short["total"],
        "short_accuracy": short["accuracy"],
        "short_answered_accuracy": short["answered_accuracy"],
        "short_coverage": short["coverage"],
        "ece": rel["calibration"]["ece"],
    }


def run(seeds: list[int], params: dict | None = None, target: float = 0.95) -> list[dict]:
    from faq_bot.classifier import DEFAULT_PARAMS

    params = {**DEFAULT_PARAMS, **(params or {})}
    rows = []
    for name, loader in (
        ("fixture (ours + dialogue replies)", fixture_set),
        ("rasa-ptbr-boilerplate", boilerplate_set),
    ):
        raw_texts, raw_labels = loader()
        texts, labels = dedupe(raw_texts, raw_labels)
        started = time.perf_counter()
        results = [score(texts, labels, seed, params) for seed in seeds]
        deltas = [r["ours"] - r["reference"] for r in results]
        rows.append(
            {
                "data set": name,
                "intents": len(set(labels)),
                "examples": len(texts),
                "dropped_duplicates": len(raw_texts) - len(texts),
                "ours": round(float(np.mean([r["ours"] for r in results])), 4),
                "reference": round(float(np.mean([r["reference"] for r in results])), 4),
                "delta_spread": round(float(np.std(deltas)), 4),
                "seconds": round(time.perf_counter() - started, 1),
                "reliability": reliability(texts, labels, params, target),
            }
        )
    return rows


def main() -> None:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 7, 2026])
    parser.add_argument("--params", default="{}", help="JSON overrides of the classifier's DEFAULT_PARAMS")
    parser.add_argument("--target", type=float, default=0.95)
    args = parser.parse_args()
    django.setup()
    rows = run(args.seeds, json.loads(args.params), args.target)
    for row in rows:
        row["delta"] = round(row["ours"] - row["reference"], 4)
    print(json.dumps({"seeds": args.seeds, "sets": rows}, ensure_ascii=False))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    main()
