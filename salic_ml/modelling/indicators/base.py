"""The indicator contract and registry.

An indicator is one small module: a class with `name`, `weight`, pt-BR texts, and
`compute(frames, fitted) -> (Result, fitted)`, registered with `@indicator`. Storage, scoring, API
and dashboards iterate the registry, so nothing else changes when one is added.

Contract of compute(): `fitted` is None when training (learn the tables from these frames and
return them) or the tables of the model being served (reuse them). The Result frame is indexed by
project id with columns value, expected_min, expected_max, is_outlier, valid; `evidence` maps a
project id to the rows that explain it, for outlying projects only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from salic_ml.modelling.analysis import robust
from salic_ml.modelling.analysis.frames import Frames

RESULT_COLUMNS = ["value", "expected_min", "expected_max", "is_outlier", "valid"]
MAX_EVIDENCE_ROWS = 25


@dataclass
class Result:
    table: pd.DataFrame  # index project id, RESULT_COLUMNS
    evidence: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


class Indicator:
    name: ClassVar[str]
    weight: ClassVar[float]
    title: ClassVar[str]  # pt-BR, short
    description: ClassVar[str]  # pt-BR, what it measures and when it is unusual
    unit: ClassVar[str] = ""
    # Stage 1 indicators read only the data; later stages read earlier results (see scoring).
    stage: ClassVar[int] = 1

    def compute(
        self, frames: Frames, fitted: dict | None, *, earlier: pd.DataFrame | None = None
    ) -> tuple[Result, dict]:
        raise NotImplementedError

    def sentence(self, row: dict[str, Any]) -> str:
        """A plain pt-BR sentence saying why this value is or is not unusual."""
        if not row.get("valid"):
            return "Sem dados suficientes para calcular este indicador."
        value = _fmt(row.get("value"))
        low, high = _fmt(row.get("expected_min")), _fmt(row.get("expected_max"))
        if row.get("is_outlier"):
            return f"Incomum: {value} está fora da faixa esperada para projetos do mesmo segmento ({low} a {high})."
        return f"Dentro do esperado: {value} está na faixa típica do segmento ({low} a {high})."


REGISTRY: dict[str, Indicator] = {}


def indicator(cls: type[Indicator]) -> type[Indicator]:
    """Class decorator: register one instance under its name (names are unique)."""
    if cls.name in REGISTRY:
        raise ValueError(f"indicator {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls()
    return cls


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{int(value):,}".replace(",", ".")


def empty_result(index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(
        {"value": np.nan, "expected_min": np.nan, "expected_max": np.nan, "is_outlier": False, "valid": False},
        index=index,
    )


def segment_outliers(
    values: pd.Series,
    frames: Frames,
    fitted: dict | None,
    *,
    log: bool,
    tail: str = "upper",
    scaled: pd.Series | None = None,
    unscale=None,
) -> tuple[pd.DataFrame, dict]:
    """Compare each project's value with its segment (or area) by modified z-score.

    `values` is indexed by project id; NaN means not computable (valid = False). By default the
    comparison is on log1p (money, counts) or the raw value; `scaled`/`unscale` supply another
    scale (e.g. logit for shares) and its inverse for the expected range.
    """
    projects = frames.projects
    values = values.reindex(projects.index)
    scaled = (np.log1p(values) if log else values) if scaled is None else scaled.reindex(projects.index)
    if fitted is None:
        fitted = robust.segment_area_tables(scaled, projects["segment"], projects["area"])
    ref = robust.lookup(fitted, projects["segment"], projects["area"])
    z = robust.modified_z(scaled, ref["median"], ref["spread"])
    low, high = robust.bounds(ref["median"], ref["spread"], log=log)
    if unscale is not None:
        low, high = (
            unscale(ref["median"] - robust.Z_LIMIT * ref["spread"]),
            unscale(ref["median"] + robust.Z_LIMIT * ref["spread"]),
        )
    valid = values.notna() & ref["median"].notna()
    outlier = (z > robust.Z_LIMIT) if tail == "upper" else (z < -robust.Z_LIMIT)
    table = pd.DataFrame(
        {
            "value": values,
            "expected_min": low.where(valid),
            "expected_max": high.where(valid),
            "is_outlier": (outlier & valid).astype(bool),
            "valid": valid.astype(bool),
        }
    )
    return table, fitted


def smoothed_logit(successes: pd.Series, totals: pd.Series) -> pd.Series:
    """log-odds of (k + ½)/(n + 1): shares compared on this scale have tails, and a share backed by
    many lines or suppliers weighs more than the same share from two."""
    p = (successes + 0.5) / (totals + 1)
    return np.log(p / (1 - p))


def expit(x):
    return (1 / (1 + np.exp(-x))).clip(0, 1)


def evidence_rows(frame: pd.DataFrame, projects: pd.Index, columns: list[str]) -> dict[int, list[dict]]:
    """The first rows per project (already sorted by importance) as plain dicts, for outliers only."""
    frame = frame[frame["project"].isin(projects)]
    frame = frame.groupby("project", sort=False).head(MAX_EVIDENCE_ROWS)
    out: dict[int, list[dict]] = {}
    for project, record in zip(frame["project"].to_numpy(), frame[columns].to_dict("records"), strict=True):
        out.setdefault(int(project), []).append(record)
    return out
