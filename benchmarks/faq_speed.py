"""FAQ classifier cost, ours next to the reference baseline on the same synthetic intents and folds.

For each size: train + 5-fold evaluation (with the perturbed folds and the reliability report, as
the training flow does), artifact size, verified load, one parse in-process
(p50/p99). The reference is char_wb 2–5 TF-IDF + LinearSVC (`faq_quality.baseline`), timed through
the same steps (5 folds on the same split, a final fit, the same serializer, one text at a time).

    .venv/bin/python -m benchmarks.faq_speed [--intents 25 50 100 200 400] [--examples 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable


def percentiles(fn: Callable[[str], object], queries: list[str]) -> tuple[float, float]:
    for q in queries[:50]:
        fn(q)
    timings = []
    for q in queries:
        started = time.perf_counter()
        fn(q)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


def size_and_load(obj: object) -> tuple[float, float]:
    from model_store import signing

    blob = signing.serialize(obj)
    sha = signing.digest(blob)
    signature = signing.sign(name="bench", version=1, sha256=sha)
    started = time.perf_counter()
    signing.deserialize_verified(name="bench", version=1, data=blob, sha256=sha, signature=signature)
    return len(blob) / 1e6, time.perf_counter() - started


def measure(n_intents: int, n_examples: int, parses: int = 2000) -> dict:
    import numpy as np
    from sklearn.model_selection import PredefinedSplit

    from benchmarks.faq_quality import baseline
    from benchmarks.synthetic import synthetic_intents
    from faq_bot.classifier import DEFAULT_PARAMS, IntentClassifier
    from faq_bot.evaluation import FOLDS, SEED, cross_validate, stable_folds
    from faq_bot.nlp import Lemmatizer
    from faq_bot.out_of_scope import out_of_scope_cases
    from faq_bot.reliability import reliability_report

    texts, labels = synthetic_intents(n_intents, n_examples)
    started = time.perf_counter()
    lemmatizer = Lemmatizer.for_texts(texts)
    cv = cross_validate(texts, labels, params=DEFAULT_PARAMS, lemmatizer=lemmatizer)
    ours = IntentClassifier(params=dict(DEFAULT_PARAMS)).fit(
        texts, labels, lemmatizer=lemmatizer, calibration_scores=cv.oof_scores, calibration_labels=cv.oof_labels
    )
    # The training flow's reliability report (thresholds, out-of-scope, perturbed, calibration) is part of the cost.
    reliability_report(cv=cv, classifier=ours, out_of_scope=out_of_scope_cases(training_texts=texts), target=0.95)
    ours_train = time.perf_counter() - started

    started = time.perf_counter()
    x, y = np.asarray(texts, dtype=object), np.asarray(labels)
    for train, _test in PredefinedSplit(stable_folds(texts, labels, folds=FOLDS, seed=SEED)).split():
        baseline().fit(list(x[train]), y[train])
    reference = baseline().fit(texts, labels)
    reference_train = time.perf_counter() - started

    rng = np.random.default_rng(1)
    queries = [texts[i] + " por favor" for i in rng.integers(0, len(texts), parses)]
    ours_p50, ours_p99 = percentiles(ours.rank, queries)
    ref_p50, ref_p99 = percentiles(lambda q: reference.decision_function([q]), queries)
    ours_mb, ours_load = size_and_load(ours)
    ref_mb, ref_load = size_and_load(reference)
    return {
        "intents": n_intents,
        "examples": len(texts),
        "macro_f1": cv.report["macro_f1"],
        "ours": {
            "train_5fold_s": ours_train,
            "artifact_mb": ours_mb,
            "load_s": ours_load,
            "parse_p50_ms": ours_p50,
            "parse_p99_ms": ours_p99,
        },
        "reference": {
            "train_5fold_s": reference_train,
            "artifact_mb": ref_mb,
            "load_s": ref_load,
            "parse_p50_ms": ref_p50,
            "parse_p99_ms": ref_p99,
        },
    }


def run(sizes: list[int], examples: int = 20) -> dict:
    from faq_bot.nlp import full_lemma_table

    started = time.perf_counter()
    full_lemma_table()  # read once, as a warm worker has it; the cold read is reported on its own
    cold = time.perf_counter() - started
    return {"cold_lemma_table_s": cold, "sizes": [measure(n, examples) for n in sizes]}


def main() -> None:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--intents", type=int, nargs="+", default=[100])
    parser.add_argument("--examples", type=int, default=20)
    args = parser.parse_args()
    django.setup()
    print(json.dumps(run(args.intents, args.examples)))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    main()
