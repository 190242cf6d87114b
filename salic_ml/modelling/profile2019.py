"""The "salic-ml 2019" profile: the original project's metrics, rules and weights, side by side with ours.

salic-ml flagged a metric when the project's value was above mean + 1.5σ of its segment (below
mean − 1.5σ for "common items") and scored `10 · Σ weight · flag / 22`. Each indicator that
succeeds a salic-ml metric declares it (`Indicator.legacy`: name, weight, tail) and the value the
rule reads (`Indicator.legacy_values`), so this module names no indicator.

Known faults of the original rule are fixed here (docs/salic-ml-parity.md lists them):
missing values are left out of the segment's mean and σ instead of counting as zero, and such a
project is not flagged; a segment with fewer than two valued projects (σ undefined) borrows its
area's mean and σ; a σ of zero flags only values strictly above the mean; the score never passes 10.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .analysis.frames import Frames
from .indicators import REGISTRY

SIGMAS = 1.5
DENOMINATOR = 22.0  # salic-ml divided by the sum of its weights, 22, whatever could be computed
MIN_VALUED = 2  # σ needs two values


def _mean_std(values: pd.Series, groups: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame({"v": values.astype(float), "g": groups}).dropna()
    grouped = frame.groupby("g")["v"]
    return pd.DataFrame({"n": grouped.size(), "mean": grouped.mean(), "std": grouped.std(ddof=1).fillna(0.0)})


def legacy_thresholds(values: pd.Series, projects: pd.DataFrame, *, tail: str) -> pd.Series:
    """Per project: mean ± 1.5σ of its segment's valued projects (its area's when fewer than two)."""
    seg = _mean_std(values, projects["segment"]).reindex(projects["segment"].to_numpy())
    area = _mean_std(values, projects["area"]).reindex(projects["area"].to_numpy())
    small = seg["n"].fillna(0).to_numpy() < MIN_VALUED
    mean = np.where(small, area["mean"], seg["mean"])
    std = np.where(small, area["std"], seg["std"])
    sign = -1.0 if tail == "lower" else 1.0
    return pd.Series(mean + sign * SIGMAS * std, index=projects.index)


def legacy_profile(frames: Frames, tables: dict[str, pd.DataFrame], *, peers: pd.DataFrame) -> pd.DataFrame:
    """Per project id: `complexity` (0–10, salic-ml's formula) and `metrics`
    ({metric: {value, threshold, is_outlier, weight, indicator}})."""
    projects = frames.projects
    numerator = pd.Series(0.0, index=projects.index)
    columns: dict[str, tuple[str, float, pd.Series, pd.Series, pd.Series]] = {}
    for name, ind in REGISTRY.items():
        if ind.legacy is None or name not in tables:
            continue
        values = ind.legacy_values(frames, tables[name], peers=peers).reindex(projects.index).astype(float)
        threshold = legacy_thresholds(values, projects, tail=ind.legacy.tail)
        flag = values < threshold if ind.legacy.tail == "lower" else values > threshold
        flag = (flag & values.notna() & threshold.notna()).astype(bool)
        numerator += flag * float(ind.legacy.weight)
        columns[ind.legacy.metric] = (name, float(ind.legacy.weight), values, threshold, flag)
    complexity = (10 * numerator / DENOMINATOR).clip(upper=10).round(1)
    # Plain Python lists (NaN/inf → None) so the per-project dicts cost no NumPy scalar conversions.
    arrays = {
        metric: (name, weight, _plain(values), _plain(threshold), flag.to_numpy().tolist())
        for metric, (name, weight, values, threshold, flag) in columns.items()
    }
    metrics = [
        {
            metric: {
                "indicator": name,
                "value": values[i],
                "threshold": threshold[i],
                "is_outlier": flag[i],
                "weight": weight,
            }
            for metric, (name, weight, values, threshold, flag) in arrays.items()
        }
        for i in range(len(projects.index))
    ]
    return pd.DataFrame({"complexity": complexity, "metrics": metrics}, index=projects.index)


def _plain(series: pd.Series) -> list[float | None]:
    array = series.to_numpy(dtype=float)
    rounded = np.round(array, 4).tolist()
    finite = np.isfinite(array).tolist()
    return [v if ok else None for v, ok in zip(rounded, finite, strict=True)]
