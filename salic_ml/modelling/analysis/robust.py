"""Robust statistics per segment: median and MAD, modified z-scores, expected ranges.

z = 0.6745 · (x − median) / MAD (Iglewicz & Hoaglin). Where MAD is 0 the mean absolute deviation
is used (z = (x − median) / (1.2533 · MeanAD)). Money and counts are compared on log1p scale.
Segments with fewer than MIN_SEGMENT_PROJECTS projects borrow their area's distribution.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Z_LIMIT = 3.5
MIN_SEGMENT_PROJECTS = 20
MAD_K = 0.6745
MEAN_AD_K = 1.253314


def _scale(values: pd.Series) -> tuple[float, float]:
    """(median, spread) of one sample, where z = (x − median) / spread."""
    table = group_table(values, pd.Series(0, index=values.index))
    if table.empty:
        return float("nan"), float("nan")
    return float(table["median"].iloc[0]), float(table["spread"].iloc[0])


def group_table(values: pd.Series, groups: pd.Series) -> pd.DataFrame:
    """Per group: n, median and spread of `values` (NaN values ignored), all with pandas groupby."""
    frame = pd.DataFrame({"v": values.astype(float), "g": groups}).dropna()
    grouped = frame.groupby("g", sort=True)["v"]
    median = grouped.median()
    deviation = (frame["v"] - frame["g"].map(median)).abs()
    by_group = deviation.groupby(frame["g"], sort=True)
    mad, mean_ad = by_group.median(), by_group.mean()
    # MAD/0.6745 estimates σ; where MAD is 0 (over half the values tie) use 1.2533 · mean |x − median|.
    spread = (mad / MAD_K).where(mad > 0, MEAN_AD_K * mean_ad)
    return pd.DataFrame({"n": grouped.size().astype(float), "median": median, "spread": spread}).astype(float)


def segment_area_tables(values: pd.Series, segment: pd.Series, area: pd.Series) -> dict[str, pd.DataFrame]:
    return {"segment": group_table(values, segment), "area": group_table(values, area)}


def lookup(tables: dict[str, pd.DataFrame], segment: pd.Series, area: pd.Series) -> pd.DataFrame:
    """Median and spread to compare each project with: its segment's, or its area's when the segment is small."""
    seg = tables["segment"].reindex(segment.to_numpy())
    ar = tables["area"].reindex(area.to_numpy())
    small = seg["n"].fillna(0).to_numpy() < MIN_SEGMENT_PROJECTS
    median = np.where(small, ar["median"].to_numpy(), seg["median"].to_numpy())
    spread = np.where(small, ar["spread"].to_numpy(), seg["spread"].to_numpy())
    return pd.DataFrame({"median": median, "spread": spread}, index=segment.index)


def modified_z(x: pd.Series, median: pd.Series, spread: pd.Series) -> pd.Series:
    x, median, spread = x.astype(float), median.astype(float), spread.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x - median) / spread
    # A zero spread means every peer had the same value: equal is normal, anything else is not.
    z = z.where(spread > 0, np.where(x == median, 0.0, np.sign(x - median) * np.inf))
    return z


def bounds(median: pd.Series, spread: pd.Series, *, log: bool) -> tuple[pd.Series, pd.Series]:
    low, high = median - Z_LIMIT * spread, median + Z_LIMIT * spread
    if log:
        return np.expm1(low).clip(lower=0), np.expm1(high)
    return low, high
