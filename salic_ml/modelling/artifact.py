"""The salic_complexity artifact and what defines it: fitted tables, weights, parameters, code version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from model_store.code import source_digest
from model_store.models import ModelVersion
from salic_ml.names import MODEL_NAME

from .scoring import default_weights


@dataclass
class SalicModel:
    """The artifact: every indicator's fitted tables, the weights and when it was trained."""

    fitted: dict[str, Any]
    weights: dict[str, float]
    today: date
    params: dict[str, Any] = field(default_factory=dict)


@cache
def code_version() -> str:
    """Digest of the modules that shape the scores: changing them means a different model."""
    here = Path(__file__).resolve().parent
    return source_digest([*here.glob("indicators/*.py"), *here.glob("analysis/*.py"), here / "scoring.py"])


def salic_params() -> dict[str, Any]:
    """Weights from the production version's params (staff may edit them), else the defaults."""
    production = ModelVersion.objects.production().for_name(MODEL_NAME).only("params").first()
    weights = {**default_weights(), **((production.params or {}).get("weights", {}) if production else {})}
    return {"weights": weights, "z_limit": 3.5, "min_segment_projects": 20}
