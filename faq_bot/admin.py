"""FAQ content admin: intents with inline examples and answers, golden cases, "train now", and the
conversation layer (named responses, flows as step tables, entities, synonyms, lookups, regexes).

Saving intents or examples schedules one debounced retrain; answer, response and flow edits publish
immediately and never retrain. Every save shows the edit-time warnings of the edited row.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import decimal, percent

from .content import faq_content_warnings, faq_conversation_save_as_test, faq_example_add
from .conversation_tests import describe_error, faq_conversation_tests_run
from .models import (
    Answer,
    Conversation,
    Entity,
    Example,
    Flow,
    FlowStep,
    Intent,
    IntentResponse,
    LookupTable,
    Message,
    RegexPattern,
    RegressionCase,
    Response,
    ResponseButton,
    ResponseVariant,
    Synonym,
)
from .selectors import faq_quality_stats
from .training import faq_retrain_now, faq_retrain_schedule
from .training_outcome import faq_training_outcome_of, faq_training_outcomes
from .validation import faq_content_validate, flows_using


class ExampleInline(admin.TabularInline):
    model = Example
    extra = 3
    fields = ["text", "annotated"]


class IntentResponseInline(admin.TabularInline):
    model = IntentResponse
    extra = 0
    fields = ["position", "response"]


def training_scheduled_message(run_id: int) -> str:
    """The save message: the outcome if the training already finished, else where it will appear."""
    outcome = faq_training_outcome_of(run_id)
    if outcome is not None and outcome.finished:
        link = (
            format_html(' <a href="{}">{}</a>.', outcome.report_url, _("Abrir o relatório"))
            if outcome.report_url
            else ""
        )
        return format_html("{} {}{}", _("Conteúdo de treino alterado."), outcome.headline, link)
    return format_html(
        _(
            "Conteúdo de treino alterado: o treino #{} foi agendado. O resultado aparece no quadro "
            "“Último treino” desta página assim que sair."
        ),
        run_id,
    )


def flow_links(flows: list[Flow]) -> str:
    if not flows:
        return "nenhum"
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse("admin:faq_bot_flow_change", args=[f.pk]), str(f)) for f in flows),
    )


def show_issues(model_admin: admin.ModelAdmin, request: HttpRequest, needle: str) -> None:
    """Validation issues that mention the saved row (flow name, response or intent name)."""
    for issue in faq_content_validate():
        if f"'{needle}'" in issue.message:
            level = messages.ERROR if issue.level == "erro" else messages.WARNING
            model_admin.message_user(request, str(issue), level)


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 1
    fields = ["text", "active"]


@admin.register(Intent)
class IntentAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "active", "examples_col", "answers_col", "updated_at"]
    list_filter = ["active"]
    search_fields = ["name", "title", "description", "examples__text"]
    inlines = [ExampleInline, AnswerInline, IntentResponseInline]
    readonly_fields = ["created_at", "updated_at", "used_by"]
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

    @admin.display(description="fluxos que usam esta intenção")
    def used_by(self, obj: Intent) -> str:
        return flow_links(flows_using(intent=obj.name)) if obj.pk else "—"

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        training_changed = form.has_changed() and bool(set(form.changed_data) & {"name", "active"}) or not change
        training_changed = training_changed or any(fs.model is Example and fs.has_changed() for fs in formsets)
        if training_changed:
            run = faq_retrain_schedule(trigger="admin edit", user=request.user)
            self.message_user(request, training_scheduled_message(run.pk), messages.INFO)
        for warning in faq_content_warnings(intent=form.instance):
            self.message_user(request, warning, messages.WARNING)
        if any(fs.model is IntentResponse and fs.has_changed() for fs in formsets):
            show_issues(self, request, form.instance.name)

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
        self._set_active(request, queryset, active=False)

    @admin.action(description="Ativar as intenções selecionadas")
    def activate(self, request: HttpRequest, queryset) -> None:
        self._set_active(request, queryset, active=True)

    def _set_active(self, request: HttpRequest, queryset, *, active: bool) -> None:
        # update() skips auto_now: "atualizada em" is set here so the list shows when it changed.
        changed = queryset.exclude(active=active).update(active=active, updated_at=timezone.now())
        word = _("ativada(s)") if active else _("desativada(s)")
        if not changed:
            text = _("Nenhuma intenção mudou: as selecionadas já estavam {word}.").format(word=word)
            self.message_user(request, text, messages.INFO)
            return
        faq_retrain_schedule(trigger="admin activate" if active else "admin deactivate", user=request.user)
        text = _("{count} intenção(ões) {word}; um novo treino foi agendado.").format(count=changed, word=word)
        self.message_user(request, text, messages.SUCCESS)

    def get_urls(self):
        custom = [
            path("train-now/", self.admin_site.admin_view(self.train_now_view), name="faq_bot_train_now"),
            path(
                "training-status/",
                self.admin_site.admin_view(self.training_status_view),
                name="faq_bot_training_status",
            ),
        ]
        return custom + super().get_urls()

    def _training_context(self, intent_name: str = "") -> dict:
        outcomes = faq_training_outcomes()
        return {
            "training_outcomes": outcomes,
            "training_pending": any(not o.finished for o in outcomes),
            "intent_name": intent_name,
        }

    def changelist_view(self, request: HttpRequest, extra_context=None):
        return super().changelist_view(request, {**self._training_context(), **(extra_context or {})})

    def changeform_view(self, request: HttpRequest, object_id=None, form_url="", extra_context=None):
        name = ""
        if object_id and request.method == "GET":
            name = Intent.objects.filter(pk=object_id).values_list("name", flat=True).first() or ""
        extra = {**self._training_context(name), **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra)

    def training_status_view(self, request: HttpRequest) -> JsonResponse:
        """The 'Último treino' box, for the page's poller while a training is queued or running."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = self._training_context(request.GET.get("intent", "")[:100])
        html = render_to_string("admin/faq_bot/intent/_training_outcome.html", context, request=request)
        return JsonResponse({"pending": context["training_pending"], "html": html})

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


# --- Conversations, review queue and quality panel ---------------------------------------------


class NeedsReviewFilter(admin.SimpleListFilter):
    title = "fila de revisão"
    parameter_name = "fila"

    def lookups(self, request, model_admin):
        return [("sim", "precisa de revisão"), ("nao", "todas")]

    def queryset(self, request, queryset):
        if self.value() == "sim":
            return queryset.needing_review(min_confidence=settings.FAQ_FALLBACK_MIN_CONFIDENCE)
        return queryset


class ReviewActionForm(ActionForm):
    intent = forms.ModelChoiceField(
        queryset=Intent.objects.filter(active=True),
        required=False,
        label="intenção",
        help_text="para 'adicionar como exemplo' e 'adicionar como caso de regressão'",
    )


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["when", "text", "intent", "confidence_col", "fallback_col", "helpful", "version", "reviewed"]
    list_filter = [NeedsReviewFilter, "fallback", "reviewed", "source", "intent"]
    search_fields = ["text", "intent"]
    list_select_related = ["model_version", "feedback"]
    action_form = ReviewActionForm
    actions = ["add_as_example", "add_as_regression_case", "save_conversation_as_test", "mark_reviewed"]
    readonly_fields = [f.name for f in Message._meta.fields]
    change_list_template = "admin/faq_bot/message/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=gettext_lazy("quando"), ordering="created_at")
    def when(self, obj: Message) -> str:
        return timezone.localtime(obj.created_at).strftime("%d/%m/%Y %H:%M")

    @admin.display(description=gettext_lazy("confiança"), ordering="confidence")
    def confidence_col(self, obj: Message) -> str:
        return decimal(obj.confidence) if obj.confidence is not None else "—"

    @admin.display(description=gettext_lazy("fallback"), ordering="fallback")
    def fallback_col(self, obj: Message) -> str:
        # A fallback is something to review, not a success: never Django's green check mark.
        if obj.fallback:
            return format_html(
                '<span class="faq-fallback" title="{}">{}</span>', _("o assistente não teve certeza"), _("sim")
            )
        return _("não")

    @admin.display(description="útil?")
    def helpful(self, obj: Message) -> str:
        feedback = getattr(obj, "feedback", None)
        return "—" if feedback is None else ("sim" if feedback.helpful else "não")

    @admin.display(description="modelo", ordering="model_version__version")
    def version(self, obj: Message) -> str:
        return f"v{obj.model_version.version}" if obj.model_version else "—"

    def _chosen_intent(self, request: HttpRequest) -> Intent | None:
        field = ReviewActionForm.base_fields["intent"]
        try:
            return field.clean(request.POST.get("intent"))
        except forms.ValidationError:
            return None

    @admin.action(description="Adicionar como exemplo da intenção escolhida (agenda novo treino)")
    def add_as_example(self, request: HttpRequest, queryset) -> None:
        intent = self._chosen_intent(request)
        if intent is None:
            self.message_user(request, "Escolha a intenção no campo ao lado da ação.", messages.ERROR)
            return
        # Count before update(): the review-queue filter no longer matches reviewed messages.
        selected = list(queryset)
        for message in selected:
            faq_example_add(intent=intent, text=message.text, user=request.user)
        queryset.model.objects.filter(pk__in=[m.pk for m in selected]).update(reviewed=True)
        self.message_user(request, f"{len(selected)} exemplo(s) adicionado(s) a '{intent.name}'; treino agendado.")

    @admin.action(description="Adicionar como caso de regressão da intenção escolhida")
    def add_as_regression_case(self, request: HttpRequest, queryset) -> None:
        intent = self._chosen_intent(request)
        if intent is None:
            self.message_user(request, "Escolha a intenção no campo ao lado da ação.", messages.ERROR)
            return
        selected = list(queryset)
        for message in selected:
            RegressionCase.objects.get_or_create(text=message.text, defaults={"expected_intent": intent})
        queryset.model.objects.filter(pk__in=[m.pk for m in selected]).update(reviewed=True)
        self.message_user(request, f"{len(selected)} caso(s) de regressão registrado(s) para '{intent.name}'.")

    @admin.action(description="Salvar a conversa destas mensagens como teste de conversa")
    def save_conversation_as_test(self, request: HttpRequest, queryset) -> None:
        save_as_tests(self, request, Conversation.objects.filter(messages__in=queryset).distinct())

    @admin.action(description="Marcar como revisadas")
    def mark_reviewed(self, request: HttpRequest, queryset) -> None:
        updated = queryset.update(reviewed=True)
        self.message_user(request, f"{updated} mensagem(ns) marcadas como revisadas.")

    def get_urls(self):
        custom = [path("quality/", self.admin_site.admin_view(self.quality_view), name="faq_bot_quality")]
        return custom + super().get_urls()

    def quality_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        stats = faq_quality_stats()
        for day in stats["days"]:  # the chart's axis: one pt-BR label per day, never a time of day
            day["label"] = date.fromisoformat(day["day"]).strftime("%d/%m/%Y")
        rows = [
            {**v, "fallback_text": percent(v["fallback_rate"]), "helpful_text": percent(v["helpful_rate"])}
            for v in stats["versions"]
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Qualidade do assistente",
            "stats": stats,
            "rows": rows,
            "opts": self.model._meta,
        }
        return render(request, "admin/faq_bot/quality.html", context)


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "sender_id", "public_id"]
    list_filter = ["channel"]
    search_fields = ["public_id", "sender_id", "messages__text"]
    readonly_fields = ["public_id", "channel", "sender_id", "created_at", "last_active_at", "turns", "slots"]
    actions = ["save_as_test"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Salvar esta conversa como teste de conversa")
    def save_as_test(self, request: HttpRequest, queryset) -> None:
        save_as_tests(self, request, queryset)


def save_as_tests(model_admin: admin.ModelAdmin, request: HttpRequest, conversations) -> None:
    """'Salvar esta conversa como teste', from the conversations list and from the review queue."""
    if not request.user.has_perm("faq_bot.add_flow"):
        model_admin.message_user(request, "Você não tem permissão para criar testes de conversa.", messages.ERROR)
        return
    for conversation in conversations:
        flow = faq_conversation_save_as_test(conversation=conversation)
        url = reverse("admin:faq_bot_flow_change", args=[flow.pk])
        model_admin.message_user(
            request,
            format_html('Teste de conversa criado: <a href="{}">{}</a>. Revise os passos.', url, flow.name),
            messages.SUCCESS,
        )


# --- Conversation layer: responses, flows, entities -------------------------------------------


class ResponseVariantInline(admin.StackedInline):
    model = ResponseVariant
    extra = 1
    fields = ["position", "text"]


class ResponseButtonInline(admin.TabularInline):
    model = ResponseButton
    extra = 0
    fields = ["position", "title", "payload"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["name", "first_variant", "updated_at"]
    search_fields = ["name", "variants__text"]
    inlines = [ResponseVariantInline, ResponseButtonInline]
    readonly_fields = ["used_by"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("variants")

    @admin.display(description="primeira variante")
    def first_variant(self, obj: Response) -> str:
        variants = obj.variants.all()
        return variants[0].text[:80] if variants else "—"

    @admin.display(description="fluxos que usam esta resposta")
    def used_by(self, obj: Response) -> str:
        if not obj.pk:
            return "—"
        intents = IntentResponse.objects.filter(response=obj.name).values_list("intent__name", flat=True)
        text = flow_links(flows_using(response=obj.name))
        return format_html("{}; sequência das intenções: {}", text, ", ".join(intents) or "nenhuma")

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        show_issues(self, request, form.instance.name)


class FlowStepInline(admin.TabularInline):
    model = FlowStep
    extra = 1
    fields = ["position", "kind", "name", "entities", "text"]


@admin.register(Flow)
class FlowAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "active", "summary", "source"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "steps__name", "steps__text"]
    inlines = [FlowStepInline]
    fields = ["name", "kind", "active", "conversation_start", "source"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("steps")

    @admin.display(description="passos")
    def summary(self, obj: Flow) -> str:
        parts = [
            ("👤 " if s.kind in ("intent", "or") else "🤖 " if s.kind == "action" else "◆ ") + s.name
            for s in obj.steps.all()
        ]
        return " → ".join(parts)[:300]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        show_issues(self, request, form.instance.name)
        # Flows take effect at once, without training: replay the conversation tests right away.
        results = faq_conversation_tests_run()
        for story in results["stories"] if results else []:
            if not story["ok"]:
                self.message_user(
                    request,
                    f"O teste de conversa '{story['name']}' falha com o modelo em produção: "
                    f"{describe_error(story['first_error'])}.",
                    messages.WARNING,
                )


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["value", "examples"]
    search_fields = ["value", "examples"]


@admin.register(LookupTable)
class LookupTableAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "elements"]


@admin.register(RegexPattern)
class RegexPatternAdmin(admin.ModelAdmin):
    list_display = ["name", "patterns"]
    search_fields = ["name"]


from . import handoff_admin  # noqa: E402, F401 - registers the staff inbox ("Atendimento")
