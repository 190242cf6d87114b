"""The indicator contract and registry.

An indicator is one small module: a class with `name`, `weight`, pt-BR texts, and
`compute(frames, fitted) -> (Result, fitted)`, registered with `@indicator`. It also declares what
the rest of the code needs to know about it — the level its fitted tables are keyed by (and so how
they merge), whether its expected range comes from its segment's distribution, whether it reads the
proponent's other projects, and how its evidence reads on the diagnosis page. Storage, scoring,
incremental rescoring, the fan-out, the API and the dashboards iterate the registry and never name
an indicator, so adding one is adding one module.

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
# How far outside its range one indicator may count towards a project's severity, in range widths:
# one absurd value must not outrank several clearly unusual ones.
MAX_EXCESS = 5.0

# What an indicator's fitted tables are keyed by, which decides how two fits merge:
#   "segment": {"segment": frame by segment id, "area": frame by area id} (see segment_outliers);
#   "segment_item": the same with "segment:item" / "area:item" keys;
#   "population": learned from every project at once; a partial refit keeps the production fit;
#   "none": nothing is fitted (fixed rules).
LEVELS = ("segment", "segment_item", "population", "none")

# How an evidence value reads on the diagnosis page (the dashboard owns the rendering).
EVIDENCE_KINDS = (
    "text",
    "number",
    "money",
    "ratio",
    "id",  # an identifier, shown as it is
    "item",  # the item name of the row's budget line
    "supplier",  # a supplier id → "CPF/CNPJ – name"
    "receipt_allocations",  # a receipt id → the lines it pays and how much each
    "receipt_suppliers",  # a receipt id → its suppliers
)


@dataclass(frozen=True)
class EvidenceColumn:
    """One column of an indicator's evidence table: pt-BR header, the evidence key, how it reads."""

    label: str
    key: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in EVIDENCE_KINDS:
            raise ValueError(f"unknown evidence kind {self.kind!r}")

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "money", "ratio")


@dataclass(frozen=True)
class Legacy:
    """How the original salic-ml (2019) computed the metric this indicator succeeds.

    `metric` is salic-ml's name, `weight` its weight there (the weights add up to 22), `tail` the
    side of mean ± 1.5σ of the segment that raised the flag, `note` what differs from ours (English,
    for the parity page). The value the rule reads is `Indicator.legacy_values`.
    """

    metric: str
    weight: float
    tail: str = "upper"
    note: str = ""


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
    level: ClassVar[str] = "none"  # one of LEVELS
    # The expected range comes from the segment's distribution: the diagnosis draws it, on a log
    # axis when `log_scale` (money and counts), on a linear one otherwise (shares).
    segment_distribution: ClassVar[bool] = False
    log_scale: ClassVar[bool] = False
    # The value depends on the proponent's other projects, so a change in one project moves it in
    # the proponent's projects of other areas too (incremental rescoring recomputes those).
    proponent_peers: ClassVar[bool] = False
    evidence_caption: ClassVar[str] = "Evidências"
    evidence_columns: ClassVar[tuple[EvidenceColumn, ...]] = ()  # empty: every key as plain text
    evidence_on_page: ClassVar[bool] = True  # False: the page shows this evidence in a section of its own
    # Plain pt-BR words for an evaluator without statistics: how the expected range is found.
    # Empty: the default words for segment-compared indicators (see `explanation`), or none.
    plain_words: ClassVar[str] = ""
    # Non-empty (pt-BR): the diagnosis also shows this indicator as an admissibility check of its
    # own, apart from the score (salic-ml showed "itens comuns" that way).
    admissibility: ClassVar[str] = ""
    # The salic-ml (2019) metric this indicator succeeds, for the "salic-ml 2019" profile; None: no counterpart.
    legacy: ClassVar[Legacy | None] = None

    def compute(
        self, frames: Frames, fitted: dict | None, *, earlier: pd.DataFrame | None = None
    ) -> tuple[Result, dict]:
        raise NotImplementedError

    def merge_fitted(self, old: Any, new: Any, *, segments: set[int], areas: set[int]) -> Any:
        """`old`'s fitted tables with the rows of these segments and areas taken from `new`.

        Used by incremental rescoring (production tables + the refitted areas) and by the fan-out
        (one area's tables at a time). The default follows `level`.
        """
        if self.level == "population":
            return old
        if self.level == "none":
            return {}
        if old is None:
            return new
        if self.level == "segment":
            return swap_levels(old, new, segments=segments, areas=areas)
        if self.level == "segment_item":
            return swap_levels(old, new, segments=segments, areas=areas, prefixed=True)
        raise ValueError(f"indicator {self.name!r} has unknown level {self.level!r}")

    def excess(self, table: pd.DataFrame) -> pd.Series:
        """How far outside its expected range each outlying project is, in widths of that range
        (0 inside it; at most MAX_EXCESS). Money and counts are measured on the log scale they are
        compared on. Where the range has no width (e.g. "0 to 0") the distance is in the value's
        own units; where one side is open, in units of the other bound."""
        value = table["value"].astype(float)
        low, high = table["expected_min"].astype(float), table["expected_max"].astype(float)
        if self.log_scale:
            value, low, high = (np.log1p(s.clip(lower=0)) for s in (value, low, high))
        width = high - low
        width = width.where(np.isfinite(width) & (width > 0), high.abs().where(np.isfinite(high) & (high > 0), 1.0))
        with np.errstate(invalid="ignore"):
            beyond = np.fmax(value - high, low - value).clip(lower=0) / width
        flagged = table["is_outlier"].astype(bool) & table["valid"].astype(bool)
        return beyond.where(flagged, 0.0).fillna(0.0).clip(upper=MAX_EXCESS)

    def explanation(self) -> str:
        """pt-BR words for an evaluator without statistics: how "unusual" is decided here."""
        if self.plain_words:
            return self.plain_words
        if self.segment_distribution:
            return (
                "Comparamos este projeto com os projetos do mesmo segmento (ou da área, quando o segmento tem "
                "menos de 20 projetos). A faixa esperada vai do típico do segmento até uma distância que "
                "quase nenhum projeto parecido ultrapassa; só é incomum o que fica "
                "fora dela. Um único valor extremo no segmento não desloca essa faixa."
            )
        return ""

    def legacy_values(self, frames: Frames, table: pd.DataFrame, *, peers: pd.DataFrame) -> pd.Series:
        """The value salic-ml (2019) compared with mean + 1.5σ of the segment; by default ours.

        `peers` holds every known project's proponent (index project id), for counts that span areas.
        """
        return table["value"].where(table["valid"].astype(bool))

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
    if cls.level not in LEVELS:
        raise ValueError(f"indicator {cls.name!r}: level must be one of {LEVELS}")
    REGISTRY[cls.name] = cls()
    return cls


def swap_levels(
    old: dict[str, pd.DataFrame],
    new: dict[str, pd.DataFrame],
    *,
    segments: set[int],
    areas: set[int],
    prefixed: bool = False,
) -> dict[str, pd.DataFrame]:
    """Per level ("segment", "area"): old rows of other segments/areas + every row of `new`.

    Keys are ids, or "id:item" strings when `prefixed`.
    """
    out = {}
    for level, wanted in (("segment", segments), ("area", areas)):
        index = old[level].index
        if prefixed:
            prefixes = {str(w) for w in wanted}
            drop = [str(k).split(":", 1)[0] in prefixes for k in index]
        else:
            drop = index.isin(list(wanted))
        out[level] = pd.concat([old[level][~np.asarray(drop, dtype=bool)], new[level]]).sort_index()
    return out


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
