"""Macro-F1 of our FAQ classifier vs the reference baseline, on the same folds, per data set.

Reference: character n-gram TF-IDF (char_wb 2–5, sublinear) + LinearSVC. Both are scored with the
same stable stratified 5-fold assignment, repeated for three seeds; the mean is reported.

    .venv/bin/python -m benchmarks.faq_quality [--seeds 42 7 2026]
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
    data = json.loads((ROOT / "fixtures" / "faq" / "content.json").read_text())
    pairs = [(e, i["name"]) for i in data["intents"] for e in i["examples"]]
    return [t for t, _ in pairs], [label for _, label in pairs]


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


def score(texts: list[str], labels: list[str], seed: int) -> dict[str, float]:
    from faq_bot.classifier import DEFAULT_PARAMS, IntentClassifier
    from faq_bot.evaluation import stable_folds
    from faq_bot.nlp import Lemmatizer

    folds = stable_folds(texts, labels, folds=5, seed=seed)
    x, y = np.asarray(texts, dtype=object), np.asarray(labels)
    ours, ref = np.empty(len(y), dtype=object), np.empty(len(y), dtype=object)
    lemmatizer = Lemmatizer.for_texts(texts)
    for train, test in PredefinedSplit(folds).split():
        model = IntentClassifier(params=dict(DEFAULT_PARAMS)).fit(
            list(x[train]), list(y[train]), lemmatizer=lemmatizer, calibration_scores=np.empty((0, 0))
        )
        ours[test] = model.predict(list(x[test]))
        ref[test] = baseline().fit(list(x[train]), y[train]).predict(list(x[test]))
    return {
        "ours": f1_score(y, ours.astype(str), average="macro"),
        "reference": f1_score(y, ref.astype(str), average="macro"),
    }


def run(seeds: list[int]) -> list[dict]:
    rows = []
    for name, loader in (("fixture (ours, 51 intents)", fixture_set), ("rasa-ptbr-boilerplate", boilerplate_set)):
        texts, labels = loader()
        started = time.perf_counter()
        results = [score(texts, labels, seed) for seed in seeds]
        rows.append(
            {
                "data set": name,
                "intents": len(set(labels)),
                "examples": len(texts),
                "ours": round(float(np.mean([r["ours"] for r in results])), 4),
                "reference": round(float(np.mean([r["reference"] for r in results])), 4),
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    return rows


def main() -> None:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 7, 2026])
    args = parser.parse_args()
    django.setup()
    rows = run(args.seeds)
    for row in rows:
        row["delta"] = round(row["ours"] - row["reference"], 4)
    print(json.dumps({"seeds": args.seeds, "sets": rows}, ensure_ascii=False))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    main()
