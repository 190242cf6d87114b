"""Admin for evaluator feedback: list with filters and a CSV export action.

Django only autodiscovers `salic_ml/admin.py`, which imports this module.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse

from model_store.models import ModelVersion
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.models import EvaluatorFeedback
from salic_ml.names import MODEL_NAME

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
