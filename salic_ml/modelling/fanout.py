"""Full training fanned out over Celery: one task per area fits its segments' tables in parallel,
a chord callback merges them, learns the IsolationForest, scores and registers the version.

Segments are grouped by area because a small segment borrows its area's distribution, so an area is
the smallest unit whose tables can be fitted alone. Parts travel through the result backend as
signed joblib bytes (verified before unpickling). The one-machine path (salic_train) runs the same
indicator code over all areas at once; both give identical tables.
"""

from __future__ import annotations

import base64
from typing import Any

from model_store import signing
from model_store.models import TrainingRun
from model_store.runs import RunContext, RunOutcome
from salic_ml.models import Area

from .analysis.frames import load_frames
from .artifact import salic_params
from .indicators import REGISTRY
from .scoring import score_frames
from .training import salic_train


def fit_area_part(*, run_id: int, area_id: int) -> dict[str, Any]:
    """Fit the stage-1 tables of one area; return them signed for the chord callback."""
    frames = load_frames(area_ids=[area_id])
    weights = salic_params()["weights"]
    fitted = score_frames(frames, fitted=None, weights=weights, last_stage=1).fitted
    segments = sorted(int(s) for s in frames.projects["segment"].unique())
    blob = signing.serialize(fitted)
    sha = signing.digest(blob)
    RunContext(TrainingRun.objects.get(pk=run_id)).progress(40, f"área {area_id} ajustada")
    return {
        "area": str(area_id),
        "segments": segments,
        "data": base64.b64encode(blob).decode(),
        "sha256": sha,
        "signature": signing.sign(name=f"salic-part-{run_id}", version=area_id, sha256=sha),
    }


def merge_parts(*, run_id: int, parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Verify every part and merge the per-area tables into one fitted dict (each indicator merges its own)."""
    merged: dict[str, Any] = {}
    for part in parts:
        area = int(part["area"])
        fitted = signing.deserialize_verified(
            name=f"salic-part-{run_id}",
            version=area,
            data=base64.b64decode(part["data"]),
            sha256=part["sha256"],
            signature=part["signature"],
        )
        segments = {int(s) for s in part["segments"]}
        for name, tables in fitted.items():
            merged[name] = REGISTRY[name].merge_fitted(merged.get(name), tables, segments=segments, areas={area})
    return merged


def assemble(ctx: RunContext, *, run_id: int, parts: list[dict[str, str]]) -> RunOutcome:
    """The chord callback's work: merged per-area tables + the same training flow as salic_train."""
    ctx.progress(50, f"{len(parts)} área(s) ajustadas; montando o modelo")
    return salic_train(ctx, prefitted=merge_parts(run_id=run_id, parts=parts))


def area_ids() -> list[int]:
    return list(Area.objects.filter(projects__isnull=False).distinct().order_by("pk").values_list("pk", flat=True))
