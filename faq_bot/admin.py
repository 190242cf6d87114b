"""FAQ content admin: intents with inline examples and answers, golden cases, "train now".

Saving intents or examples schedules one debounced retrain; answer edits publish immediately
and never retrain. Every save shows the edit-time warnings of the edited intent.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from .content import faq_content_warnings
from .models import Answer, Example, Intent, RegressionCase
from .training import faq_retrain_now, faq_retrain_schedule


class ExampleInline(admin.TabularInline):
    model = Example
    extra = 3
    fields = ["text"]


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 1
    fields = ["text", "active"]


@admin.register(Intent)
class IntentAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "active", "examples_col", "answers_col", "updated_at"]
    list_filter = ["active"]
    search_fields = ["name", "title", "description", "examples__text"]
    inlines = [ExampleInline, AnswerInline]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["train_now", "deactivate", "activate"]
    change_list_template = "admin/faq_bot/intent/change_list.html"

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).with_counts()

    @admin.display(description="exemplos", ordering="example_count")
    def examples_col(self, obj: Intent) -> str:
        if obj.example_count < 5:
            return format_html(
                '<strong style="color:#a4161a" title="menos de 5 exemplos">{}</strong>', obj.example_count
            )
        return str(obj.example_count)

    @admin.display(description="respostas", ordering="answer_count")
    def answers_col(self, obj: Intent) -> int:
        return obj.answer_count

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        training_changed = form.has_changed() and bool(set(form.changed_data) & {"name", "active"}) or not change
        training_changed = training_changed or any(fs.model is Example and fs.has_changed() for fs in formsets)
        if training_changed:
            faq_retrain_schedule(trigger="admin edit", user=request.user)
            self.message_user(request, "Conteúdo de treino alterado: um novo treino foi agendado.", messages.INFO)
        for warning in faq_content_warnings(intent=form.instance):
            self.message_user(request, warning, messages.WARNING)

    def delete_model(self, request: HttpRequest, obj: Intent) -> None:
        super().delete_model(request, obj)
        faq_retrain_schedule(trigger="admin delete", user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        super().delete_queryset(request, queryset)
        faq_retrain_schedule(trigger="admin delete", user=request.user)

    @admin.action(description="Treinar agora")
    def train_now(self, request: HttpRequest, queryset=None) -> None:
        run = faq_retrain_now(trigger="admin: treinar agora", user=request.user)
        url = reverse("admin:model_store_trainingrun_changelist")
        self.message_user(
            request,
            format_html('Treino #{} na fila. <a href="{}">Acompanhe o progresso</a>.', run.pk, url),
            messages.SUCCESS,
        )

    @admin.action(description="Desativar as intenções selecionadas")
    def deactivate(self, request: HttpRequest, queryset) -> None:
        queryset.update(active=False)
        faq_retrain_schedule(trigger="admin deactivate", user=request.user)

    @admin.action(description="Ativar as intenções selecionadas")
    def activate(self, request: HttpRequest, queryset) -> None:
        queryset.update(active=True)
        faq_retrain_schedule(trigger="admin activate", user=request.user)

    def get_urls(self):
        custom = [path("train-now/", self.admin_site.admin_view(self.train_now_view), name="faq_bot_train_now")]
        return custom + super().get_urls()

    def train_now_view(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and self.has_change_permission(request):
            self.train_now(request)
        return HttpResponseRedirect(reverse("admin:faq_bot_intent_changelist"))


@admin.register(RegressionCase)
class RegressionCaseAdmin(admin.ModelAdmin):
    list_display = ["text", "expected_intent", "active", "note", "created_at"]
    list_filter = ["active", "expected_intent"]
    search_fields = ["text", "expected_intent__name", "note"]
    autocomplete_fields = ["expected_intent"]
    list_select_related = ["expected_intent"]
