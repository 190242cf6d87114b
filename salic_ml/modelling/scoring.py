"""Run every registered indicator over the frames and combine them into the 0–10 complexity score.

complexity = round(10 × Σ weight·is_outlier / Σ weight over valid indicators, 1)
bands: > 6 "Muito complexo", > 3 "Complexo", otherwise "Normal".
severity = Σ weight · excess over unusual indicators, where excess is how far outside its expected
range the value is, in range widths (capped, see Indicator.excess): it orders projects of equal
complexity, so a project far outside its ranges ranks above one just past them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import profile2019
from .analysis.frames import Frames
from .indicators import REGISTRY

BANDS = (("muito_complexo", "Muito complexo", 6.0), ("complexo", "Complexo", 3.0), ("normal", "Normal", -1.0))


def default_weights() -> dict[str, float]:
    return {name: float(ind.weight) for name, ind in REGISTRY.items()}


def band_of(complexity: float) -> str:
    for code, _label, above in BANDS:
        if complexity > above:
            return code
    return "normal"


BAND_LABELS = {code: label for code, label, _ in BANDS}


def complexity_of(tables: dict[str, pd.DataFrame], weights: dict[str, float], names: list[str]) -> pd.Series:
    index = next(iter(tables.values())).index
    numerator = pd.Series(0.0, index=index)
    denominator = pd.Series(0.0, index=index)
    for name in names:
        table = tables[name]
        w = float(weights.get(name, REGISTRY[name].weight))
        valid = table["valid"].astype(bool)
        denominator += valid * w
        numerator += (valid & table["is_outlier"].astype(bool)) * w
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (10 * numerator / denominator).where(denominator > 0, 0.0)
    return score.round(1)


def severity_of(tables: dict[str, pd.DataFrame], weights: dict[str, float], names: list[str]) -> pd.Series:
    index = next(iter(tables.values())).index
    total = pd.Series(0.0, index=index)
    for name in names:
        total += float(weights.get(name, REGISTRY[name].weight)) * tables[name]["excess"].astype(float)
    return total.round(3)


def severity_from_rows(indicators: dict[str, dict], weights: dict[str, float]) -> float:
    """The same as severity_of, from one project's stored indicator rows."""
    total = 0.0
    for name, row in indicators.items():
        if row.get("valid") and row.get("is_outlier"):
            total += float(weights.get(name, row.get("weight", 0))) * float(row.get("excess") or 0.0)
    return round(total, 3)


def complexity_from_rows(indicators: dict[str, dict], weights: dict[str, float]) -> float:
    """The same formula as complexity_of, from one project's stored indicator rows."""
    numerator = denominator = 0.0
    for name, row in indicators.items():
        if row.get("valid"):
            w = float(weights.get(name, row.get("weight", 0)))
            denominator += w
            numerator += w if row.get("is_outlier") else 0.0
    return round(10 * numerator / denominator, 1) if denominator else 0.0


@dataclass
class Scored:
    tables: dict[str, pd.DataFrame]
    evidence: dict[str, dict[int, list[dict]]]
    complexity: pd.Series
    base_complexity: pd.Series
    fitted: dict[str, Any] = field(default_factory=dict)
    severity: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    legacy: pd.DataFrame | None = None  # the salic-ml 2019 profile (see profile2019), when computed

    def band(self) -> pd.Series:
        return self.complexity.map(band_of)


def score_frames(
    frames: Frames,
    *,
    fitted: dict[str, Any] | None,
    weights: dict[str, float],
    outside_base: pd.DataFrame | None = None,
    last_stage: int = 3,
) -> Scored:
    """Compute all indicators by stage. Tables missing from `fitted` (or all, when it is None) are
    learned from these frames; `Scored.fitted` holds every table used.

    `outside_base` (proponent, base_complexity per project) adds projects outside the frames, so a
    partial recompute still sees a proponent's other projects.
    """
    learned: dict[str, Any] = {}
    tables: dict[str, pd.DataFrame] = {}
    evidence: dict[str, dict] = {}
    ordered = sorted(REGISTRY.values(), key=lambda ind: (ind.stage, ind.name))

    def run(ind, earlier=None) -> None:
        result, tables_fit = ind.compute(frames, None if fitted is None else fitted.get(ind.name), earlier=earlier)
        result.table["excess"] = ind.excess(result.table)
        tables[ind.name], evidence[ind.name], learned[ind.name] = result.table, result.evidence, tables_fit

    for ind in (i for i in ordered if i.stage == 1):
        run(ind)
    if last_stage == 1:  # callers that only refit the per-segment tables
        return Scored(tables, evidence, pd.Series(dtype=float), pd.Series(dtype=float), learned)
    stage1 = pd.DataFrame({name: t["value"] for name, t in tables.items()}).astype(float)
    for ind in (i for i in ordered if i.stage == 2):
        run(ind, stage1)
    base = complexity_of(tables, weights, list(tables))
    base_frame = pd.DataFrame({"proponent": frames.projects["proponent"], "base_complexity": base})
    if outside_base is not None and len(outside_base):
        base_frame = pd.concat([outside_base[~outside_base.index.isin(base_frame.index)], base_frame])
    for ind in (i for i in ordered if i.stage == 3):
        run(ind, base_frame)
    final = complexity_of(tables, weights, list(tables))
    severity = severity_of(tables, weights, list(tables))
    legacy = profile2019.legacy_profile(frames, tables, peers=base_frame)
    return Scored(tables, evidence, final, base, learned, severity, legacy)


def _clean(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else round(float(value), 4)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def clean_record(record: dict[str, Any]) -> dict[str, Any]:
    """An evidence row as JSON-ready Python values (no NumPy scalars, no NaN/inf)."""
    return {k: _clean(v) for k, v in record.items()}


def _plain(values: pd.Series) -> list[Any]:
    """The column as JSON-ready Python values, equal to `_clean` of each value, in one pass."""
    if values.dtype != np.float64:
        return [_clean(v) for v in values.tolist()]
    x = values.to_numpy()
    rounded = round4(x).tolist()
    return [v if v == v else None for v in rounded]


def round4(x: np.ndarray) -> np.ndarray:
    """Python's round(v, 4) for every value (NaN for non-finite ones), vectorised.

    rint(v·10⁴)/10⁴ is the double nearest the decimal Python rounds to, unless v·10⁴ lies within its
    own rounding error of a half (or is too large for its fraction to be exact): those few go to round().
    """
    finite = np.isfinite(x)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = x * 1e4
        out = np.rint(scaled) / 1e4
        doubt = finite & (
            (np.abs(scaled) >= 2.0**51)
            | (np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) <= 2 * np.abs(np.spacing(scaled)))
        )
    out[~finite] = np.nan
    for i in np.flatnonzero(doubt).tolist():
        out[i] = round(float(x[i]), 4)
    return out


def indicator_row_builder(scored: Scored, weights: dict[str, float]) -> Callable[[int], dict[str, dict]]:
    """A function giving one project's indicator rows on demand:
    {indicator: {value, expected_min, expected_max, is_outlier, valid, weight, excess, evidence}}.

    Every column is turned into one Python list up front; a project's dicts are built only when asked
    for, so a writer can stream rows to the database while the rest are still being built.
    """
    columns = []
    for name, table in scored.tables.items():
        position = {int(pid): i for i, pid in enumerate(table.index.tolist())}
        values = (
            _plain(table["value"]),
            _plain(table["expected_min"]),
            _plain(table["expected_max"]),
            table["is_outlier"].astype(bool).tolist(),
            table["valid"].astype(bool).tolist(),
            _plain(table["excess"]),
        )
        weight = float(weights.get(name, REGISTRY[name].weight))
        columns.append((name, position, values, weight, scored.evidence.get(name, {})))

    def row_of(project: int) -> dict[str, dict]:
        rows = {}
        for name, position, (value, low, high, outlier, valid, excess), weight, evidence in columns:
            i = position.get(project)
            if i is None:
                continue
            rows[name] = {
                "value": value[i],
                "expected_min": low[i],
                "expected_max": high[i],
                "is_outlier": outlier[i],
                "valid": valid[i],
                "weight": weight,
                "excess": excess[i],
                "evidence": [clean_record(r) for r in evidence[project]] if project in evidence else [],
            }
        return rows

    return row_of
