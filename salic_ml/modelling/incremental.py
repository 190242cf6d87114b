"""Incremental recompute after an import touched some projects.

Scope: the areas of the touched projects, of their proponents' other projects and of the projects
that share a supplier with them (their "new supplier" shares may change). Within those areas every
segment's and the area's tables are refitted — a small segment borrows its area's distribution, so
an area is the smallest unit that can be refitted exactly — and every project is rescored. The
IsolationForest of the production model is reused (only a full training refits it). Rows of all
other projects are copied to the new version unchanged, inside the database; the rescored ones are
written anew, and the version's metrics count those that differ from production (`rows_changed`).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import pandas as pd
from django.db.models import Count

from model_store.models import DatasetSnapshot, ModelVersion, TrainingRun
from model_store.pipeline import FitResult, train_and_gate
from model_store.runs import RunContext, RunOutcome, training_run_create, training_run_execute
from model_store.services import GateResult, dataset_snapshot_reference
from model_store.serving import load_version
from salic_ml.models import ImportRun, ImportTouch, Project, ProjectScore, Receipt
from salic_ml.names import MODEL_NAME

from .analysis.frames import Frames, load_frames
from .artifact import SalicModel, code_version
from .gate import integrity_problems, metrics_of, salic_gate
from .indicators import REGISTRY
from .scoring import Scored, band_of, clean_record, complexity_from_rows, score_frames, severity_from_rows
from .storage import row_tuple, score_tuples, scores_changed, scores_copy, scores_insert


def affected_areas(project_ids: list[int]) -> list[int]:
    """Areas whose tables or projects' data-driven indicators can change when `project_ids` changed.

    Other projects of the same proponents are handled apart (only the indicators that read their proponent's other projects move).
    """
    # A supplier's "seen in no other project" status can only have flipped if it now serves at
    # most two projects; widely used suppliers stay "not new" whatever this import did.
    suppliers = (
        Receipt.objects.filter(supplier_id__in=Receipt.objects.filter(project_id__in=project_ids).values("supplier_id"))
        .values("supplier_id")
        .annotate(n=Count("project_id", distinct=True))
        .filter(n__lte=2)
        .values("supplier_id")
    )
    related = Project.objects.filter(pk__in=project_ids) | Project.objects.filter(receipts__supplier_id__in=suppliers)
    return sorted(set(related.values_list("area_id", flat=True)))


def merge_fitted(old: dict[str, Any], new: dict[str, Any], segments: set[int], areas: set[int]) -> dict[str, Any]:
    """Production tables with the rows of the refitted segments and areas replaced, per indicator."""
    return {
        name: ind.merge_fitted(old.get(name), new.get(name), segments=segments, areas=areas)
        for name, ind in REGISTRY.items()
    }


def salic_rescore(ctx: RunContext, *, import_run_id: int) -> RunOutcome:
    """The trainer of an incremental run: rescore the scope of one import's touched projects."""
    production = ModelVersion.objects.production().for_name(MODEL_NAME).first()
    if production is None:
        raise ValueError("Não há modelo salic_complexity em produção; rode um treino completo (salic_train).")
    touched = list(ImportTouch.objects.filter(import_run_id=import_run_id).values_list("project_id", flat=True))
    if not touched:
        return RunOutcome(TrainingRun.Status.SKIPPED, production, "a importação não alterou nenhum projeto")
    ctx.progress(5, f"{len(touched)} projeto(s) alterados; calculando o escopo")
    model: SalicModel = load_version(production).obj
    areas = affected_areas(touched)
    frames = load_frames(area_ids=areas)
    segments = set(frames.projects["segment"].unique().tolist())
    outside = pd.DataFrame.from_records(
        ProjectScore.objects.filter(model_version=production)
        .exclude(project__area_id__in=areas)
        .values_list("project_id", "project__proponent_id", "base_complexity"),
        columns=["id", "proponent", "base_complexity"],
    ).set_index("id")
    ctx.progress(40, f"recalculando {len(frames.projects)} projeto(s) de {len(areas)} área(s)")
    # One pass: the per-segment tables of these areas are learned from their frames (every segment
    # and area a project here is compared with is refitted), only population-level fits are reused.
    kept = {name: model.fitted.get(name) for name, ind in REGISTRY.items() if ind.level == "population"}
    scored = score_frames(frames, fitted=kept, weights=model.weights, outside_base=outside)
    fitted = merge_fitted(model.fitted, scored.fitted, segments, set(areas))
    base = pd.concat(
        [
            outside[~outside.index.isin(frames.projects.index)],
            pd.DataFrame({"proponent": frames.projects["proponent"], "base_complexity": scored.base_complexity}),
        ]
    )
    peers = _peer_rows(production, touched, areas, base, model.weights)
    new_model = replace(model, fitted=fitted)
    import_run = ImportRun.objects.select_related("snapshot").get(pk=import_run_id)
    dataset = _snapshot(production, import_run)

    def fit(c: RunContext) -> FitResult:
        metrics = {
            **metrics_of(scored),
            "incremental": True,
            "rescored": len(scored.complexity) + len(peers),
            "areas": areas,
            "proponent_peers": len(peers),
            "import_run": import_run_id,
            # Population-level fits (the anomaly forest) are kept from this full training's version.
            "population_fit_version": (production.metrics or {}).get("population_fit_version") or production.version,
        }
        return FitResult(obj=new_model, metrics=metrics, report={"sections": []})

    def write_rows(version: ModelVersion) -> None:
        ctx.progress(80, "gravando as notas recalculadas")
        fresh = [
            *score_tuples(scored, model.weights, [int(pid) for pid in scored.complexity.index]),
            *(row_tuple(peer) for peer in peers),
        ]
        ids = [row[0] for row in fresh]
        scores_copy(src=production, dst=version, exclude=ids)
        scores_insert(version, fresh)
        changed = scores_changed(src=production, dst=version, project_ids=ids)
        ModelVersion.objects.filter(pk=version.pk).update(metrics={**version.metrics, "rows_changed": changed})

    def gate(candidate: ModelVersion, current: ModelVersion | None) -> GateResult:
        return _gate(candidate, current, scored)

    return train_and_gate(
        ctx=ctx,
        name=MODEL_NAME,
        dataset=dataset,
        params=production.params,
        code_version=code_version(),
        fit=fit,
        gate=gate,
        on_registered=write_rows,
    )


def _peer_rows(
    production: ModelVersion,
    touched: list[int],
    areas: list[int],
    base: pd.DataFrame,
    weights: dict[str, float],
) -> list[ProjectScore]:
    """Projects outside the rescored areas whose proponent owns a touched project: only the
    indicators that read the proponent's other projects (and so the complexity) can change;
    recompute just those from stored rows."""
    readers = [ind for ind in REGISTRY.values() if ind.proponent_peers]
    proponents = Project.objects.filter(pk__in=touched).values("proponent_id")
    stored = list(
        ProjectScore.objects.filter(model_version=production, project__proponent_id__in=proponents)
        .exclude(project__area_id__in=areas)
        .select_related("project")
    )
    if not stored or not readers:
        return []
    projects = pd.DataFrame(
        {"proponent": [row.project.proponent_id for row in stored]}, index=[row.project_id for row in stored]
    )
    results = {ind.name: ind.compute(Frames.empty_for(projects), {}, earlier=base)[0] for ind in readers}
    for ind in readers:
        results[ind.name].table["excess"] = ind.excess(results[ind.name].table)
    rows = []
    for row in stored:
        indicators = dict(row.indicators)
        for name, result in results.items():
            entry = result.table.loc[row.project_id]
            indicators[name] = {
                **indicators.get(name, {}),
                "value": None if pd.isna(entry["value"]) else float(entry["value"]),
                "is_outlier": bool(entry["is_outlier"]),
                "valid": bool(entry["valid"]),
                "excess": float(entry["excess"]),
                "evidence": [clean_record(e) for e in result.evidence.get(row.project_id, [])],
            }
        complexity = complexity_from_rows(indicators, weights)
        rows.append(
            ProjectScore(
                project_id=row.project_id,
                complexity=complexity,
                base_complexity=row.base_complexity,
                band=band_of(complexity),
                severity=severity_from_rows(indicators, weights),
                legacy_complexity=row.legacy_complexity,
                legacy_metrics=row.legacy_metrics,
                indicators=indicators,
            )
        )
    return rows


def _gate(candidate: ModelVersion, current: ModelVersion | None, scored: Scored) -> GateResult:
    table = pd.DataFrame({"complexity": scored.complexity, "band": scored.band()})
    return salic_gate(table, current, integrity_problems(scored))


def _snapshot(production: ModelVersion, import_run: ImportRun) -> DatasetSnapshot:
    base = production.dataset.fingerprint if production.dataset else "none"
    added = import_run.snapshot.fingerprint if import_run.snapshot else f"import-{import_run.pk}"
    return dataset_snapshot_reference(
        kind=DatasetSnapshot.Kind.SALIC,
        fingerprint=hashlib.sha256(f"{base}+{added}".encode()).hexdigest(),
        row_counts=production.dataset.row_counts if production.dataset else {},
        source=f"dados de v{production.version} + importação #{import_run.pk}",
        extra={"base": base, "import": added},
    )


def salic_rescore_blocking(*, import_run_id: int, trigger: str = "import") -> TrainingRun:
    run = training_run_create(name=MODEL_NAME, trigger=trigger, params={"import_run": import_run_id})
    return training_run_execute(
        run.pk, lambda ctx: salic_rescore(ctx, import_run_id=import_run_id), wait_if_busy=600
    ) or TrainingRun.objects.get(pk=run.pk)
