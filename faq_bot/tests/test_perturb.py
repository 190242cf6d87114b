from __future__ import annotations

from faq_bot.classifier import char_doc
from faq_bot.nlp import clean
from faq_bot.perturb import KINDS, augmented, perturbed

TEXTS = ["Você sabe por que o projeto não foi aprovado?", "Obrigado pela ajuda, beleza", "qual é o prazo"]


def test_perturbed_copies_are_deterministic_per_seed_and_kind():
    for kind in KINDS:
        assert perturbed(TEXTS, kind, seed=1) == perturbed(TEXTS, kind, seed=1)
    assert perturbed(TEXTS * 20, "erros de digitação", seed=1) != perturbed(TEXTS * 20, "erros de digitação", seed=2)


def test_each_kind_changes_the_text_the_way_people_type():
    copies = {kind: perturbed(TEXTS, kind)[0] for kind in KINDS}
    assert copies["sem acentos"] == "Voce sabe por que o projeto nao foi aprovado?"
    assert copies["abreviações (vc, pq, q, tb, cmg, blz, obg)"] == "vc sabe pq o projeto n foi aprovado?"
    assert copies["TUDO EM MAIÚSCULAS"] == TEXTS[0].upper()
    assert copies["pontuação repetida"].startswith("Você sabe por que o projeto não foi aprovado")
    assert copies["pontuação repetida"][-3:] in {"???", "!!!", "?!?", "..."}
    assert copies["emoji"].startswith(TEXTS[0] + " ")
    assert perturbed(["beleza obrigado"], "abreviações (vc, pq, q, tb, cmg, blz, obg)") == ["blz obg"]


def test_typos_touch_about_the_seeded_share_of_words():
    words = ["projeto"] * 1000
    typed = perturbed([" ".join(words)], "erros de digitação")[0].split(" ")
    changed = sum(w != "projeto" for w in typed)
    assert 100 < changed < 220  # TYPO_RATE = 0.15 of 1000 words, give or take chance


def test_cleaning_undoes_abbreviations_caps_emoji_and_repeated_punctuation():
    for kind in ("abreviações (vc, pq, q, tb, cmg, blz, obg)", "TUDO EM MAIÚSCULAS", "emoji", "pontuação repetida"):
        original = char_doc(TEXTS[1])
        assert char_doc(perturbed([TEXTS[1]], kind)[0]).rstrip("?!. ") == original.rstrip("?!. "), kind
    assert clean("VC PQ Q TB CMG BLZ OBG!!! 🙏") == "você porque que também comigo beleza obrigado!"
    assert clean("obrigadooo, custa R$ 1.000?") == "obrigado, custa r 1.000?"


def test_augmentation_adds_typo_copies_with_their_labels():
    texts, labels = augmented(TEXTS * 5, ["a", "b", "c"] * 5)
    assert len(texts) > 15 and texts[:15] == TEXTS * 5
    assert all(label in {"a", "b", "c"} for label in labels[15:]) and len(texts) == len(labels)
