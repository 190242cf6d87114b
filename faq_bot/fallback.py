"""When the assistant stays silent: the thresholds of the model version that answers.

A version trained with selective answering carries the thresholds chosen from its out-of-fold
scores (`IntentClassifier.fallback_thresholds`, never below the settings at training time). The
settings FAQ_FALLBACK_MIN_CONFIDENCE / FAQ_FALLBACK_MIN_MARGIN are the floor: an operator can make
every version stricter, and versions trained before selective answering use them as they are.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def fallback_thresholds(model: Any) -> dict[str, float]:
    """{"min_confidence", "min_margin"} in force for `model` (None: just the settings' floor)."""
    floor = {"min_confidence": settings.FAQ_FALLBACK_MIN_CONFIDENCE, "min_margin": settings.FAQ_FALLBACK_MIN_MARGIN}
    chosen = getattr(model, "fallback_thresholds", None) or {}
    return {key: max(float(value), float(chosen.get(key, 0.0))) for key, value in floor.items()}


def is_unsure(ranking: list[tuple[str, float]], model: Any = None) -> bool:
    """True when the top intent's probability or its lead over the second is below the model's thresholds."""
    thresholds = fallback_thresholds(model)
    top = ranking[0][1]
    second = ranking[1][1] if len(ranking) > 1 else 0.0
    return top < thresholds["min_confidence"] or top - second < thresholds["min_margin"]
