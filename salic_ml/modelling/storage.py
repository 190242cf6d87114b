"""Stored scores: one ProjectScore row per project per model version, written in bulk.

PostgreSQL takes rows by COPY (one round trip); other databases by batched INSERTs. Incremental
runs copy a version's rows inside the database and swap only the rows that changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pandas as pd
from django.db import connection, transaction

from model_store.models import ModelVersion
from salic_ml.models import ProjectScore

from .scoring import Scored, indicator_rows

BATCH = 2000


def scores_write(*, version: ModelVersion, scored: Scored, weights: dict[str, float], project_ids=None) -> int:
    """Insert one ProjectScore per project of `scored` (or of `project_ids`) for `version`."""
    ids = [int(pid) for pid in (scored.complexity.index if project_ids is None else project_ids)]
    return scores_insert(version, score_tuples(scored, weights, ids))


# The columns a score row is written with, in the order of the tuples below.
COLUMNS = (
    "project_id",
    "complexity",
    "base_complexity",
    "band",
    "severity",
    "legacy_complexity",
    "legacy_metrics",
    "indicators",
)


def score_tuples(scored: Scored, weights: dict[str, float], ids: Iterable[int]) -> Iterable[tuple]:
    """(COLUMNS order) per project id of `scored`."""
    rows = indicator_rows(scored, weights)
    complexity = _by_id(scored.complexity)
    base = _by_id(scored.base_complexity)
    severity = _by_id(scored.severity)
    bands = dict(zip(scored.complexity.index.tolist(), scored.band().tolist(), strict=True))
    legacy = scored.legacy
    if legacy is not None:
        legacy_complexity = _by_id(legacy["complexity"])
        legacy_metrics = dict(zip(legacy.index.tolist(), legacy["metrics"].tolist(), strict=True))
    for pid in ids:
        yield (
            pid,
            complexity[pid],
            base[pid],
            bands[pid],
            severity[pid],
            legacy_complexity[pid] if legacy is not None else None,
            legacy_metrics[pid] if legacy is not None else {},
            rows[pid],
        )


def _by_id(series: pd.Series) -> dict[int, float]:
    return dict(zip(series.index.tolist(), series.astype(float).tolist(), strict=True))


def row_tuple(row: ProjectScore) -> tuple:
    return tuple(getattr(row, name) for name in COLUMNS)


def scores_insert(version: ModelVersion, values: Iterable[tuple]) -> int:
    """Insert rows (COLUMNS order) for `version`."""
    if connection.vendor == "postgresql":
        return _copy_scores(version, values)
    written = 0
    batch: list[ProjectScore] = []
    with transaction.atomic():
        for value in values:
            batch.append(ProjectScore(model_version=version, **dict(zip(COLUMNS, value, strict=True))))
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
            cursor.copy(f"COPY {table} (model_version_id, {', '.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            for pid, complexity, base, band, severity, legacy, legacy_metrics, indicators in values:
                copy.write_row(
                    (
                        version.pk,
                        pid,
                        complexity,
                        base,
                        band,
                        severity,
                        legacy,
                        json.dumps(legacy_metrics, ensure_ascii=False),
                        json.dumps(indicators, ensure_ascii=False),
                    )
                )
                written += 1
    return written


def scores_copy(*, src: ModelVersion, dst: ModelVersion) -> None:
    """Copy every row of `src` to `dst` inside the database (no Python objects)."""
    score = connection.ops.quote_name(ProjectScore._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {score} (model_version_id, {', '.join(COLUMNS)}) "
            f"SELECT %s, {', '.join(COLUMNS)} FROM {score} "
            f"WHERE model_version_id = %s",
            [dst.pk, src.pk],
        )


def scores_replace(version: ModelVersion, rows: list[ProjectScore]) -> None:
    """Swap the copied rows of these projects for their new ones: a delete and an insert (COPY on
    PostgreSQL) cost far less than an UPDATE per row with a JSON column."""
    if not rows:
        return
    ids = [r.project_id for r in rows]
    with transaction.atomic():
        for start in range(0, len(ids), 5000):
            ProjectScore.objects.filter(model_version=version, project_id__in=ids[start : start + 5000]).delete()
        scores_insert(version, (row_tuple(r) for r in rows))
