"""Selective answering and calibration from out-of-fold probabilities. Plain Python (numpy).

The chat answers only when the top probability and the top-1 − top-2 margin both pass thresholds.
`choose_thresholds` picks, per model version, the pair that answers the most questions while the
answered ones are right at the target rate; `risk_coverage` is the curve the admin plots; and
`calibration` measures whether a confidence of 0.8 means right about 80% of the time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MARGINS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3)
CURVE_POINTS = 60
BINS = 10


def top_and_margin(proba: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(best column, top probability, top − second probability) per row."""
    if proba.shape[1] < 2:
        return np.zeros(len(proba), dtype=int), proba[:, 0], proba[:, 0]
    order = np.argsort(-proba, axis=1)[:, :2]
    rows = np.arange(len(proba))
    top, second = proba[rows, order[:, 0]], proba[rows, order[:, 1]]
    return order[:, 0], top, top - second


def answered_mask(top: np.ndarray, margin: np.ndarray, thresholds: dict[str, float]) -> np.ndarray:
    return (top >= thresholds["min_confidence"]) & (margin >= thresholds["min_margin"])


def choose_thresholds(
    top: np.ndarray,
    margin: np.ndarray,
    correct: np.ndarray,
    *,
    target: float,
    floor_confidence: float = 0.0,
    floor_margin: float = 0.0,
) -> dict[str, Any]:
    """The (min_confidence, min_margin) with the largest coverage whose answered accuracy ≥ target.

    Thresholds never go below the floors (the operator's settings). Returns the thresholds with
    `coverage` and `answered_accuracy` (shares 0–1) and `reached`. When no threshold reaches the
    target, the point with the best answered accuracy is returned and `reached` is False.
    """
    best: dict[str, Any] | None = None
    fallback: dict[str, Any] | None = None
    n = len(top)
    for min_margin in sorted({max(m, floor_margin) for m in MARGINS}):
        keep = (margin >= min_margin) & (top >= floor_confidence)
        order = np.argsort(-top[keep], kind="stable")
        tops, hits = top[keep][order], correct[keep][order].astype(float)
        if not len(tops):
            continue
        accuracy = np.cumsum(hits) / np.arange(1, len(hits) + 1)
        # A threshold can only sit between distinct probabilities: the last row of each tie group.
        last_of_tie = np.r_[tops[1:] != tops[:-1], True]
        for k in np.flatnonzero(last_of_tie):
            point = {
                "min_confidence": _floor(float(tops[k])),
                "min_margin": min_margin,
                "coverage": (k + 1) / n,
                "answered_accuracy": float(accuracy[k]),
            }
            if accuracy[k] >= target and (best is None or point["coverage"] > best["coverage"]):
                best = point
            if fallback is None or point["answered_accuracy"] > fallback["answered_accuracy"]:
                fallback = point
    chosen = best or fallback or {"min_confidence": 1.0, "min_margin": 0.0, "coverage": 0.0, "answered_accuracy": 0.0}
    return {**_rounded(chosen), "target": target, "reached": best is not None}


def risk_coverage(top: np.ndarray, margin: np.ndarray, correct: np.ndarray, *, min_margin: float) -> list[dict]:
    """Coverage → answered accuracy as the confidence threshold falls (margin fixed), ≤ CURVE_POINTS points."""
    keep = margin >= min_margin
    order = np.argsort(-top[keep], kind="stable")
    tops, hits = top[keep][order], correct[keep][order].astype(float)
    if not len(tops):
        return []
    accuracy = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    picks = np.unique(np.linspace(0, len(tops) - 1, min(CURVE_POINTS, len(tops))).round().astype(int))
    return [
        _rounded(
            {
                "min_confidence": round(float(tops[k]), 4),
                "coverage": (k + 1) / len(top),
                "answered_accuracy": float(accuracy[k]),
            }
        )
        for k in picks
    ]


def calibration(confidence: np.ndarray, correct: np.ndarray, *, bins: int = BINS) -> dict[str, Any]:
    """Expected calibration error (0–1; |confidence − accuracy| weighted by bin share) and the
    reliability diagram: per equal-width confidence bin, mean confidence, accuracy and count."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    rows, ece = [], 0.0
    for b in range(bins):
        inside = which == b
        if not inside.any():
            continue
        conf, acc = float(confidence[inside].mean()), float(correct[inside].mean())
        ece += inside.mean() * abs(conf - acc)
        rows.append(
            {
                "low": round(float(edges[b]), 2),
                "high": round(float(edges[b + 1]), 2),
                "confidence": round(conf, 4),
                "accuracy": round(acc, 4),
                "count": int(inside.sum()),
            }
        )
    return {"ece": round(float(ece), 4), "bins": rows}


def _floor(value: float) -> float:
    """Round a threshold down, so the example it was read from still passes it."""
    return float(np.floor(value * 1e6) / 1e6)


def _rounded(point: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) and k != "min_confidence" else v for k, v in point.items()}
