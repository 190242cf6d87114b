"""Turn one project's stored indicator rows into what the diagnosis page shows (no database access).

Inputs are the ProjectScore.indicators JSON, the segment's values per indicator and the names
looked up for the ids in the evidence (see selectors); outputs are plain dataclasses with pt-BR text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from salic_ml.modelling.analysis.robust import MIN_SEGMENT_PROJECTS
from salic_ml.modelling.indicators import REGISTRY

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
            evidence=evidence_table(name, row.get("evidence") or [], lookups),
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


def _item(lookups: EvidenceLookups, item: dict) -> Cell:
    found = lookups.lines.get(item.get("line_id"))
    return Cell(found["item_name"] if found else f"item {item.get('item_id', '?')}")


def _line(item: dict) -> Cell:
    return Cell(str(item.get("line_id", fmt.MISSING)))


def _money(key: str) -> Callable[[EvidenceLookups, dict], Cell]:
    return lambda _lookups, item: Cell(fmt.money(item.get(key)), numeric=True)


def _ratio(key: str) -> Callable[[EvidenceLookups, dict], Cell]:
    return lambda _lookups, item: Cell(fmt.ratio(item.get(key)), numeric=True)


def _supplier(lookups: EvidenceLookups, item: dict) -> Cell:
    found = lookups.suppliers.get(item.get("supplier"))
    if not found:
        return Cell(f"fornecedor #{item.get('supplier')}")
    return Cell(f"{found['supplier_id']} – {found['name']}" if found["name"] else found["supplier_id"])


def _allocations(lookups: EvidenceLookups, item: dict) -> Cell:
    parts = [
        f"linha {a['line_id']} ({a['item_name']}): {fmt.money(a['amount'])}"
        for a in lookups.receipts.get(item.get("receipt_id"), [])
    ]
    return Cell("; ".join(parts) or fmt.MISSING)


def _receipt_supplier(lookups: EvidenceLookups, item: dict) -> Cell:
    suppliers = sorted({a["supplier"] for a in lookups.receipts.get(item.get("receipt_id"), [])})
    return Cell(", ".join(suppliers) or fmt.MISSING)


Column = tuple[str, bool, Callable[[EvidenceLookups, dict], Cell]]

LINE: Column = ("Linha", False, lambda _lookups, item: _line(item))
ITEM: Column = ("Item", False, _item)
SHARED_RECEIPTS: tuple[str, list[Column]] = (
    "Comprovantes rateados entre linhas",
    [
        ("Comprovante", False, lambda _lookups, item: Cell(str(item.get("receipt_id")))),
        ("Linhas", True, lambda _lookups, item: Cell(fmt.num(item.get("lines")), numeric=True)),
        ("Rateio (linha, item e valor)", False, _allocations),
        ("Fornecedor (CPF/CNPJ)", False, _receipt_supplier),
    ],
)

EVIDENCE_COLUMNS: dict[str, tuple[str, list[Column]]] = {
    "item_prices": (
        "Linhas com preço unitário acima do padrão do item no segmento",
        [
            LINE,
            ITEM,
            ("Preço unitário aprovado", True, _money("unit_price")),
            ("Mediana do item no segmento", True, _money("median_price")),
            ("Vezes a mediana", True, _ratio("ratio")),
            ("Total da linha", True, _money("total")),
        ],
    ),
    "receipts_over_approved": (
        "Linhas com comprovantes acima de 150% do aprovado",
        [
            LINE,
            ITEM,
            ("Total aprovado", True, _money("total")),
            ("Comprovado", True, _money("paid")),
            ("Comprovado ÷ aprovado", True, _ratio("ratio")),
        ],
    ),
    "common_items": (
        "Linhas com itens pouco usados no segmento",
        [LINE, ITEM, ("Total da linha", True, _money("total"))],
    ),
    "new_suppliers": ("Fornecedores que não aparecem em outros projetos", [("Fornecedor", False, _supplier)]),
    "funds_to_verify": (
        "Captado e comprovado",
        [
            ("Captado", True, _money("raised")),
            ("Comprovado", True, _money("verified")),
            ("A comprovar", True, _money("gap")),
        ],
    ),
    "shared_receipts_transfer": SHARED_RECEIPTS,
    "shared_receipts_cash": SHARED_RECEIPTS,
    "shared_receipts_cheque": SHARED_RECEIPTS,
}
# proponent_history's evidence is the proponent's other projects, shown in their own section.
NO_TABLE = {"proponent_history"}


def evidence_table(name: str, evidence: list[dict], lookups: EvidenceLookups) -> EvidenceTable | None:
    if not evidence or name in NO_TABLE:
        return None
    caption, columns = EVIDENCE_COLUMNS.get(name) or _generic_columns(evidence)
    return EvidenceTable(
        caption=caption,
        headers=[Cell(label, numeric) for label, numeric, _ in columns],
        rows=[[render(lookups, item) for _, _, render in columns] for item in evidence],
    )


def _generic_columns(evidence: list[dict]) -> tuple[str, list[Column]]:
    """A new indicator's evidence before anyone wrote columns for it: its keys as they are."""
    keys = list(dict.fromkeys(k for item in evidence for k in item))

    def column(key: str) -> Column:
        return (key, False, lambda _lookups, item: Cell(_plain(item.get(key)), numeric=fmt.is_number(item.get(key))))

    return "Evidências", [column(k) for k in keys]


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
