"""Reads behind the dashboards. Each function is one SQL query (or none), so pages stay bounded.

Everything reads the scores of one model version (normally the production one, see
`salic_ml.selectors.production_model`); heavy JSON is extracted in the database with key
transforms instead of loading every project's indicators and evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from math import ceil
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Ceil
from django.http import QueryDict

from model_store.models import ModelVersion, Promotion
from salic_ml.filters import ProjectScoreFilter
from salic_ml.models import BudgetLine, EvaluatorFeedback, Project, ProjectScore, Receipt, Segment, Supplier
from salic_ml.scoring import BAND_LABELS, band_of
from salic_ml.selectors import scores_ranked

BAND_ORDER = ("normal", "complexo", "muito_complexo")
HISTOGRAM_BINS = 20  # 0.5 wide over 0–10
OTHER_PROJECTS_LIMIT = 50
SEGMENT_TOP = 20

# Indicators whose expected range comes from the project's segment (robust z-score), with the
# scale their distribution is best read on: money and counts are log-normal-ish, shares are not.
SEGMENT_COMPARED: dict[str, bool] = {
    "items_count": True,
    "approved_total": True,
    "receipts_count": True,
    "common_items": False,
    "new_suppliers": False,
}

EXPORT_COLUMNS = (
    ("project__pronac", "pronac"),
    ("project__name", "nome"),
    ("project__area__code", "area"),
    ("project__area__name", "area_nome"),
    ("project__segment__code", "segmento"),
    ("project__segment__name", "segmento_nome"),
    ("project__uf", "uf"),
    ("project__proponent__proponent_id", "proponente"),
    ("project__proponent__name", "proponente_nome"),
    ("complexity", "complexidade"),
    ("band", "faixa"),
)


def histogram_bin(complexity: float) -> int:
    """Bins are right-closed, (k/2, (k+1)/2], so they line up with the bands (> 3, > 6); 0 goes to bin 0."""
    return min(max(ceil(complexity * 2) - 1, 0), HISTOGRAM_BINS - 1)


# --- ranked list ------------------------------------------------------------------------------


@dataclass
class Listing:
    filterset: ProjectScoreFilter
    rows: QuerySet[ProjectScore]  # filtered and ordered, not evaluated
    band_counts: dict[str, int]  # every filter except the band
    histogram: list[int]  # counts per bin for every filter, band included
    total: int
    band: str = ""


def _filtered(version: ModelVersion, params: QueryDict) -> ProjectScoreFilter:
    return ProjectScoreFilter(params, queryset=scores_ranked(version))


def project_listing(*, version: ModelVersion, params: QueryDict) -> Listing:
    """The filtered, ordered scores plus band counts, histogram and total from one grouped query.

    Band counts ignore the band filter so the evaluator sees what each band would give; the
    histogram and total follow every filter. The total doubles as the paginator's count.
    """
    filterset = _filtered(version, params)
    rows = filterset.qs  # validates the form; invalid values are ignored
    band = filterset.form.cleaned_data.get("band") or ""
    # Keep a deterministic order for pagination whatever column the user sorts by.
    rows = rows.order_by(*rows.query.order_by, "project__pronac").defer("indicators")

    without_band = params.copy()
    without_band.pop("band", None)
    grouped = (
        _filtered(version, without_band)
        .qs.order_by()
        .annotate(bin=Ceil(F("complexity") * 2))
        .values_list("band", "bin")
        .annotate(n=Count("id"))
    )
    band_counts = dict.fromkeys(BAND_ORDER, 0)
    histogram = [0] * HISTOGRAM_BINS
    total = 0
    for row_band, ceil_bin, n in grouped:
        band_counts[row_band] = band_counts.get(row_band, 0) + n
        if band and row_band != band:
            continue
        total += n
        histogram[min(max(int(ceil_bin) - 1, 0), HISTOGRAM_BINS - 1)] += n
    return Listing(filterset, rows, band_counts, histogram, total, band)


def filter_choices() -> list[Segment]:
    """Every segment with its area (one query); the filter form derives the area list from it."""
    return list(Segment.objects.select_related("area").order_by("area__code", "code"))


def export_rows(rows: QuerySet[ProjectScore]) -> Iterator[tuple[Any, ...]]:
    """The listing's rows as plain tuples (EXPORT_COLUMNS order), fetched in chunks."""
    return rows.values_list(*(path for path, _ in EXPORT_COLUMNS)).iterator(chunk_size=2000)


# --- project diagnosis -------------------------------------------------------------------------


def segment_indicator_values(
    *, version: ModelVersion, segment_id: int, names: Iterable[str]
) -> dict[str, list[float]]:
    """Valid values of each named indicator over the segment's projects, in one query."""
    names = list(names)
    if not names:
        return {}
    paths = [p for name in names for p in (f"indicators__{name}__value", f"indicators__{name}__valid")]
    rows = ProjectScore.objects.filter(model_version=version, project__segment_id=segment_id).values_list(*paths)
    values: dict[str, list[float]] = {name: [] for name in names}
    for row in rows:
        for i, name in enumerate(names):
            value, valid = row[2 * i], row[2 * i + 1]
            if valid and isinstance(value, (int, float)):
                values[name].append(float(value))
    return values


@dataclass
class EvidenceLookups:
    lines: dict[int, dict[str, Any]] = field(default_factory=dict)  # line_id → item_name, unit, stage
    suppliers: dict[int, dict[str, str]] = field(default_factory=dict)  # Supplier pk → supplier_id, name
    receipts: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # receipt_id → allocations


def evidence_lookups(*, project_id: int, indicators: dict[str, dict]) -> EvidenceLookups:
    """Names behind the ids in the evidence rows: at most one query per kind of id, none if absent."""
    line_ids: set[int] = set()
    supplier_ids: set[int] = set()
    receipt_ids: set[int] = set()
    for row in indicators.values():
        for item in row.get("evidence") or []:
            if isinstance(item.get("line_id"), int):
                line_ids.add(item["line_id"])
            if isinstance(item.get("supplier"), int):
                supplier_ids.add(item["supplier"])
            if isinstance(item.get("receipt_id"), int):
                receipt_ids.add(item["receipt_id"])
    found = EvidenceLookups()
    if line_ids:
        for line_id, item_name, unit, stage in BudgetLine.objects.filter(line_id__in=line_ids).values_list(
            "line_id", "item_name", "unit", "stage"
        ):
            found.lines[line_id] = {"item_name": item_name, "unit": unit, "stage": stage}
    if supplier_ids:
        for pk, supplier_id, name in Supplier.objects.filter(pk__in=supplier_ids).values_list(
            "pk", "supplier_id", "name"
        ):
            found.suppliers[pk] = {"supplier_id": supplier_id, "name": name}
    if receipt_ids:
        allocations = (
            Receipt.objects.filter(project_id=project_id, receipt_id__in=receipt_ids)
            .order_by("receipt_id", "line__line_id")
            .values_list("receipt_id", "line__line_id", "line__item_name", "amount", "supplier__supplier_id")
        )
        for receipt_id, line_id, item_name, amount, supplier in allocations:
            found.receipts.setdefault(receipt_id, []).append(
                {"line_id": line_id, "item_name": item_name, "amount": amount, "supplier": supplier}
            )
    return found


def proponent_other_scores(*, version: ModelVersion, project: Project) -> tuple[list[ProjectScore], bool]:
    """The proponent's other projects under the same version, most complex first; and whether more exist."""
    rows = list(
        ProjectScore.objects.filter(model_version=version, project__proponent_id=project.proponent_id)
        .exclude(project_id=project.pk)
        .select_related("project", "project__segment")
        .defer("indicators")
        .order_by("-complexity", "project__pronac")[: OTHER_PROJECTS_LIMIT + 1]
    )
    return rows[:OTHER_PROJECTS_LIMIT], len(rows) > OTHER_PROJECTS_LIMIT


@dataclass
class PreviousScore:
    version: int | None  # the previous production version's number; None when there is none
    complexity: float | None = None  # None when the project had no score under it
    band: str = ""
    indicators: dict[str, dict] = field(default_factory=dict)


def previous_score(*, version: ModelVersion, project: Project) -> PreviousScore:
    """This project under the version that served before `version` (as model_rollback defines it)."""
    promoted = (
        Promotion.objects.filter(name=version.name, to_version=version)
        .order_by("-created_at", "-id")
        .values_list("from_version_id", "from_version__version")
        .first()
    )
    if promoted is None or promoted[0] is None:
        return PreviousScore(version=None)
    previous_id, previous_number = promoted
    row = (
        ProjectScore.objects.filter(model_version_id=previous_id, project=project)
        .values_list("complexity", "band", "indicators")
        .first()
    )
    if row is None:
        return PreviousScore(version=previous_number)
    return PreviousScore(version=previous_number, complexity=row[0], band=row[1], indicators=row[2] or {})


def feedback_of(*, user: Any, project: Project, version: ModelVersion) -> EvaluatorFeedback | None:
    return EvaluatorFeedback.objects.filter(user=user, project=project, model_version=version).first()


# --- segment -------------------------------------------------------------------------------------


@dataclass
class SegmentIndicatorStats:
    name: str
    valid: int
    outliers: int
    values: list[float]


@dataclass
class SegmentDistribution:
    complexities: list[float]
    indicators: dict[str, SegmentIndicatorStats]

    @property
    def band_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(BAND_ORDER, 0)
        for c in self.complexities:
            counts[band_of(c)] += 1
        return counts

    @property
    def histogram(self) -> list[int]:
        bins = [0] * HISTOGRAM_BINS
        for c in self.complexities:
            bins[histogram_bin(c)] += 1
        return bins


def segment_distribution(*, version: ModelVersion, segment: Segment, names: Iterable[str]) -> SegmentDistribution:
    """Complexity and, per indicator, value/outlier/valid of every project in the segment (one query)."""
    names = list(names)
    paths = ["complexity"]
    for name in names:
        paths += [f"indicators__{name}__value", f"indicators__{name}__is_outlier", f"indicators__{name}__valid"]
    stats = {name: SegmentIndicatorStats(name, 0, 0, []) for name in names}
    complexities: list[float] = []
    for row in ProjectScore.objects.filter(model_version=version, project__segment=segment).values_list(*paths):
        complexities.append(row[0])
        for i, name in enumerate(names):
            value, outlier, valid = row[1 + 3 * i : 4 + 3 * i]
            if not valid:
                continue
            s = stats[name]
            s.valid += 1
            s.outliers += bool(outlier)
            if isinstance(value, (int, float)):
                s.values.append(float(value))
    return SegmentDistribution(complexities, stats)


def segment_top_scores(*, version: ModelVersion, segment: Segment) -> list[ProjectScore]:
    return list(
        ProjectScore.objects.filter(model_version=version, project__segment=segment)
        .select_related("project", "project__proponent")
        .defer("indicators")
        .order_by("-complexity", "project__pronac")[:SEGMENT_TOP]
    )


def band_label(code: str) -> str:
    return BAND_LABELS.get(code, code)
