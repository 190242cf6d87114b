from __future__ import annotations

import numpy as np

from faq_bot.classifier import IntentClassifier

from .conftest import BASE_CONTENT


def _data():
    texts = [t for examples in BASE_CONTENT.values() for t in examples]
    labels = [name for name, examples in BASE_CONTENT.items() for _ in examples]
    return texts, labels


def test_classifier_learns_separable_intents():
    texts, labels = _data()
    model = IntentClassifier().fit(texts, labels)
    assert model.predict(["esqueci a senha do salic", "prazo pra prestar contas", "boa tarde"]) == [
        "senha",
        "prazo_contas",
        "saudacao",
    ]


def test_ranking_is_sorted_probabilities_that_sum_to_one():
    texts, labels = _data()
    model = IntentClassifier().fit(texts, labels)
    ranking = model.rank("qual o valor do ingresso", top=10)
    assert ranking[0][0] == "ingressos"
    probabilities = [p for _, p in ranking]
    assert probabilities == sorted(probabilities, reverse=True)
    assert abs(sum(probabilities) - 1.0) < 1e-6
    assert len(ranking) == 4


def test_identical_data_gives_identical_predictions_and_probabilities():
    texts, labels = _data()
    queries = ["minha senha venceu", "ingresso gratuito", "olá!", "algo sem relação nenhuma"]
    first = IntentClassifier().fit(texts, labels).predict_proba(queries)
    second = IntentClassifier().fit(texts, labels).predict_proba(queries)
    assert np.array_equal(first, second)


def test_two_intents_are_enough():
    model = IntentClassifier().fit(BASE_CONTENT["senha"] + BASE_CONTENT["saudacao"], ["senha"] * 10 + ["saudacao"] * 10)
    assert model.predict(["oi"]) == ["saudacao"]
    assert model.predict_proba(["oi"]).shape == (1, 2)


def test_the_single_text_fast_path_matches_the_batch_path():
    texts, labels = _data()
    model = IntentClassifier().fit(texts, labels)
    for query in ["esqueci a senha!!", "Qual o PRAZO da prestação?", "xyz sem vocabulário conhecido", ""]:
        batch = model.predict_proba([query])[0]
        fast = dict(model.rank(query, top=10))
        assert np.allclose([fast[label] for label in model.labels], batch, atol=1e-9)


def test_the_fast_path_handles_two_labels():
    model = IntentClassifier().fit(BASE_CONTENT["senha"] + BASE_CONTENT["saudacao"], ["senha"] * 10 + ["saudacao"] * 10)
    batch = model.predict_proba(["oi tudo bem"])[0]
    fast = dict(model.rank("oi tudo bem"))
    assert np.allclose([fast[label] for label in model.labels], batch)


def test_an_artifact_trained_before_cleaning_keeps_reading_text_as_it_was_trained():
    from faq_bot.classifier import IntentClassifier

    from .conftest import BASE_CONTENT

    texts = [t for examples in BASE_CONTENT.values() for t in examples]
    labels = [name for name, examples in BASE_CONTENT.items() for _ in examples]
    old = IntentClassifier(params={"clean": False, "reply_concepts": False}).fit(texts, labels)
    new = IntentClassifier().fit(texts, labels)
    assert old._char_doc("VC sabe?? 🙏") == "vc sabe?? 🙏" and new._char_doc("VC sabe?? 🙏") == "voce sabe?"
    for model in (old, new):  # the serving fast path and the batch path agree either way
        assert [label for label, _ in model.rank("esqueci a senha 🙏", top=1)] == model.predict(["esqueci a senha 🙏"])
