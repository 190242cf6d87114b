"""What the templates and charts need from bands, histograms and sortable columns (no database access)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from salic_ml.modelling.scoring import BAND_LABELS
from salic_ml.models import Segment
from salic_ml.selectors import public_url

# The list's comparison toggle: ?perfil=salic2019 adds the salic-ml 2019 score beside ours.
PROFILE_PARAM = "perfil"
PROFILE_LEGACY = "salic2019"

BAND_CSS = {"normal": "band-normal", "complexo": "band-complexo", "muito_complexo": "band-muito"}
BAND_COLORS = {"normal": "#2e7d32", "complexo": "#8a5300", "muito_complexo": "#b3261e"}
UFS = "AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC SE SP TO".split()
FILTER_LABELS = {
    "search": "Buscar",
    "area": "Área",
    "segment": "Segmento",
    "uf": "UF",
    "band": "Faixa",
    "min_complexity": "Complexidade mínima",
    "ordering": "Ordem",
    PROFILE_PARAM: "Perfil de comparação",
}
SORTABLE = (("pronac", "PRONAC", "pronac"), ("name", "Projeto", "name"), ("complexity", "Complexidade", "-complexity"))


def bands(counts: dict[str, int]) -> list[dict[str, Any]]:
    """Every band in display order with its label, CSS class and count."""
    return [
        {"code": code, "label": label, "css": BAND_CSS.get(code, ""), "count": counts.get(code, 0)}
        for code, label in BAND_LABELS.items()
    ]


def with_band(scores: Any) -> list[Any]:
    """The scores as a list, each with the CSS class and pt-BR label of its band for the templates."""
    scores = list(scores)
    for score in scores:
        score.band_css = BAND_CSS.get(score.band, "")
        score.band_label = BAND_LABELS.get(score.band, score.band)
    return scores


def with_links(scores: Any) -> list[Any]:
    """The scores as a list, each with its project's public page (settings.SALIC_PROJECT_URL)."""
    scores = list(scores)
    for score in scores:
        score.public_url = public_url(score.project.pronac)
    return scores


def profile_of(params: QueryDict) -> dict[str, Any]:
    """Whether the list shows the salic-ml 2019 column, and the links that switch it on and off."""
    return {"legacy": params.get(PROFILE_PARAM) == PROFILE_LEGACY, "param": PROFILE_PARAM, "value": PROFILE_LEGACY}


def histogram_rows(chart: dict[str, Any]) -> list[tuple[str, int]]:
    return list(zip(chart["labels"], chart["counts"], strict=True))


def histogram_chart(counts: list[int]) -> dict[str, Any]:
    """Bars centred on each 0.5-wide bin, coloured by the band the bin falls in."""
    labels, centres, colors = [], [], []
    for k in range(len(counts)):
        low, high = k / 2, (k + 1) / 2
        labels.append(f"{low:.1f} a {high:.1f}".replace(".", ","))
        centres.append(low + 0.25)
        colors.append(BAND_COLORS["muito_complexo" if low >= 6 else "complexo" if low >= 3 else "normal"])
    return {"labels": labels, "x": centres, "counts": counts, "colors": colors}


def sort_columns(ordering: str) -> dict[str, dict[str, str]]:
    """Per sortable column: the ordering its header link sets and its aria-sort state."""
    current = ordering or "-complexity"
    columns = {}
    for key, label, first in SORTABLE:
        if current == key:
            columns[key] = {"label": label, "next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            columns[key] = {"label": label, "next": key, "aria": "descending"}
        else:
            columns[key] = {"label": label, "next": first, "aria": ""}
    return columns


def filter_options(params: QueryDict, segments: list[Segment]) -> dict[str, Any]:
    """The filter form's current values and choices, same names as the API's parameters.

    Rendered by hand in the template: Django's widget templates cost more than the whole page's
    SQL once a select has a hundred segments.
    """
    areas: dict[str, str] = {}
    grouped: dict[str, list[tuple[str, str]]] = {}
    for segment in segments:
        areas[segment.area.code] = str(segment.area)
        grouped.setdefault(str(segment.area), []).append((segment.code, str(segment)))
    return {
        "search": params.get("search", ""),
        "area": params.get("area", ""),
        "segment": params.get("segment", ""),
        "uf": params.get("uf", "").upper(),
        "band": params.get("band", ""),
        "min_complexity": params.get("min_complexity", ""),
        "ordering": params.get("ordering", ""),
        "profile": params.get(PROFILE_PARAM, ""),
        "areas": list(areas.items()),
        "segment_groups": list(grouped.items()),
        "ufs": UFS,
        "bands": list(BAND_LABELS.items()),
    }
