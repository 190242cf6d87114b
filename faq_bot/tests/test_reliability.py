"""The reliability report on a real Rasa project (the pt-BR boilerplate), not on our own words."""

from __future__ import annotations

import numpy as np
import pytest

from faq_bot.classifier import IntentClassifier, softmax
from faq_bot.evaluation import cross_validate
from faq_bot.importers import parse_files
from faq_bot.nlp import Lemmatizer
from faq_bot.out_of_scope import out_of_scope_cases
from faq_bot.perturb import KINDS
from faq_bot.reliability import out_of_scope_result, reliability_report
from faq_bot.selective import answered_mask, top_and_margin

from .test_importers import BOILERPLATE


@pytest.fixture(scope="module")
def boilerplate():
    bundle = parse_files(sorted(BOILERPLATE.glob("nlu*.yml")))
    pairs = [(text, name) for name, intent in bundle.intents.items() for text in intent.examples]
    texts, labels = [t for t, _ in pairs], [n for _, n in pairs]
    lemmatizer = Lemmatizer.for_texts(texts)
    params = {"augment": True}
    cv = cross_validate(texts, labels, params=params, lemmatizer=lemmatizer)
    final = IntentClassifier(params=dict(params)).fit(
        texts, labels, lemmatizer=lemmatizer, calibration_scores=cv.oof_scores, calibration_labels=cv.oof_labels
    )
    cases = out_of_scope_cases(training_texts=texts)
    report = reliability_report(cv=cv, classifier=final, out_of_scope=cases, target=0.98)
    return cv, final, cases, report


def test_the_operating_point_answers_right_at_the_target_on_out_of_fold_scores(boilerplate):
    cv, final, _, report = boilerplate
    point = report["operating_point"]
    best, top, margin = top_and_margin(softmax(cv.oof_scores, final.temperature))
    truth = np.array([cv.labels.index(y) for y in cv.oof_labels])
    answered = answered_mask(top, margin, point)
    assert point["reached"] and (best == truth)[answered].mean() >= 0.98
    assert 0.3 < point["coverage"] < 1.0 and point["coverage"] == pytest.approx(answered.mean(), abs=1e-4)
    assert point["risk_coverage"][-1]["coverage"] == 1.0


def test_every_perturbation_is_scored_and_typing_styles_cost_little(boilerplate):
    _, _, _, report = boilerplate
    perturbed = report["perturbed"]
    assert set(perturbed["by_kind"]) == set(KINDS)
    for kind in ("TUDO EM MAIÚSCULAS", "emoji", "abreviações (vc, pq, q, tb, cmg, blz, obg)"):
        assert perturbed["by_kind"][kind] >= perturbed["clean_macro_f1"] - 0.02, kind
    assert perturbed["worst_gap"] < 0.10


def test_out_of_scope_false_accepts_follow_the_thresholds(boilerplate):
    _, final, cases, report = boilerplate
    oos = report["out_of_scope"]
    assert oos["total"] == len(cases) > 80 and set(oos["by_category"]) >= {"tempo", "futebol", "ingles"}
    silent = out_of_scope_result(final, cases, {"min_confidence": 1.01, "min_margin": 0.0})
    loud = out_of_scope_result(final, cases, {"min_confidence": 0.0, "min_margin": 0.0})
    assert silent["false_accepts"] == 0
    assert loud["false_accepts"] >= oos["false_accepts"] and loud["false_accept_rate"] == loud["false_accepts"] / len(
        cases
    )


def test_short_utterances_and_calibration_are_measured(boilerplate):
    _, _, _, report = boilerplate
    short = report["short_utterances"]
    assert short["total"] > 50 and 0.0 <= short["accuracy"] <= 1.0
    calib = report["calibration"]
    assert 0.0 <= calib["ece"] < 0.15 and sum(b["count"] for b in calib["bins"]) == len(boilerplate[0].oof_labels)
