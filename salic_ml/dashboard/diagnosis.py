"""Turn one project's stored indicator rows into what the diagnosis page shows (no database access).

Inputs are the ProjectScore.indicators JSON, the segment's values per indicator and the names
looked up for the ids in the evidence (see selectors); outputs are plain dataclasses with pt-BR text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from salic_ml.modelling.analysis.robust import MIN_SEGMENT_PROJECTS
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.indicators.base import EvidenceColumn

from . import formatting as fmt
from .selectors import EvidenceLookups, PreviousScore, SegmentDistribution, band_label
from .stats import Summary


@dataclass
class Cell:
    text: str
    numeric: bool = False


@dataclass
class EvidenceTable:
    caption: str
    headers: list[Cell]
    rows: list[list[Cell]]
    link: str = ""  # the project's public page, linked from every row


@dataclass
class IndicatorCard:
    name: str
    title: str
    description: str
    weight: float
    valid: bool
    is_outlier: bool
    value_text: str
    range_text: str
    sentence: str
    distribution: dict[str, Any] | None = None  # chart data; None when not segment-compared
    distribution_text: str = ""
    evidence: EvidenceTable | None = None
    explanation: str = ""  # how "unusual" is decided, for an evaluator without statistics
    population_note: str = ""  # a fit kept from a full training (see population_fit_version)

    @property
    def status(self) -> str:
        if not self.valid:
            return "sem dados"
        return "incomum" if self.is_outlier else "dentro do esperado"

    @property
    def status_class(self) -> str:
        if not self.valid:
            return "status-na"
        return "status-outlier" if self.is_outlier else "status-ok"


@dataclass
class Change:
    previous_version: int | None
    had_score: bool = False
    before: float | None = None
    before_band: str = ""
    became_unusual: list[str] = field(default_factory=list)  # indicator titles
    became_usual: list[str] = field(default_factory=list)


def ordered_names(indicators: dict[str, dict]) -> list[str]:
    """Registry indicators by weight (this version's weights), heaviest first; unknown names last."""
    known = [name for name in REGISTRY if name in indicators]
    known.sort(key=lambda name: -float(indicators[name].get("weight", REGISTRY[name].weight)))
    return known + sorted(name for name in indicators if name not in REGISTRY)


def indicator_cards(
    indicators: dict[str, dict],
    *,
    segment: dict[str, Summary],
    segment_compared: Iterable[str],
    lookups: EvidenceLookups,
    fit_version: int | None = None,
    link: str = "",
) -> list[IndicatorCard]:
    """One card per indicator, heaviest first; segment-compared ones get their segment's distribution."""
    compared = set(segment_compared)
    cards = []
    for name in ordered_names(indicators):
        row = indicators[name]
        ind = REGISTRY.get(name)
        unit = ind.unit if ind else ""
        card = IndicatorCard(
            name=name,
            title=ind.title if ind else name,
            description=ind.description if ind else "",
            weight=float(row.get("weight", ind.weight if ind else 0)),
            valid=bool(row.get("valid")),
            is_outlier=bool(row.get("is_outlier")),
            value_text=fmt.by_unit(row.get("value"), unit) if row.get("valid") else fmt.MISSING,
            range_text=fmt.expected_range(row.get("expected_min"), row.get("expected_max"), unit)
            if row.get("valid")
            else fmt.MISSING,
            sentence=ind.sentence(row) if ind else "",
            evidence=evidence_table(name, row.get("evidence") or [], lookups, link),
            explanation=ind.explanation() if ind else "",
        )
        if ind is not None and ind.level == "population" and fit_version is not None:
            card.population_note = (
                f"Ajuste feito no treino completo v{fit_version}. Recálculos incrementais depois de importações "
                "reaproveitam esse ajuste; um novo treino completo pode dar valores um pouco diferentes."
            )
        if name in compared:
            card.distribution, card.distribution_text = distribution(name, row, segment.get(name), unit=unit)
        cards.append(card)
    return cards


def distribution(name: str, row: dict, summary: Summary | None, *, unit: str) -> tuple[dict[str, Any] | None, str]:
    """Chart data for the segment's box plot with this project marked, and a one-line summary."""
    if summary is None:
        return None, "Poucos projetos do segmento têm este indicador; não há distribuição para mostrar."
    value = row.get("value") if fmt.is_number(row.get("value")) else None
    chart = {
        "id": f"dist-{name}",
        # A log axis cannot show zero or less.
        "log": summary.log and (value is None or value > 0),
        "share": unit == "proporção",
        "money": unit == "R$",
        "n": summary.n,
        "q1": summary.q1,
        "median": summary.median,
        "q3": summary.q3,
        "lower": summary.lower,
        "upper": summary.upper,
        "min": summary.min,
        "max": summary.max,
        "value": value,
        "expected_min": row.get("expected_min") if fmt.is_number(row.get("expected_min")) else None,
        "expected_max": row.get("expected_max") if fmt.is_number(row.get("expected_max")) else None,
    }
    text = f"Mediana do segmento: {fmt.by_unit(summary.median, unit)} ({fmt.num(summary.n)} projetos)."
    if value is not None:
        text += f" Este projeto fica acima de {fmt.percent(summary.share_below(value))} deles."
    if summary.n < MIN_SEGMENT_PROJECTS:
        text += f" Segmento com menos de {MIN_SEGMENT_PROJECTS} projetos: a faixa esperada vem da área."
    return chart, text


# --- evidence tables ---------------------------------------------------------------------------------


def _item(lookups: EvidenceLookups, line_id: Any, item: dict) -> Cell:
    found = lookups.lines.get(line_id)
    return Cell(found["item_name"] if found else f"item {item.get('item_id', '?')}")


def _supplier(lookups: EvidenceLookups, supplier: Any) -> Cell:
    found = lookups.suppliers.get(supplier)
    if not found:
        return Cell(f"fornecedor #{supplier}")
    return Cell(f"{found['supplier_id']} – {found['name']}" if found["name"] else found["supplier_id"])


def _allocations(lookups: EvidenceLookups, receipt: Any) -> Cell:
    parts = [
        f"linha {a['line_id']} ({a['item_name']}): {fmt.money(a['amount'])}" for a in lookups.receipts.get(receipt, [])
    ]
    return Cell("; ".join(parts) or fmt.MISSING)


def _receipt_suppliers(lookups: EvidenceLookups, receipt: Any) -> Cell:
    suppliers = sorted({a["supplier"] for a in lookups.receipts.get(receipt, [])})
    return Cell(", ".join(suppliers) or fmt.MISSING)


def evidence_cell(column: EvidenceColumn, item: dict, lookups: EvidenceLookups) -> Cell:
    """One evidence value as the indicator declared it should read."""
    value = item.get(column.key)
    match column.kind:
        case "money":
            return Cell(fmt.money(value), numeric=True)
        case "ratio":
            return Cell(fmt.ratio(value), numeric=True)
        case "number":
            return Cell(fmt.num(value), numeric=True)
        case "id":
            return Cell(fmt.MISSING if value is None else str(value))
        case "item":
            return _item(lookups, value, item)
        case "supplier":
            return _supplier(lookups, value)
        case "receipt_allocations":
            return _allocations(lookups, value)
        case "receipt_suppliers":
            return _receipt_suppliers(lookups, value)
    return Cell(_plain(value), numeric=fmt.is_number(value))


def evidence_table(name: str, evidence: list[dict], lookups: EvidenceLookups, link: str = "") -> EvidenceTable | None:
    ind = REGISTRY.get(name)
    if not evidence or (ind is not None and not ind.evidence_on_page):
        return None
    columns = ind.evidence_columns if ind is not None and ind.evidence_columns else _generic_columns(evidence)
    return EvidenceTable(
        caption=ind.evidence_caption if ind is not None else "Evidências",
        headers=[Cell(column.label, column.numeric) for column in columns],
        rows=[[evidence_cell(column, item, lookups) for column in columns] for item in evidence],
        link=link,
    )


def _generic_columns(evidence: list[dict]) -> tuple[EvidenceColumn, ...]:
    """Evidence of an indicator that declared no columns: its keys as they are."""
    keys = dict.fromkeys(k for item in evidence for k in item)
    return tuple(EvidenceColumn(key, key) for key in keys)


def _plain(value: Any) -> str:
    return fmt.num(value) if fmt.is_number(value) else ("" if value is None else str(value))


# --- change since the previous production version ---------------------------------------------------


def change_since(previous: PreviousScore, indicators: dict[str, dict]) -> Change:
    change = Change(previous_version=previous.version)
    if previous.version is None or previous.complexity is None:
        return change
    change.had_score = True
    change.before = previous.complexity
    change.before_band = band_label(previous.band)
    for name in ordered_names(indicators):
        before = previous.indicators.get(name)
        if before is None:
            continue
        was, now = bool(before.get("is_outlier")), bool(indicators[name].get("is_outlier"))
        title = REGISTRY[name].title if name in REGISTRY else name
        if now and not was:
            change.became_unusual.append(title)
        elif was and not now:
            change.became_usual.append(title)
    return change


# --- segment page ------------------------------------------------------------------------------------


def segment_indicator_summary(dist: SegmentDistribution) -> list[dict[str, Any]]:
    """Per indicator in registry order: projects with data, share flagged unusual and median (pt-BR text)."""
    rows = []
    for name in sorted(dist.indicators, key=lambda n: list(REGISTRY).index(n) if n in REGISTRY else len(REGISTRY)):
        stats = dist.indicators[name]
        ind = REGISTRY.get(name)
        rows.append(
            {
                "name": name,
                "title": ind.title if ind else name,
                "valid": stats.valid,
                "outliers": stats.outliers,
                "share": fmt.percent(stats.outliers / stats.valid) if stats.valid else fmt.MISSING,
                "median": fmt.by_unit(stats.median, ind.unit if ind else ""),
            }
        )
    return rows


# --- the score as arithmetic ------------------------------------------------------------------------


@dataclass
class ArithmeticRow:
    title: str
    weight: str
    state: str  # "incomum", "dentro do esperado", "sem dados"
    contribution: str  # the weight when unusual, 0 otherwise, "—" without data
    in_denominator: bool
    excess: str = ""  # how far outside the range, for unusual ones


@dataclass
class ScoreArithmetic:
    rows: list[ArithmeticRow]
    numerator: str
    denominator: str
    result: str
    formula: str  # the whole sum in one pt-BR line
    severity_text: str


def _w(value: float) -> str:
    return fmt.num(value, 1)


def score_arithmetic(indicators: dict[str, dict], *, complexity: float, severity: float) -> ScoreArithmetic:
    """Each indicator's weight and contribution, their sum, the denominator and the result, in pt-BR."""
    rows, numerator, denominator = [], 0.0, 0.0
    for name in ordered_names(indicators):
        row = indicators[name]
        ind = REGISTRY.get(name)
        weight = float(row.get("weight", ind.weight if ind else 0))
        valid, outlier = bool(row.get("valid")), bool(row.get("is_outlier"))
        if valid:
            denominator += weight
            numerator += weight if outlier else 0.0
        excess = row.get("excess")
        rows.append(
            ArithmeticRow(
                title=ind.title if ind else name,
                weight=_w(weight),
                state="sem dados" if not valid else ("incomum" if outlier else "dentro do esperado"),
                contribution=fmt.MISSING if not valid else _w(weight if outlier else 0.0),
                in_denominator=valid,
                excess=f"{fmt.num(excess, 2)} × a largura da faixa"
                if valid and outlier and fmt.is_number(excess)
                else "",
            )
        )
    computed = round(10 * numerator / denominator, 1) if denominator else 0.0
    formula = (
        f"10 × {_w(numerator)} ÷ {_w(denominator)} = {fmt.num(computed, 1)}"
        if denominator
        else "Nenhum indicador tem dados: a nota é 0."
    )
    if computed != round(complexity, 1):  # never expected; say so rather than show a wrong sum
        formula += f" (a nota armazenada é {fmt.num(complexity, 1)})"
    severity_text = (
        f"Gravidade {fmt.num(severity, 2)}: soma, para cada indicador incomum, do peso × quanto o valor passou da "
        "faixa esperada. Entre projetos com a mesma nota, o de maior gravidade aparece antes na lista."
        if severity
        else "Gravidade 0: nenhum indicador fora da faixa esperada mediu distância além do limite."
    )
    return ScoreArithmetic(rows, _w(numerator), _w(denominator), fmt.num(computed, 1), formula, severity_text)


@dataclass
class Admissibility:
    title: str
    text: str
    valid: bool
    ok: bool
    value_text: str
    range_text: str


def admissibility_checks(indicators: dict[str, dict]) -> list[Admissibility]:
    """Indicators that also serve as admissibility checks, shown apart from the score."""
    checks = []
    for name in ordered_names(indicators):
        ind = REGISTRY.get(name)
        if ind is None or not ind.admissibility:
            continue
        row = indicators[name]
        checks.append(
            Admissibility(
                title=ind.title,
                text=ind.admissibility,
                valid=bool(row.get("valid")),
                ok=not row.get("is_outlier"),
                value_text=fmt.by_unit(row.get("value"), ind.unit) if row.get("valid") else fmt.MISSING,
                range_text=fmt.expected_range(row.get("expected_min"), row.get("expected_max"), ind.unit)
                if row.get("valid")
                else fmt.MISSING,
            )
        )
    return checks


@dataclass
class LegacyRow:
    metric: str
    title: str
    value: str
    threshold: str
    flagged: bool
    weight: str


def legacy_rows(metrics: dict[str, dict]) -> list[LegacyRow]:
    """The salic-ml 2019 profile's metrics, each with our indicator's title."""
    out = []
    for metric, row in sorted(metrics.items()):
        ind = REGISTRY.get(row.get("indicator", ""))
        out.append(
            LegacyRow(
                metric=metric,
                title=ind.title if ind else metric,
                value=fmt.num(row.get("value")),
                threshold=fmt.num(row.get("threshold")),
                flagged=bool(row.get("is_outlier")),
                weight=_w(float(row.get("weight") or 0)),
            )
        )
    return out
