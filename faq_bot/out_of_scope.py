"""The out-of-scope set: questions of our own (weather, football, other ministries, insults,
gibberish, English, everyday topics) the assistant must not answer with one of its intents.

Used only in evaluation, never in training. Plain Python.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from .nlp import canonical

PATH = Path(__file__).resolve().parent.parent / "fixtures" / "faq" / "out_of_scope.yml"
# Intents that mean "not mine": answering with them is a refusal, not a false accept.
REFUSAL_INTENTS = frozenset({"out_of_scope", "nlu_fallback"})


@functools.cache
def _load(path: Path) -> tuple[tuple[str, str], ...]:
    data = yaml.safe_load(path.read_text(encoding="utf8"))
    return tuple((str(category), str(text)) for category, texts in data["categorias"].items() for text in texts)


def out_of_scope_cases(*, path: Path = PATH, training_texts: list[str] | None = None) -> list[tuple[str, str]]:
    """(category, text) pairs; a text equal (after normalisation) to a training example is left out."""
    known = {canonical(t) for t in training_texts or []}
    return [(category, text) for category, text in _load(path) if canonical(text) not in known]


def false_accepts(predicted: list[str], answered: list[bool]) -> list[bool]:
    """Per case: was it answered with an intent of the assistant (neither silent nor a refusal)?"""
    return [a and p not in REFUSAL_INTENTS for p, a in zip(predicted, answered, strict=True)]
