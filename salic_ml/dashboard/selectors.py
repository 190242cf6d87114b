"""Reads behind the dashboards. Each function is one SQL query (or none), so pages stay bounded.

Everything reads the scores of one model version (normally the production one, see
`salic_ml.selectors.production_model`); heavy JSON is extracted in the database with key
transforms instead of loading every project's indicators and evidence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from math import ceil
from typing import Any

import django_filters
import numpy as np
from django.core.cache import cache
from django.db.models import BooleanField, Count, F, Field, FloatField, Func, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Ceil
from django.http import QueryDict

from model_store.models import ModelVersion, Promotion
from salic_ml.filters import ProjectScoreFilter
from salic_ml.modelling.feedback import expected_band
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.scoring import BAND_LABELS, band_of
from salic_ml.models import BudgetLine, EvaluatorFeedback, Project, ProjectScore, Receipt, Segment, Supplier
from salic_ml.selectors import public_url, scores_ranked

from .stats import Summary, summarise

BAND_ORDER = ("normal", "complexo", "muito_complexo")
HISTOGRAM_BINS = 20  # 0.5 wide over 0–10
OTHER_PROJECTS_LIMIT = 50
SEGMENT_TOP = 20

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


STATS_CACHE_SECONDS = 3600


def _cache_key(kind: str, version: ModelVersion, segment_id: int, names: list[str]) -> str:
    digest = hashlib.sha1(",".join(names).encode(), usedforsecurity=False).hexdigest()[:12]
    return f"salic-dashboard:{kind}:v{version.pk}:s{segment_id}:{digest}"


class JsonScalar(Func):
    """A number or boolean at a path inside a JSON column, typed by the database.

    Django's key transforms come back as JSON and are decoded value by value in Python, which is
    most of the time of reading one key over ten thousand rows; and KT + Cast is not portable
    (SQLite hands back JSON null and true as the strings 'null' and 'true').
    """

    def __init__(self, column: str, *path: str, output_field: Field) -> None:
        super().__init__(F(column), output_field=output_field)
        self.path = list(path)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return compiler.compile(Cast(KT("__".join([self.source_expressions[0].name, *self.path])), self.output_field))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        cast = "boolean" if isinstance(self.output_field, BooleanField) else "double precision"
        return f"(({sql}) #>> %s)::{cast}", [*params, self.path]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"JSON_EXTRACT({sql}, %s)", [*params, "$" + "".join(f'."{key}"' for key in self.path)]


def _number(name: str, key: str) -> JsonScalar:
    return JsonScalar("indicators", name, key, output_field=FloatField())


def _flag(name: str, key: str) -> JsonScalar:
    return JsonScalar("indicators", name, key, output_field=BooleanField())


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


class ListFilter(ProjectScoreFilter):
    """The API's filters and parameter names, with UF matched exactly on its upper-cased value.

    Imports store UFs upper-cased; `UPPER(uf) = UPPER(%s)` (iexact) can use no index and the
    planner cannot estimate it, which turned the list's aggregate into 14k nested index scans at 42k
    projects.
    """

    uf = django_filters.CharFilter(method="filter_uf", max_length=2)

    def filter_uf(self, queryset: QuerySet[ProjectScore], name: str, value: str) -> QuerySet[ProjectScore]:
        value = value.strip().upper()
        return queryset.filter(project__uf=value) if value else queryset


def _filtered(version: ModelVersion, params: QueryDict) -> ProjectScoreFilter:
    return ListFilter(params, queryset=scores_ranked(version))


def filtered_scores(*, version: ModelVersion, params: QueryDict) -> tuple[ProjectScoreFilter, QuerySet[ProjectScore]]:
    """The API's filters and ordering applied to the version's scores (no query yet), indicators deferred."""
    filterset = _filtered(version, params)
    rows = filterset.qs  # validates the form; invalid values are ignored
    # Keep a deterministic order for pagination whatever column the user sorts by.
    return filterset, rows.order_by(*rows.query.order_by, "project_id").defer("indicators", "legacy_metrics")


def project_listing(*, version: ModelVersion, params: QueryDict) -> Listing:
    """The filtered, ordered scores plus band counts, histogram and total from one grouped query.

    Band counts ignore the band filter so the evaluator sees what each band would give; the
    histogram and total follow every filter. The total doubles as the paginator's count.
    """
    filterset, rows = filtered_scores(version=version, params=params)
    band = filterset.form.cleaned_data.get("band") or ""

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


def export_header() -> list[str]:
    """EXPORT_COLUMNS, severity and the salic-ml 2019 score, each indicator's value and flag, the public page."""
    header = [name for _, name in EXPORT_COLUMNS] + ["gravidade", "salic_ml_2019"]
    for name in REGISTRY:
        header += [f"{name}_valor", f"{name}_incomum"]
    return [*header, "pagina_publica"]


def export_rows(rows: QuerySet[ProjectScore]) -> Iterator[tuple[Any, ...]]:
    """The listing's rows as plain tuples (export_header order), fetched in chunks.

    Indicator values and flags are extracted in the database, one scalar each: the whole JSON with
    its evidence is never loaded. A flag reads "sim"/"não", empty when the indicator had no data.
    """
    paths: list[Any] = [path for path, _ in EXPORT_COLUMNS] + ["severity", "legacy_complexity"]
    for name in REGISTRY:
        paths += [_number(name, "value"), _flag(name, "is_outlier"), _flag(name, "valid")]
    fixed = len(EXPORT_COLUMNS) + 2
    for row in rows.values_list(*paths).iterator(chunk_size=2000):
        out = list(row[:fixed])
        for i in range(fixed, len(row), 3):
            value, outlier, valid = row[i : i + 3]
            out += [value, "" if not valid else ("sim" if outlier else "não")]
        yield (*out, public_url(row[0]))


# --- project diagnosis -------------------------------------------------------------------------


def diagnosis_score(*, version: ModelVersion, pronac: str) -> ProjectScore | None:
    """The project's score with its indicators, project, area, segment and proponent in one query.

    Not salic_ml.selectors.score_for: that one also joins the model version row, artifact bytes included.
    """
    return (
        ProjectScore.objects.filter(model_version=version, project__pronac=pronac)
        .select_related("project", "project__segment", "project__area", "project__proponent")
        .first()
    )


def segment_value_summaries(*, version: ModelVersion, segment_id: int, names: Iterable[str]) -> dict[str, Summary]:
    """Per named indicator, a summary of its values over the segment's projects (cached per version).

    A version's scores do not change once written, so the summaries are cached; the bound on the
    cache age only guards against a rewrite. A missing value means the indicator was not computable.
    """
    names = sorted(names)
    if not names:
        return {}
    key = _cache_key("values", version, segment_id, names)
    found = cache.get(key)
    if found is None:
        rows = ProjectScore.objects.filter(model_version=version, project__segment_id=segment_id).values_list(
            *(_number(name, "value") for name in names)
        )
        columns = list(zip(*rows, strict=True)) or [()] * len(names)
        found = {}
        for name, column in zip(names, columns, strict=True):
            summary = summarise(list(column), log=name in REGISTRY and REGISTRY[name].log_scale)
            if summary is not None:
                found[name] = summary
        cache.set(key, found, STATS_CACHE_SECONDS)
    return found


@dataclass
class EvidenceLookups:
    lines: dict[int, dict[str, Any]] = field(default_factory=dict)  # line_id → item_name, unit, stage
    suppliers: dict[int, dict[str, str]] = field(default_factory=dict)  # Supplier pk → supplier_id, name
    receipts: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # receipt_id → allocations


def evidence_lookups(*, project_id: int, indicators: dict[str, dict]) -> EvidenceLookups:
    """Names behind the ids in the evidence rows, found through the columns each indicator declared:
    at most one query per kind of id, none if absent."""
    wanted: dict[str, set[int]] = {"item": set(), "supplier": set(), "receipt_allocations": set()}
    for name, row in indicators.items():
        columns = REGISTRY[name].evidence_columns if name in REGISTRY else ()
        for item in row.get("evidence") or []:
            for column in columns:
                kind = "receipt_allocations" if column.kind == "receipt_suppliers" else column.kind
                if kind in wanted and isinstance(item.get(column.key), int):
                    wanted[kind].add(item[column.key])
    line_ids, supplier_ids, receipt_ids = wanted["item"], wanted["supplier"], wanted["receipt_allocations"]
    found = EvidenceLookups()
    if line_ids:
        for line_id, item_name, unit, stage in (
            BudgetLine.objects.filter(line_id__in=line_ids)
            .order_by()
            .values_list("line_id", "item_name", "unit", "stage")
        ):
            found.lines[line_id] = {"item_name": item_name, "unit": unit, "stage": stage}
    if supplier_ids:
        for pk, supplier_id, name in (
            Supplier.objects.filter(pk__in=supplier_ids).order_by().values_list("pk", "supplier_id", "name")
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
        .defer("indicators", "legacy_metrics")
        .order_by("-complexity", "-severity", "project__pronac")[: OTHER_PROJECTS_LIMIT + 1]
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


@dataclass(frozen=True)
class SegmentIndicatorStats:
    name: str
    valid: int  # projects where it could be computed
    outliers: int
    median: float | None


@dataclass(frozen=True)
class SegmentDistribution:
    total: int
    band_counts: dict[str, int]
    histogram: list[int]
    indicators: dict[str, SegmentIndicatorStats]


def segment_distribution(*, version: ModelVersion, segment: Segment, names: Iterable[str]) -> SegmentDistribution:
    """Band counts, complexity histogram and per-indicator counts and median over the segment (cached)."""
    names = sorted(names)
    key = _cache_key("segment", version, segment.pk, names)
    found = cache.get(key)
    if found is not None:
        return found
    paths = ["complexity"]
    for name in names:
        paths += [_number(name, "value"), _flag(name, "is_outlier")]
    rows = list(ProjectScore.objects.filter(model_version=version, project__segment=segment).values_list(*paths))
    band_counts = dict.fromkeys(BAND_ORDER, 0)
    histogram = [0] * HISTOGRAM_BINS
    for row in rows:
        band_counts[band_of(row[0])] = band_counts.get(band_of(row[0]), 0) + 1
        histogram[histogram_bin(row[0])] += 1
    indicators = {}
    for i, name in enumerate(names):
        values = [row[1 + 2 * i] for row in rows if row[1 + 2 * i] is not None]
        outliers = sum(1 for row in rows if row[1 + 2 * i] is not None and row[2 + 2 * i])
        median = float(np.median(values)) if values else None
        indicators[name] = SegmentIndicatorStats(name, len(values), outliers, median)
    found = SegmentDistribution(len(rows), band_counts, histogram, indicators)
    cache.set(key, found, STATS_CACHE_SECONDS)
    return found


def segment_top_scores(*, version: ModelVersion, segment: Segment) -> list[ProjectScore]:
    """The segment's most complex projects (at most SEGMENT_TOP); a project with complexity 0 is not
    "complex", so a small segment lists fewer rather than padding the list with zeros."""
    return list(
        ProjectScore.objects.filter(model_version=version, project__segment=segment, complexity__gt=0)
        .select_related("project", "project__proponent")
        .defer("indicators", "legacy_metrics")
        .order_by("-complexity", "-severity", "project__pronac")[:SEGMENT_TOP]
    )


def band_label(code: str) -> str:
    return BAND_LABELS.get(code, code)


# --- feedback reports (staff) --------------------------------------------------------------------


@dataclass(frozen=True)
class BandAgreement:
    band: str
    ratings: int
    agreeing: int  # ratings that point at this same band (1–2 normal, 3 complexo, 4–5 muito complexo)
    mean_rating: float | None

    @property
    def share(self) -> float | None:
        return self.agreeing / self.ratings if self.ratings else None


def band_agreement() -> list[BandAgreement]:
    """Per band the model gave (under the version each evaluator saw): how many ratings agree with it.

    One query: each feedback row with its project's band under that version.
    """
    band = Subquery(
        ProjectScore.objects.filter(project=OuterRef("project"), model_version=OuterRef("model_version")).values(
            "band"
        )[:1]
    )
    rows = EvaluatorFeedback.objects.annotate(band=band).values_list("band", "rating")
    ratings: dict[str, list[int]] = {code: [] for code in BAND_ORDER}
    for code, rating in rows:
        if code is not None:
            ratings.setdefault(code, []).append(rating)
    return [
        BandAgreement(
            code,
            len(values),
            sum(1 for r in values if expected_band(r) == code),
            round(float(np.mean(values)), 2) if values else None,
        )
        for code, values in ratings.items()
    ]


def flag_matrix(*, version: ModelVersion, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(valid, is_outlier) boolean matrices, projects × `names`, of a version's stored scores (one query)."""
    paths = []
    for name in names:
        paths += [_flag(name, "valid"), _flag(name, "is_outlier")]
    rows = list(ProjectScore.objects.filter(model_version=version).order_by().values_list(*paths))
    if not rows:
        empty = np.zeros((0, len(names)), dtype=bool)
        return empty, empty
    data = np.array([[bool(v) for v in row] for row in rows], dtype=bool)
    return data[:, 0::2], data[:, 1::2]
