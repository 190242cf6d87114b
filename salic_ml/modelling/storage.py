"""Stored scores: one ProjectScore row per project per model version, written in bulk.

PostgreSQL takes rows by COPY (one round trip); other databases by batched INSERTs. Incremental
runs copy the rows they did not rescore inside the database and write the rescored ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pandas as pd
from django.db import connection, transaction

from model_store.models import ModelVersion
from salic_ml.models import ProjectScore

from .scoring import Scored, indicator_row_builder

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
    """(COLUMNS order) per project id of `scored`, built as they are consumed."""
    row_of = indicator_row_builder(scored, weights)
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
            row_of(pid),
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
                        _json(legacy_metrics),
                        _json(indicators),
                    )
                )
                written += 1
    return written


# jsonb keeps values, not spelling: compact separators send ~10% fewer bytes for the server to parse.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def scores_copy(*, src: ModelVersion, dst: ModelVersion, exclude: list[int] | None = None) -> None:
    """Copy every row of `src` to `dst` inside the database (no Python objects), but those of `exclude` projects."""
    score = connection.ops.quote_name(ProjectScore._meta.db_table)
    where, params = "model_version_id = %s", [dst.pk, src.pk]
    if exclude:
        # One temporary list instead of thousands of bind parameters (SQLite allows few).
        where += f" AND project_id NOT IN (SELECT project_id FROM {_EXCLUDED})"
    with transaction.atomic(), connection.cursor() as cursor:
        if exclude:
            _excluded_fill(cursor, exclude)
        cursor.execute(
            f"INSERT INTO {score} (model_version_id, {', '.join(COLUMNS)}) "
            f"SELECT %s, {', '.join(COLUMNS)} FROM {score} WHERE {where}",
            params,
        )
        if exclude:
            cursor.execute(f"DROP TABLE {_EXCLUDED}")


_EXCLUDED = "salic_rescored_projects"


def _excluded_fill(cursor, ids: list[int]) -> None:
    cursor.execute(f"CREATE TEMPORARY TABLE {_EXCLUDED} (project_id bigint PRIMARY KEY)")
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        cursor.execute(f"INSERT INTO {_EXCLUDED} VALUES {', '.join(['(%s)'] * len(chunk))}", chunk)


def scores_changed(*, src: ModelVersion, dst: ModelVersion, project_ids: list[int]) -> int:
    """How many of these projects' rows in `dst` differ from (or are missing in) `src`.

    Values are compared, not their spelling: JSON is parsed on both sides (jsonb equality on PostgreSQL).
    """
    if not project_ids:
        return 0
    if connection.vendor == "postgresql":
        score = connection.ops.quote_name(ProjectScore._meta.db_table)
        columns = ", ".join(f"{{side}}.{c}" for c in COLUMNS if c != "project_id")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {score} n LEFT JOIN {score} o "
                f"ON o.model_version_id = %s AND o.project_id = n.project_id "
                f"WHERE n.model_version_id = %s AND n.project_id = ANY(%s) "
                f"AND (o.id IS NULL OR ({columns.format(side='n')}) IS DISTINCT FROM ({columns.format(side='o')}))",
                [src.pk, dst.pk, list(project_ids)],
            )
            return cursor.fetchone()[0]
    changed = 0
    for start in range(0, len(project_ids), 2000):
        chunk = project_ids[start : start + 2000]
        old, new = (
            {
                row[0]: row
                for row in ProjectScore.objects.filter(model_version=v, project_id__in=chunk).values_list(*COLUMNS)
            }
            for v in (src, dst)
        )
        changed += sum(1 for pid, row in new.items() if old.get(pid) != row)
    return changed
