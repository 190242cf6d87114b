"""Admin for evaluator feedback: list with filters and a CSV export action.

Django only autodiscovers `salic_ml/admin.py`, which imports this module.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from core.roles import can_operate_models
from model_store.models import ModelVersion
from salic_ml.modelling.feedback import (
    MIN_VOTES,
    count_band_changes,
    golden_set,
    propose_weights,
    usefulness_by_version,
)
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.scoring import BAND_LABELS, default_weights
from salic_ml.modelling.training import salic_train_queue
from salic_ml.models import EvaluatorFeedback
from salic_ml.names import MODEL_NAME
from salic_ml.selectors import production_model

from . import selectors
from .export import csv_response

EXPORT_HEADER = [
    "pronac",
    "projeto",
    "modelo",
    "versao",
    "avaliador",
    "nota",
    "comentario",
    "criada_em",
    "atualizada_em",
]


class ModelVersionFilter(admin.SimpleListFilter):
    """Versions of the complexity model, read as (id, number): the default filter loads artifacts."""

    title = "versão do modelo"
    parameter_name = "model_version"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        versions = ModelVersion.objects.filter(name=MODEL_NAME).order_by("-version").values_list("id", "version")
        return [(str(pk), f"v{number}") for pk, number in versions]

    def queryset(self, request: HttpRequest, queryset: QuerySet[EvaluatorFeedback]) -> QuerySet[EvaluatorFeedback]:
        return queryset.filter(model_version_id=self.value()) if self.value() else queryset


@admin.register(EvaluatorFeedback)
class EvaluatorFeedbackAdmin(admin.ModelAdmin):
    list_display = ("project", "model_version", "user", "rating", "useful_votes", "updated_at")
    list_filter = ("rating", ModelVersionFilter, "updated_at")
    search_fields = ("project__pronac", "project__name", "user__username")
    list_select_related = ("project", "model_version", "user")
    raw_id_fields = ("project", "model_version", "user")
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "updated_at"
    actions = ["export_csv"]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("relatorio/", view(self.report_view), name="salic_ml_feedback_report"),
            path("sugestao-de-pesos/", view(self.weights_view), name="salic_ml_feedback_weights"),
            *super().get_urls(),
        ]

    def _staff_only(self, request: HttpRequest) -> None:
        if not request.user.is_staff:
            raise PermissionDenied

    def report_view(self, request: HttpRequest) -> HttpResponse:
        """Per-indicator usefulness per model version, per-band agreement and the golden set's size."""
        self._staff_only(request)
        usefulness = usefulness_by_version(MODEL_NAME)
        rows = [
            {
                "version": u.version,
                "title": REGISTRY[u.indicator].title if u.indicator in REGISTRY else u.indicator,
                "useful": u.useful,
                "not_useful": u.not_useful,
                "share": None if u.share is None else round(100 * u.share),
            }
            for u in usefulness
        ]
        agreement = [
            {
                "band": BAND_LABELS.get(a.band, a.band),
                "ratings": a.ratings,
                "agreeing": a.agreeing,
                "share": None if a.share is None else round(100 * a.share),
                "mean": a.mean_rating,
            }
            for a in selectors.band_agreement()
        ]
        golden = golden_set()
        context = {
            **self.admin_site.each_context(request),
            "title": "Avaliações: utilidade dos indicadores e concordância por faixa",
            "usefulness": rows,
            "agreement": agreement,
            "golden_complex": sum(1 for g in golden.values() if g.label == "complex"),
            "golden_simple": sum(1 for g in golden.values() if g.label == "simple"),
        }
        return render(request, "admin/salic_ml/feedback_report.html", context)

    def weights_view(self, request: HttpRequest) -> HttpResponse:
        """The suggested weights, how many projects would change band; staff may apply them as a new
        training's parameters (queued; the gate still decides whether it is promoted)."""
        self._staff_only(request)
        version = production_model()
        current = {**default_weights(), **((version.params or {}).get("weights", {}) if version else {})}
        proposal = propose_weights(current, usefulness_by_version(MODEL_NAME))
        if request.method == "POST":
            if not can_operate_models(request.user):
                raise PermissionDenied
            if not proposal.suggestions:
                messages.warning(request, "Não há sugestão de pesos para aplicar.")
            else:
                run = salic_train_queue(trigger="sugestao_de_pesos", user=request.user, weights=proposal.weights)
                messages.success(
                    request,
                    f"Treino #{run.pk} enfileirado com os pesos sugeridos. A nova versão passa pelo portão "
                    "antes de entrar em produção.",
                )
            return redirect(reverse("admin:salic_ml_feedback_weights"))
        if version is not None and proposal.suggestions:
            names = [n for n in REGISTRY if n in current]
            valid, outlier = selectors.flag_matrix(version=version, names=names)
            count_band_changes(proposal, names, valid, outlier, current)
        context = {
            **self.admin_site.each_context(request),
            "title": "Sugestão de pesos a partir das avaliações",
            "version": version,
            "min_votes": MIN_VOTES,
            "proposal": proposal,
            "suggestions": [
                {**s.__dict__, "title": REGISTRY[s.indicator].title if s.indicator in REGISTRY else s.indicator}
                for s in proposal.suggestions
            ],
            "moves": [
                (" → ".join(BAND_LABELS.get(b, b) for b in move.split(" → ")), n) for move, n in proposal.moves.items()
            ],
            "can_apply": can_operate_models(request.user),
        }
        return render(request, "admin/salic_ml/feedback_weights.html", context)

    @admin.display(description="úteis / avaliados")
    def useful_votes(self, obj: EvaluatorFeedback) -> str:
        votes = obj.indicator_votes or {}
        return f"{sum(1 for v in votes.values() if v)} / {len(votes)}" if votes else "—"

    @admin.action(description="Exportar selecionadas (CSV)")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[EvaluatorFeedback]) -> StreamingHttpResponse:
        names = list(REGISTRY)
        header = EXPORT_HEADER + [f"util_{name}" for name in names]
        rows = (
            [
                f.project.pronac,
                f.project.name,
                f.model_version.name,
                f.model_version.version,
                f.user.get_username(),
                f.rating,
                f.comment,
                f.created_at.isoformat(),
                f.updated_at.isoformat(),
                *(_vote(f.indicator_votes, name) for name in names),
            ]
            for f in queryset.select_related("project", "model_version", "user")
            .order_by("project__pronac", "model_version__version", "user__username")
            .iterator(chunk_size=1000)
        )
        return csv_response("avaliacoes-salic.csv", header, rows)


def _vote(votes: dict[str, bool] | None, name: str) -> str:
    vote = (votes or {}).get(name)
    return "" if vote is None else ("sim" if vote else "não")
