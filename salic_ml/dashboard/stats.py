"""Summaries of a segment's values that are small enough to cache and still draw a box plot."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

# Up to this many values are kept as they are; beyond it, evenly spaced order statistics
# (so "this project is above X% of the segment" stays within 0.2 points).
MAX_SAMPLE = 501


@dataclass(frozen=True)
class Summary:
    """Box-plot statistics in the data's units; `log` when they were computed on log10 values."""

    n: int
    log: bool
    q1: float
    median: float
    q3: float
    lower: float  # Tukey fences: the most extreme values within 1.5 × IQR of the quartiles
    upper: float
    min: float
    max: float
    sample: tuple[float, ...]  # sorted

    def share_below(self, value: float) -> float:
        """Fraction of the segment's values strictly below `value` (0–1)."""
        return bisect_left(self.sample, value) / len(self.sample)


def summarise(values: list[float], *, log: bool) -> Summary | None:
    """None for fewer than two values. `log` is honoured only when every value is positive."""
    data = np.sort(np.asarray([v for v in values if v is not None], dtype=float))
    if len(data) < 2:
        return None
    log = log and bool(data[0] > 0)
    scaled = np.log10(data) if log else data
    q1, median, q3 = np.percentile(scaled, [25, 50, 75])
    iqr = q3 - q1
    inside = scaled[(scaled >= q1 - 1.5 * iqr) & (scaled <= q3 + 1.5 * iqr)]

    def back(x: float) -> float:
        # 6 significant digits, so a median of counts read back from log10 stays 54, not 54.0000001.
        return float(f"{10**x:.6g}") if log else float(x)

    sample = data[np.linspace(0, len(data) - 1, min(len(data), MAX_SAMPLE)).round().astype(int)]
    return Summary(
        n=len(data),
        log=log,
        q1=back(q1),
        median=back(median),
        q3=back(q3),
        lower=back(inside.min()),
        upper=back(inside.max()),
        min=float(data[0]),
        max=float(data[-1]),
        sample=tuple(float(v) for v in sample),
    )
