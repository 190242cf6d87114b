"""salic_complexity training: frames → fitted tables + IsolationForest → scores → registry → gate.

One code path for CLI, admin and Celery. Scores are stored as one ProjectScore row per project per
model version, written right after registration so a promoted version is never without rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import connection, transaction

from model_store.code import source_digest
from model_store.models import DatasetSnapshot, ModelVersion, TrainingRun
from model_store.pipeline import FitResult, train_and_gate
from model_store.runs import RunContext, RunOutcome, training_run_create, training_run_enqueue, training_run_execute
from model_store.services import GateResult, dataset_snapshot_reference

from .analysis.frames import Frames, load_frames
from .models import ImportRun, ProjectScore
from .names import MODEL_NAME, TRAIN_TASK
from .scoring import BAND_LABELS, Scored, default_weights, indicator_rows, score_frames

BATCH = 2000


@dataclass
class SalicModel:
    """The artifact: every indicator's fitted tables, the weights and when it was trained."""

    fitted: dict[str, Any]
    weights: dict[str, float]
    today: date
    params: dict[str, Any] = field(default_factory=dict)


@cache
def code_version() -> str:
    here = Path(__file__).resolve().parent
    return source_digest([*here.glob("indicators/*.py"), *here.glob("analysis/*.py"), here / "scoring.py"])


def salic_params() -> dict[str, Any]:
    """Weights from the production version's params (staff may edit them), else the defaults."""
    production = ModelVersion.objects.production().for_name(MODEL_NAME).only("params").first()
    weights = {**default_weights(), **((production.params or {}).get("weights", {}) if production else {})}
    return {"weights": weights, "z_limit": 3.5, "min_segment_projects": 20}


def frames_snapshot(frames: Frames) -> DatasetSnapshot:
    """Fingerprint of exactly what was trained on; the rows themselves live in the import snapshots."""
    digest = hashlib.sha256()
    for name in ("projects", "lines", "receipts", "fundraising"):
        frame = getattr(frames, name)
        ordered = frame.sort_index(axis=1)
        ordered = ordered.sort_values(list(ordered.columns)).reset_index(drop=name != "projects")
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


def salic_fit(
    frames: Frames, *, weights: dict[str, float], prefitted: dict[str, Any] | None = None
) -> tuple[SalicModel, Scored]:
    """Fit what `prefitted` lacks (all of it by default) and score every project."""
    scored = score_frames(frames, fitted=prefitted, weights=weights)
    return SalicModel(fitted=scored.fitted, weights=dict(weights), today=frames.today), scored


def metrics_of(scored: Scored) -> dict[str, Any]:
    bands = scored.band().value_counts().to_dict()
    outliers = {name: int(t["is_outlier"].sum()) for name, t in scored.tables.items()}
    return {
        "projects_scored": int(len(scored.complexity)),
        "mean_complexity": round(float(scored.complexity.mean()), 3) if len(scored.complexity) else None,
        "bands": {BAND_LABELS[b]: int(bands.get(b, 0)) for b in BAND_LABELS},
        "outliers_per_indicator": outliers,
    }


def integrity_problems(scored: Scored) -> list[str]:
    """Every indicator computed for ≥ 95% of the projects that have its data; no NaN score."""
    problems = []
    for name, table in scored.tables.items():
        valid = table["valid"].astype(bool)
        if valid.sum() == 0:
            continue
        computed = table.loc[valid, "value"].notna().mean()
        if computed < 0.95:
            problems.append(f"O indicador '{name}' foi calculado para só {computed:.0%} dos projetos com dados.")
    if scored.complexity.isna().any():
        problems.append(f"{int(scored.complexity.isna().sum())} projeto(s) ficaram sem nota (NaN).")
    return problems


def scores_write(*, version: ModelVersion, scored: Scored, weights: dict[str, float], project_ids=None) -> int:
    """Insert one ProjectScore per project of `scored` (or of `project_ids`) for `version`."""
    rows = indicator_rows(scored, weights)
    bands = scored.band()
    ids = [int(pid) for pid in (scored.complexity.index if project_ids is None else project_ids)]
    values = (
        (pid, float(scored.complexity[pid]), float(scored.base_complexity[pid]), bands[pid], rows[pid]) for pid in ids
    )
    return scores_insert(version, values)


def scores_insert(version: ModelVersion, values: Iterable[tuple]) -> int:
    """Insert (project_id, complexity, base_complexity, band, indicators) rows for `version`."""
    if connection.vendor == "postgresql":
        return _copy_scores(version, values)
    written = 0
    batch: list[ProjectScore] = []
    with transaction.atomic():
        for pid, complexity, base, band, indicators in values:
            batch.append(
                ProjectScore(
                    project_id=pid,
                    model_version=version,
                    complexity=complexity,
                    base_complexity=base,
                    band=band,
                    indicators=indicators,
                )
            )
            if len(batch) >= BATCH:
                ProjectScore.objects.bulk_create(batch)
                written, batch = written + len(batch), []
        if batch:
            ProjectScore.objects.bulk_create(batch)
            written += len(batch)
    return written


def _copy_scores(version: ModelVersion, values) -> int:
    """PostgreSQL: COPY the rows in (one round trip) instead of batched INSERTs."""
    table = connection.ops.quote_name(ProjectScore._meta.db_table)
    written = 0
    with transaction.atomic():
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(
                f"COPY {table} (project_id, model_version_id, complexity, base_complexity, band, indicators) FROM STDIN"
            ) as copy,
        ):
            for pid, complexity, base, band, indicators in values:
                copy.write_row((pid, version.pk, complexity, base, band, json.dumps(indicators, ensure_ascii=False)))
                written += 1
    return written


def salic_gate(candidate_scores: pd.DataFrame, production: ModelVersion | None, problems: list[str]) -> GateResult:
    """Integrity first; then block automatic promotion when more than 10% of projects change band."""
    if problems:
        return GateResult(False, problems, {"sections": []})
    if production is None:
        return GateResult(True, [], {"sections": []})
    previous = pd.DataFrame.from_records(
        ProjectScore.objects.filter(model_version=production).values_list("project_id", "complexity", "band"),
        columns=["project", "complexity", "band"],
    ).set_index("project")
    joined = candidate_scores.join(previous.add_suffix("_prod"), how="inner")
    changed = joined[joined["band"] != joined["band_prod"]]
    share = len(changed) / len(joined) if len(joined) else 0.0
    limit = settings.SALIC_GATE_MAX_BAND_CHANGE
    moves = (joined["complexity"] - joined["complexity_prod"]).abs().sort_values(ascending=False).head(20)
    sections = [
        {
            "title": f"Mudanças de faixa em relação à produção v{production.version}",
            "note": f"{len(changed)} de {len(joined)} projetos mudaram de faixa ({share:.1%}; limite {limit:.0%}).",
            "columns": ["de", "para", "projetos"],
            "rows": [
                [BAND_LABELS[a], BAND_LABELS[b], int(n)]
                for (a, b), n in changed.groupby(["band_prod", "band"]).size().items()
            ],
        },
        {
            "title": "Projetos que mais mudaram",
            "columns": ["projeto (id)", "produção", "candidata", "variação"],
            "rows": [
                [
                    int(p),
                    joined.at[p, "complexity_prod"],
                    joined.at[p, "complexity"],
                    round(joined.at[p, "complexity"] - joined.at[p, "complexity_prod"], 1),
                ]
                for p in moves.index
                if moves[p] > 0
            ],
        },
    ]
    report = {"sections": sections, "band_changes": len(changed), "band_change_share": round(share, 4)}
    if share > limit:
        return GateResult(
            False,
            [f"{share:.1%} dos projetos mudariam de faixa (limite {limit:.0%}); a equipe pode forçar com um motivo."],
            report,
        )
    return GateResult(True, [], report)


def salic_train(ctx: RunContext, *, frames: Frames | None = None, prefitted: dict | None = None) -> RunOutcome:
    """The trainer behind every salic_complexity training run (full recompute).

    `prefitted` carries per-segment tables fitted elsewhere (the Celery fan-out); the rest is learned here.
    """
    ctx.progress(3, "lendo os dados do banco")
    frames = frames or load_frames()
    if frames.projects.empty:
        raise ValueError("Não há projetos importados; rode salic_import primeiro.")
    params = salic_params()
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


def salic_train_blocking(*, trigger: str = "cli", user: Any = None) -> TrainingRun:
    run = training_run_create(name=MODEL_NAME, trigger=trigger, requested_by=user)
    return training_run_execute(run.pk, salic_train, wait_if_busy=600) or TrainingRun.objects.get(pk=run.pk)


def salic_train_queue(*, trigger: str = "manual", user: Any = None) -> TrainingRun:
    with transaction.atomic():
        run = training_run_create(name=MODEL_NAME, trigger=trigger, requested_by=user)
        training_run_enqueue(run=run, task=TRAIN_TASK)
    return run
