"""Registry admin: versions with their reports, promotion history, promote / force / rollback."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin
from core.formatting import integer, num
from core.roles import can_operate_models

from .models import DatasetSnapshot, ModelVersion, Promotion, TrainingRun
from .selectors import promotion_history
from .services import RegistryError, model_rollback, model_version_integrity, model_version_promote

# The metrics the apps record, named for people (an unknown key is shown as it is).
METRIC_LABELS = {
    "accuracy": "acurácia",
    "macro_f1": "F1 macro",
    "weighted_f1": "F1 ponderado",
    "golden_accuracy": "acerto no conjunto de ouro",
    "conversation_turn_accuracy": "turnos certos nos testes de conversa",
    "intents": "intenções",
    "examples": "exemplos",
    "projects_scored": "projetos com nota",
}


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motivo", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "status_badge",
        "gate_passed",
        "headline_metric",
        "artifact_kb",
        "created_at",
        "promoted_at",
    ]
    list_filter = ["name", "status", "gate_passed"]
    search_fields = ["name", "sha256"]
    ordering = ["name", "-version"]
    change_form_template = "admin/model_store/modelversion/change_form.html"
    actions = ["promote_selected"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).defer("report").select_related("dataset")

    @admin.display(description="estado", ordering="status")
    def status_badge(self, obj: ModelVersion) -> str:
        return format_html('<span class="mv-status mv-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description="métrica principal")
    def headline_metric(self, obj: ModelVersion) -> str:
        for key, label in (("macro_f1", "F1 macro"), ("projects_scored", "projetos com nota")):
            if key in obj.metrics:
                return f"{label}: {num(obj.metrics[key], 3)}"
        return "—"

    @admin.display(description="artefato (KB)")
    def artifact_kb(self, obj: ModelVersion) -> str:
        return integer(obj.artifact_size / 1024)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_staff and (request.user.is_superuser or super().has_view_permission(request, obj))

    @admin.action(description="Promover as versões selecionadas (portão aprovado)")
    def promote_selected(self, request: HttpRequest, queryset) -> None:
        if not can_operate_models(request.user):
            self.message_user(request, "Você não tem permissão para promover modelos.", messages.ERROR)
            return
        for mv in queryset:
            try:
                model_version_promote(version=mv, actor=request.user, reason="promovida pelo admin")
                self.message_user(request, f"{mv} está em produção.", messages.SUCCESS)
            except RegistryError as exc:
                self.message_user(request, str(exc), messages.ERROR)

    def get_urls(self):
        custom = [
            path(
                "<int:pk>/force-promote/",
                self.admin_site.admin_view(self.force_promote_view),
                name="model_store_force_promote",
            ),
            path("<int:pk>/promote/", self.admin_site.admin_view(self.promote_view), name="model_store_promote"),
            path("rollback/<slug:name>/", self.admin_site.admin_view(self.rollback_view), name="model_store_rollback"),
        ]
        return custom + super().get_urls()

    def _back(self, mv: ModelVersion) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:model_store_modelversion_change", args=[mv.pk]))

    def promote_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        mv = get_object_or_404(ModelVersion, pk=pk)
        if request.method != "POST" or not can_operate_models(request.user):
            return self._back(mv)
        try:
            model_version_promote(version=mv, actor=request.user, reason="promovida pelo admin")
            self.message_user(request, f"{mv} está em produção.", messages.SUCCESS)
        except RegistryError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        return self._back(mv)

    def force_promote_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        mv = get_object_or_404(ModelVersion, pk=pk)
        if not can_operate_models(request.user):
            raise PermissionDenied
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                model_version_promote(version=mv, actor=request.user, reason=form.cleaned_data["reason"], force=True)
                self.message_user(request, f"{mv} promovida à força; motivo registrado.", messages.WARNING)
                return self._back(mv)
            except RegistryError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Forçar promoção de {mv}",
            "form": form,
            "mv": mv,
            "opts": self.model._meta,
            "action": "force",
        }
        return render(request, "admin/model_store/modelversion/reason_form.html", context)

    def rollback_view(self, request: HttpRequest, name: str) -> HttpResponse:
        if not can_operate_models(request.user):
            raise PermissionDenied
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                mv = model_rollback(name=name, actor=request.user, reason=form.cleaned_data["reason"])
                self.message_user(request, f"Reversão feita: {mv} voltou à produção.", messages.WARNING)
                return self._back(mv)
            except RegistryError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reverter {name} para a versão anterior",
            "form": form,
            "opts": self.model._meta,
            "action": "rollback",
        }
        return render(request, "admin/model_store/modelversion/reason_form.html", context)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        mv = get_object_or_404(ModelVersion.objects.select_related("dataset", "compared_to"), pk=object_id)
        extra = {
            "mv": mv,
            "history": promotion_history(mv.name)[:30],
            "mismatches": mv.library_mismatches(),
            "report": mv.report or {},
            "can_operate": can_operate_models(request.user),
            "integrity": model_version_integrity(mv),
            "metric_rows": [(METRIC_LABELS.get(k, k), num(v, 4)) for k, v in (mv.metrics or {}).items()],
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})


@admin.register(Promotion)
class PromotionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "name", "kind", "from_version", "to_version", "actor_label", "forced", "reason"]
    list_filter = ["name", "kind", "forced"]

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .select_related("from_version", "to_version")
            .defer("from_version__report", "to_version__report")
        )


@admin.register(DatasetSnapshot)
class DatasetSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "row_counts", "data_size", "source", "created_at"]
    list_filter = ["kind"]
    exclude = ["data"]


@admin.register(TrainingRun)
class TrainingRunAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "name",
        "status_text",
        "progress_bar",
        "message",
        "trigger",
        "version",
        "created_at",
        "duration",
    ]
    list_filter = ["name", "status"]
    change_list_template = "admin/model_store/trainingrun/change_list.html"

    @admin.display(description="estado", ordering="status")
    def status_text(self, obj: TrainingRun) -> str:
        if obj.is_stale():
            minutes = int((timezone.now() - obj.heartbeat_at).total_seconds() // 60)
            return format_html('<span class="mv-bad">sem sinal do worker há {} min</span>', minutes)
        return obj.get_status_display()

    @admin.display(description="duração (s)")
    def duration(self, obj: TrainingRun) -> str:
        return num(obj.duration_seconds, 1)

    @admin.display(description="progresso")
    def progress_bar(self, obj: TrainingRun) -> str:
        return format_html(
            '<progress max="100" value="{}" aria-label="{}%"></progress> {}%', obj.progress, obj.progress, obj.progress
        )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("version").defer("version__report")

    def changelist_view(self, request: HttpRequest, extra_context=None):
        active = TrainingRun.objects.filter(status__in=TrainingRun.ACTIVE).exists()
        return super().changelist_view(request, {**(extra_context or {}), "auto_refresh": active})
