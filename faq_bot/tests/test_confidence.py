"""What the answer's confidence means: calibrated on held-out data, and the fallback margin setting."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml
from sklearn.model_selection import StratifiedShuffleSplit

from faq_bot.classifier import IntentClassifier
from faq_bot.training import faq_train_blocking
from model_store.serving import load_version

BOILERPLATE = Path(__file__).resolve().parents[3] / "shared" / "data" / "rasa-ptbr-boilerplate"


def boilerplate_examples() -> tuple[list[str], list[str]]:
    """The public Rasa pt-BR boilerplate's NLU examples of intents with at least 4 of them."""
    texts, labels = [], []
    for name in ("nlu.yml", "nlu-chitchat.yml"):
        for item in yaml.safe_load((BOILERPLATE / name).read_text(encoding="utf-8"))["nlu"]:
            if "intent" in item and "examples" in item:
                lines = [line[2:].strip() for line in item["examples"].splitlines() if line.startswith("- ")]
                texts += lines
                labels += [item["intent"]] * len(lines)
    counts = Counter(labels)
    keep = [i for i, label in enumerate(labels) if counts[label] >= 4]
    return [texts[i] for i in keep], [labels[i] for i in keep]


def test_confidence_is_calibrated_on_held_out_examples():
    """Over five 70/30 splits of a real project, answers given with confidence c are right about c of the time."""
    texts, labels = boilerplate_examples()
    assert len(texts) > 250 and len(set(labels)) > 20
    confidence, right = [], []
    for seed in range(5):
        train, test = next(StratifiedShuffleSplit(1, test_size=0.3, random_state=seed).split(texts, labels))
        model = IntentClassifier().fit([texts[i] for i in train], [labels[i] for i in train])
        proba = model.predict_proba([texts[i] for i in test])
        confidence += list(proba.max(axis=1))
        right += list(np.array(model.labels)[proba.argmax(axis=1)] == np.array([labels[i] for i in test]))
    confidence, right = np.array(confidence), np.array(right)
    assert abs(confidence.mean() - right.mean()) < 0.05, (confidence.mean(), right.mean())
    edges = np.linspace(0, 1, 11)
    bins = [(confidence > lo) & (confidence <= hi) for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    ece = sum(b.mean() * abs(confidence[b].mean() - right[b].mean()) for b in bins if b.any())
    assert ece < 0.1, f"expected calibration error {ece:.3f}"


@pytest.mark.django_db
def test_an_answer_whose_lead_over_the_runner_up_is_below_the_margin_falls_back(client, base_content, settings):
    version = faq_train_blocking().version
    model = load_version(version).obj

    def lead_of(text: str) -> float:
        ranking = model.rank(text)
        return ranking[0][1] - ranking[1][1]

    # Words of two intents at once: the one whose winner leads the runner-up by the least.
    mixed = ["qual o prazo da senha", "senha do ingresso", "oi, prazo", "boa tarde, senha", "contas do ingresso"]
    text = min(mixed, key=lead_of)
    lead = lead_of(text)
    assert 0 < lead < 0.9, lead

    def fallback() -> bool:
        response = client.post("/api/faq/chat/", json.dumps({"message": text}), content_type="application/json")
        assert response.status_code == 200
        return response.json()["fallback"]

    settings.FAQ_FALLBACK_MIN_CONFIDENCE = 0.0
    settings.FAQ_FALLBACK_MIN_MARGIN = lead + 0.01
    assert fallback() is True
    settings.FAQ_FALLBACK_MIN_MARGIN = lead - 0.01
    assert fallback() is False
