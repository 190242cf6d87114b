"""Reads shared by the REST API and the dashboards: always the production model's scores."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.db.models import Avg, Count, QuerySet

from model_store.models import ModelVersion

from .models import ProjectScore, Segment
from .names import MODEL_NAME


def production_model() -> ModelVersion | None:
    return (
        ModelVersion.objects.production()
        .for_name(MODEL_NAME)
        .only("id", "name", "version", "status", "params", "metrics")
        .first()
    )


def public_url(pronac: str) -> str:
    """The project's public page (settings.SALIC_PROJECT_URL, e.g. VerSALIC)."""
    return settings.SALIC_PROJECT_URL.replace("{pronac}", quote(pronac, safe=""))


def population_fit_version(version: ModelVersion) -> int:
    """The version whose full training fitted the population-level indicators (e.g. the anomaly
    forest) that `version` serves: itself after a full training, an earlier one after incremental
    rescores, which keep that fit."""
    return int((version.metrics or {}).get("population_fit_version") or version.version)


def _scores(version: ModelVersion | None) -> QuerySet[ProjectScore]:
    if version is None:
        return ProjectScore.objects.none()
    return ProjectScore.objects.filter(model_version=version).select_related(
        "project", "project__segment", "project__area", "project__proponent"
    )


def scores_ranked(version: ModelVersion | None) -> QuerySet[ProjectScore]:
    """Production scores with project, segment and area in one query, most complex first and, at
    equal complexity, most severe first (how far outside their ranges the unusual indicators are).

    The indicators JSON is left out (lists do not show it); the (version, -complexity, -severity,
    project) index serves the default order, so a page reads 50 index entries instead of sorting them all.
    """
    return _scores(version).defer("indicators", "legacy_metrics").order_by("-complexity", "-severity", "project_id")


def score_for(version: ModelVersion | None, pronac: str) -> ProjectScore | None:
    score = _scores(version).filter(project__pronac=pronac).first()
    if score is not None:
        score.model_version = version  # already loaded, without its multi-megabyte artifact
    return score


def segments_summary() -> QuerySet[Segment]:
    return Segment.objects.select_related("area").annotate(project_count=Count("projects")).order_by("code")


def segment_band_counts(version: ModelVersion | None, segment: Segment) -> dict[str, object]:
    if version is None:
        return {"bands": {}, "mean_complexity": None}
    rows = ProjectScore.objects.filter(model_version=version, project__segment=segment)
    bands = dict(rows.values_list("band").annotate(n=Count("id")).values_list("band", "n"))
    return {"bands": bands, "mean_complexity": rows.aggregate(m=Avg("complexity"))["m"]}
