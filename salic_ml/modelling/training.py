"""salic_complexity training: frames → fitted tables + IsolationForest → scores → registry → gate.

One code path for CLI, admin and Celery. Scores are stored as one ProjectScore row per project per
model version, written right after registration so a promoted version is never without rows.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction

from model_store.models import DatasetSnapshot, ModelVersion, TrainingRun
from model_store.pipeline import FitResult, train_and_gate
from model_store.runs import RunContext, RunOutcome, training_run_create, training_run_enqueue, training_run_execute
from model_store.services import GateResult, dataset_snapshot_reference
from salic_ml.models import ImportRun
from salic_ml.names import MODEL_NAME, TRAIN_TASK

from .analysis.frames import Frames, load_frames
from .artifact import SalicModel, code_version, salic_params
from .gate import integrity_problems, metrics_of, salic_gate
from .scoring import Scored, score_frames
from .storage import scores_write


def frames_snapshot(frames: Frames) -> DatasetSnapshot:
    """Fingerprint of exactly what was trained on; the rows themselves live in the import snapshots."""
    digest = hashlib.sha256()
    for name in ("projects", "lines", "receipts", "fundraising"):
        frame = getattr(frames, name)
        ordered = _sorted_rows(frame.sort_index(axis=1)).reset_index(drop=name != "projects")
        digest.update(name.encode())
        digest.update(pd.util.hash_pandas_object(ordered, index=False).to_numpy().tobytes())
    imports = list(
        ImportRun.objects.filter(snapshot__isnull=False).order_by("pk").values_list("snapshot__fingerprint", flat=True)
    )
    return dataset_snapshot_reference(
        kind=DatasetSnapshot.Kind.SALIC,
        fingerprint=digest.hexdigest(),
        row_counts={
            "projects": len(frames.projects),
            "budget_lines": len(frames.lines),
            "receipts": len(frames.receipts),
            "fundraising": len(frames.fundraising),
        },
        source="salic_ml: conteúdo do banco no treino; as linhas estão nos snapshots das importações em extra",
        extra={"imports": imports},
    )


def _sorted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows sorted by every column in turn. Sorting stops at the first id column whose values are
    unique: the columns after it cannot break a tie, so the order is the same and costs less."""
    columns = list(frame.columns)
    for i, column in enumerate(columns):
        # Only id columns are worth checking (an integer column, so no NaN to place either).
        if pd.api.types.is_integer_dtype(frame[column]) and frame[column].is_unique:
            keys = columns[: i + 1]
            if all(pd.api.types.is_integer_dtype(frame[k]) for k in keys):
                return frame.iloc[np.lexsort([frame[k].to_numpy() for k in reversed(keys)])]
            return frame.sort_values(keys)
    return frame.sort_values(columns)


def salic_fit(
    frames: Frames, *, weights: dict[str, float], prefitted: dict[str, Any] | None = None
) -> tuple[SalicModel, Scored]:
    """Fit what `prefitted` lacks (all of it by default) and score every project."""
    scored = score_frames(frames, fitted=prefitted, weights=weights)
    return SalicModel(fitted=scored.fitted, weights=dict(weights), today=frames.today), scored


def salic_train(ctx: RunContext, *, frames: Frames | None = None, prefitted: dict | None = None) -> RunOutcome:
    """The trainer behind every salic_complexity training run (full recompute).

    `prefitted` carries per-segment tables fitted elsewhere (the Celery fan-out); the rest is learned here.
    """
    ctx.progress(3, "lendo os dados do banco")
    frames = frames or load_frames()
    if frames.projects.empty:
        raise ValueError("Não há projetos importados; rode salic_import primeiro.")
    params = salic_params()
    # Weights a staff member applied from the "sugestão de pesos" report travel in the run's params.
    applied = (ctx.run.params or {}).get("weights") or {}
    params["weights"].update({name: float(w) for name, w in applied.items() if name in params["weights"]})
    dataset = frames_snapshot(frames)
    state: dict[str, Any] = {}

    def fit(c: RunContext) -> FitResult:
        c.progress(10, f"calculando indicadores de {len(frames.projects)} projetos")
        model, scored = salic_fit(frames, weights=params["weights"], prefitted=prefitted)
        state["scored"], state["model"] = scored, model
        return FitResult(obj=model, metrics=metrics_of(scored), report={"sections": []})

    def write_rows(version: ModelVersion) -> None:
        ctx.progress(88, "gravando as notas dos projetos")
        scores_write(version=version, scored=state["scored"], weights=params["weights"])

    def gate(candidate: ModelVersion, production: ModelVersion | None) -> GateResult:
        scored = state["scored"]
        table = pd.DataFrame({"complexity": scored.complexity, "band": scored.band()})
        return salic_gate(table, production, integrity_problems(scored))

    return train_and_gate(
        ctx=ctx,
        name=MODEL_NAME,
        dataset=dataset,
        params=params,
        code_version=code_version(),
        fit=fit,
        gate=gate,
        on_registered=write_rows,
    )


def salic_train_blocking(
    *, trigger: str = "cli", user: Any = None, weights: dict[str, float] | None = None
) -> TrainingRun:
    run = training_run_create(
        name=MODEL_NAME, trigger=trigger, requested_by=user, params={"weights": weights} if weights else None
    )
    return training_run_execute(run.pk, salic_train, wait_if_busy=600) or TrainingRun.objects.get(pk=run.pk)


def salic_train_queue(
    *, trigger: str = "manual", user: Any = None, weights: dict[str, float] | None = None
) -> TrainingRun:
    """Queue a full training; `weights` (e.g. an applied suggestion) override the production weights."""
    with transaction.atomic():
        run = training_run_create(
            name=MODEL_NAME, trigger=trigger, requested_by=user, params={"weights": weights} if weights else None
        )
        training_run_enqueue(run=run, task=TRAIN_TASK)
    return run
