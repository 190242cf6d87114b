"""The one training flow both apps share: skip if identical → fit → register → gate → promote."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import DatasetSnapshot, ModelVersion, TrainingRun
from .runs import RunContext, RunOutcome
from .services import (
    GateResult,
    model_version_apply_gate,
    model_version_find_identical,
    model_version_register,
    production_version,
    training_key,
)


@dataclass
class FitResult:
    """What an app's fit step hands back: the object to serve and how it was judged."""

    obj: Any
    metrics: dict[str, Any]
    report: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


def train_and_gate(
    *,
    ctx: RunContext,
    name: str,
    dataset: DatasetSnapshot,
    params: dict,
    code_version: str,
    fit: Callable[[RunContext], FitResult],
    gate: Callable[[ModelVersion, ModelVersion | None], GateResult],
    on_registered: Callable[[ModelVersion], None] | None = None,
) -> RunOutcome:
    """Train `name` on `dataset` unless an identical training exists, then gate the candidate."""
    key = training_key(name=name, dataset_fingerprint=dataset.fingerprint, params=params, code_version=code_version)
    identical = model_version_find_identical(name=name, key=key)
    if identical is not None:
        return RunOutcome(
            TrainingRun.Status.SKIPPED,
            identical,
            f"dados, parâmetros e código idênticos a v{identical.version}; nada a treinar",
        )
    started = time.perf_counter()
    result = fit(ctx)
    ctx.progress(85, "registrando a versão")
    candidate = model_version_register(
        name=name,
        obj=result.obj,
        params=params,
        metrics=result.metrics,
        report=result.report,
        dataset=dataset,
        key=key,
        code_version=code_version,
        training_seconds=round(time.perf_counter() - started, 3),
    )
    if on_registered is not None:
        on_registered(candidate)
    ctx.progress(92, "comparando com a produção")
    current = production_version(name)
    verdict = gate(candidate, current)
    candidate = model_version_apply_gate(version=candidate, result=verdict, compared_to=current)
    status = "promovida" if candidate.status == ModelVersion.Status.PRODUCTION else "rejeitada pelo portão"
    return RunOutcome(TrainingRun.Status.SUCCEEDED, candidate, f"v{candidate.version} {status}")
