"""FAQ classifier cost: train + 5-fold evaluation, one parse in-process, artifact size, load time.

.venv/bin/python -m benchmarks.faq_speed [--intents 100 --examples 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time


def measure(n_intents: int, n_examples: int, parses: int = 2000) -> dict:
    import numpy as np

    from benchmarks.synthetic import synthetic_intents
    from faq_bot.classifier import DEFAULT_PARAMS, IntentClassifier
    from faq_bot.evaluation import cross_validate
    from faq_bot.nlp import Lemmatizer, full_lemma_table
    from model_store import signing

    texts, labels = synthetic_intents(n_intents, n_examples)
    full_lemma_table()  # read once, as a warm worker would have it; cold cost reported separately
    started = time.perf_counter()
    lemmatizer = Lemmatizer.for_texts(texts)
    cv = cross_validate(texts, labels, params=DEFAULT_PARAMS, lemmatizer=lemmatizer)
    model = IntentClassifier(params=dict(DEFAULT_PARAMS)).fit(
        texts, labels, lemmatizer=lemmatizer, calibration_scores=cv.oof_scores, calibration_labels=cv.oof_labels
    )
    train_eval = time.perf_counter() - started

    blob = signing.serialize(model)
    started = time.perf_counter()
    signing.deserialize_verified(
        name="b",
        version=1,
        data=blob,
        sha256=signing.digest(blob),
        signature=signing.sign(name="b", version=1, sha256=signing.digest(blob)),
    )
    load = time.perf_counter() - started

    queries = [texts[i] + " por favor" for i in np.random.default_rng(1).integers(0, len(texts), parses)]
    for q in queries[:50]:
        model.rank(q)
    timings = []
    for q in queries:
        t = time.perf_counter()
        model.rank(q)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    return {
        "intents": n_intents,
        "examples": len(texts),
        "train_plus_5fold_s": round(train_eval, 2),
        "macro_f1": cv.report["macro_f1"],
        "artifact_mb": round(len(blob) / 1e6, 2),
        "load_s": round(load, 3),
        "parse_p50_ms": round(statistics.median(timings), 3),
        "parse_p99_ms": round(timings[int(len(timings) * 0.99) - 1], 3),
    }


def main() -> None:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--intents", type=int, nargs="+", default=[100])
    parser.add_argument("--examples", type=int, default=20)
    args = parser.parse_args()
    django.setup()
    from faq_bot.nlp import full_lemma_table

    started = time.perf_counter()
    full_lemma_table()
    print(json.dumps({"cold lemma table read (s)": round(time.perf_counter() - started, 2)}))
    for n in args.intents:
        print(json.dumps(measure(n, args.examples)))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    main()
