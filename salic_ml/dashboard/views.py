"""Dashboard pages: parse the request, call the selectors or the service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.scoring import BAND_LABELS
from salic_ml.models import Segment
from salic_ml.selectors import population_fit_version, production_model, public_url

from . import presentation, selectors, services
from .access import evaluator_required
from .diagnosis import (
    admissibility_checks,
    change_since,
    indicator_cards,
    legacy_rows,
    ordered_names,
    score_arithmetic,
    segment_indicator_summary,
)
from .export import csv_response
from .forms import FeedbackForm

PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator told its count, which the listing already has from its grouped query."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # overrides the cached_property: no COUNT(*) query


def _no_model(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "salic_ml/dashboard/no_model.html", {"title": title})


@require_GET
@evaluator_required
def project_list(request: HttpRequest) -> HttpResponse:
    version = production_model()
    if version is None:
        return _no_model(request, "Projetos por complexidade")
    listing = selectors.project_listing(version=version, params=request.GET)
    paginator = CountedPaginator(listing.rows, PAGE_SIZE, count=listing.total)
    page = paginator.get_page(request.GET.get("page"))
    filters = presentation.filter_options(request.GET, selectors.filter_choices())
    page.object_list = presentation.with_links(presentation.with_band(page.object_list))
    profile = presentation.profile_of(request.GET)
    histogram = presentation.histogram_chart(listing.histogram)
    context = {
        "version": version,
        "filters": filters,
        "filter_errors": {
            presentation.FILTER_LABELS.get(name, name): errors for name, errors in listing.filterset.errors.items()
        },
        "page": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "total": listing.total,
        "band": listing.band,
        "bands": presentation.bands(listing.band_counts),
        "columns": presentation.sort_columns(request.GET.get("ordering", "")),
        "profile": profile,
        "chart": {"histogram": histogram},
        "histogram_rows": presentation.histogram_rows(histogram),
    }
    return render(request, "salic_ml/dashboard/list.html", context)


@require_GET
@evaluator_required
def project_export(request: HttpRequest) -> HttpResponse:
    version = production_model()
    if version is None:
        return _no_model(request, "Exportar projetos")
    _, rows = selectors.filtered_scores(version=version, params=request.GET)
    header = selectors.export_header()
    return csv_response(f"salic-projetos-v{version.version}.csv", header, selectors.export_rows(rows))


@require_http_methods(["GET", "HEAD", "POST"])
@evaluator_required
def project_detail(request: HttpRequest, pronac: str) -> HttpResponse:
    version = production_model()
    if version is None:
        return _no_model(request, f"Projeto {pronac}")
    score = selectors.diagnosis_score(version=version, pronac=pronac)
    if score is None:
        raise Http404("Projeto não encontrado ou ainda sem nota do modelo em produção.")
    project = score.project
    names = ordered_names(score.indicators)
    feedback = None
    if request.method == "POST":
        form = FeedbackForm(request.POST, indicator_names=names)
        if form.is_valid():
            _, created = services.evaluator_feedback_save(
                project=project,
                model_version=version,
                user=request.user,
                rating=form.cleaned_data["rating"],
                indicator_votes=form.indicator_votes(),
                comment=form.cleaned_data["comment"],
            )
            messages.success(
                request, "Avaliação registrada. Obrigado!" if created else "Avaliação atualizada. Obrigado!"
            )
            return redirect(f"{request.path}#avaliacao")
    else:
        feedback = selectors.feedback_of(user=request.user, project=project, version=version)
        form = FeedbackForm(initial=FeedbackForm.initial_from(feedback), indicator_names=names)

    compared = [name for name in names if name in REGISTRY and REGISTRY[name].segment_distribution]
    segment = selectors.segment_value_summaries(version=version, segment_id=project.segment_id, names=compared)
    lookups = selectors.evidence_lookups(project_id=project.pk, indicators=score.indicators)
    link = public_url(project.pronac)
    cards = indicator_cards(
        score.indicators,
        segment=segment,
        segment_compared=compared,
        lookups=lookups,
        fit_version=population_fit_version(version),
        link=link,
    )
    others, more_others = selectors.proponent_other_scores(version=version, project=project)
    others = presentation.with_links(others)
    change = change_since(selectors.previous_score(version=version, project=project), score.indicators)
    context = {
        "version": version,
        "score": score,
        "project": project,
        "band_label": BAND_LABELS.get(score.band, score.band),
        "band_css_current": presentation.BAND_CSS.get(score.band, ""),
        "cards": cards,
        "public_url": link,
        "arithmetic": score_arithmetic(score.indicators, complexity=score.complexity, severity=score.severity),
        "admissibility": admissibility_checks(score.indicators),
        "legacy": legacy_rows(score.legacy_metrics or {}),
        "outliers": sum(c.is_outlier for c in cards),
        "valid": sum(c.valid for c in cards),
        "others": presentation.with_band(others),
        "more_others": more_others,
        "change": change,
        "form": form,
        "feedback": feedback,
        "chart": {
            "gauge": {"value": score.complexity, "band": score.band, "colors": presentation.BAND_COLORS},
            "distributions": [c.distribution for c in cards if c.distribution],
        },
    }
    return render(request, "salic_ml/dashboard/project.html", context, status=400 if form.errors else 200)


@require_GET
@evaluator_required
def segment_detail(request: HttpRequest, code: str) -> HttpResponse:
    segment = get_object_or_404(Segment.objects.select_related("area"), code=code)
    version = production_model()
    if version is None:
        return _no_model(request, f"Segmento {segment}")
    dist = selectors.segment_distribution(version=version, segment=segment, names=REGISTRY)
    summary = segment_indicator_summary(dist)
    histogram = presentation.histogram_chart(dist.histogram)
    context = {
        "version": version,
        "segment": segment,
        "total": dist.total,
        "bands": presentation.bands(dist.band_counts),
        "summary": summary,
        "top": presentation.with_band(selectors.segment_top_scores(version=version, segment=segment)),
        "chart": {"histogram": histogram},
        "histogram_rows": presentation.histogram_rows(histogram),
    }
    return render(request, "salic_ml/dashboard/segment.html", context)
