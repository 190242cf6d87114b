from __future__ import annotations

from faq_bot.classifier import DEFAULT_PARAMS, IntentClassifier
from faq_bot.evaluation import cross_validate, golden_results, stable_folds
from faq_bot.nlp import Lemmatizer

from .conftest import BASE_CONTENT


def _data(content=BASE_CONTENT):
    texts = [t for examples in content.values() for t in examples]
    labels = [name for name, examples in content.items() for _ in examples]
    return texts, labels


def test_report_has_per_intent_scores_and_averages():
    texts, labels = _data()
    cv = cross_validate(texts, labels, params=DEFAULT_PARAMS, lemmatizer=Lemmatizer.for_texts(texts))
    report = cv.report
    assert report["evaluated"] and report["folds"] == 5
    assert set(report["per_intent"]) == set(BASE_CONTENT)
    assert all(row["support"] == 10 for row in report["per_intent"].values())
    assert 0.8 <= report["macro_f1"] <= 1.0
    assert {"accuracy", "weighted_f1", "confusions", "not_evaluated"} <= set(report)
    assert cv.oof_scores.shape == (40, 4)


def test_intents_with_fewer_examples_than_folds_are_trained_but_reported_as_not_evaluated():
    content = {**BASE_CONTENT, "raro": ["pergunta rara um", "pergunta rara dois", "pergunta rara três"]}
    texts, labels = _data(content)
    cv = cross_validate(texts, labels, params=DEFAULT_PARAMS, lemmatizer=Lemmatizer.for_texts(texts))
    assert cv.report["not_evaluated"] == ["raro"]
    assert "raro" not in cv.report["per_intent"]
    assert "raro" in cv.labels


def test_confusions_name_both_intents_with_example_texts():
    content = {
        "a": [f"pergunta sobre tema comum {i}" for i in range(6)],
        "b": [f"pergunta sobre tema comum {i}" for i in range(6, 12)],
        "c": [f"assunto totalmente diferente {i}" for i in range(6)],
    }
    texts, labels = _data(content)
    cv = cross_validate(texts, labels, params=DEFAULT_PARAMS, lemmatizer=Lemmatizer.for_texts(texts))
    pairs = {(c["true"], c["predicted"]) for c in cv.report["confusions"]}
    assert pairs & {("a", "b"), ("b", "a")}
    assert all(c["examples"] and c["count"] >= len(c["examples"]) for c in cv.report["confusions"])


def test_folds_are_stratified_and_do_not_move_when_a_new_intent_arrives():
    texts, labels = _data()
    before = stable_folds(texts, labels, folds=5, seed=42)
    for name in BASE_CONTENT:
        assert sorted(before[[i for i, label in enumerate(labels) if label == name]]) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    grown_texts = texts + ["assunto novo um", "assunto novo dois"]
    after = stable_folds(grown_texts, labels + ["novo", "novo"], folds=5, seed=42)
    assert list(after[: len(texts)]) == list(before)


def test_golden_results_count_right_and_wrong_cases():
    texts, labels = _data()
    model = IntentClassifier().fit(texts, labels)
    result = golden_results(model, [("esqueci a senha", "senha"), ("esqueci a senha", "ingressos")])
    assert result["total"] == 2 and result["correct"] == 1 and result["accuracy"] == 0.5
    assert result["cases"][1]["predicted"] == "senha" and not result["cases"][1]["ok"]
