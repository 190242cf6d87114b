from __future__ import annotations

import pickle

from faq_bot.nlp import Lemmatizer, canonical, fold, normalize, tokenize


def test_normalize_uses_nfc_lowercase_and_single_spaces():
    decomposed = "Ac\u0327a\u0303o   CULTURAL "
    assert normalize(decomposed) == "ação cultural"


def test_fold_removes_accents_only():
    assert fold("ação, captação e prestação") == "acao, captacao e prestacao"
    assert canonical("  Prestação   de CONTAS ") == "prestacao de contas"


def test_tokenizer_drops_punctuation_and_keeps_words():
    assert tokenize("Como faço p/ captar recursos pelo SALIC?") == [
        "como",
        "faço",
        "p/",
        "captar",
        "recursos",
        "pelo",
        "salic",
    ]


def test_lemmas_use_the_lookup_table_and_the_domain_overrides():
    lemmatizer = Lemmatizer.for_texts(["esqueci os projetos pelo sistema"])
    assert lemmatizer.lemmas("esqueci os projetos pelo sistema") == ["esquecer", "o", "projeto", "por", "sistema"]


def test_an_unseen_inflection_of_a_known_word_gets_its_lemma():
    lemmatizer = Lemmatizer.for_texts(["eu esqueci"])
    assert lemmatizer.lemma("esqueceram") == "esquecer"


def test_the_restricted_table_is_small_and_pickles_without_spacy():
    lemmatizer = Lemmatizer.for_texts(["esqueci minha senha", "prazo da prestação de contas"])
    assert len(lemmatizer.table) < 20_000  # the full table has ~825k entries
    blob = pickle.dumps(lemmatizer)
    assert b"spacy" not in blob
    assert len(blob) < 1_000_000


def test_words_typed_without_accents_find_their_lemma():
    from faq_bot.nlp import Lemmatizer

    lemmatizer = Lemmatizer.for_texts(["quais são as exigências", "o projeto não foi aprovado"])
    assert lemmatizer.lemmas("quais sao as exigencias") == lemmatizer.lemmas("quais são as exigências")
    assert lemmatizer.lemma("exigencias") == "exigência"


def test_short_replies_map_to_their_concept_whatever_word_is_used():
    from faq_bot.nlp import clean, reply_concepts

    assert reply_concepts(clean("Claro, pode ser!")) == ["_afirma_", "_afirma_", "_afirma_"]
    assert reply_concepts(clean("NÃO")) == ["_nega_"] and reply_concepts(clean("até logo")) == ["_despede_"]
    assert reply_concepts(clean("qual o prazo da prestação de contas")) == []


def test_a_reply_word_never_seen_in_training_finds_its_intent():
    from faq_bot.classifier import IntentClassifier

    from .conftest import BASE_CONTENT

    content = {
        **BASE_CONTENT,
        "afirmar": ["sim", "claro", "pode ser", "quero sim", "com certeza"],
        "negar": ["não", "nada", "não quero", "agora não", "dispenso"],
    }
    texts = [t for examples in content.values() for t in examples]
    labels = [name for name, examples in content.items() for _ in examples]
    model = IntentClassifier().fit(texts, labels)
    assert model.predict(["exato", "concordo", "nunca", "negativo"]) == ["afirmar", "afirmar", "negar", "negar"]
    without = IntentClassifier(params={"reply_concepts": False}).fit(texts, labels)
    assert without.predict(["exato", "concordo", "nunca", "negativo"]) != ["afirmar", "afirmar", "negar", "negar"]
