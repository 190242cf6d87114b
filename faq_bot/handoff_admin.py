"""The staff inbox ("Atendimento"): conversations waiting for a person, in progress, closed.

A member of staff opens one, reads the conversation, replies (which takes it) and closes it to hand
the conversation back to the bot. Replies reach the citizen on the channel they use: the chat page
and the widget fetch them, Telegram gets them at once through the Bot API.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .channels.telegram import deliver_staff_replies
from .handoff import author_label, handoff_close, handoff_reply, handoff_take
from .models import Conversation, Handoff, Message, StaffReply

STATUS_ORDER = Case(
    When(status=Handoff.Status.WAITING, then=Value(0)),
    When(status=Handoff.Status.ACTIVE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def transcript(conversation: Conversation, limit: int = 200) -> list[dict]:
    """The conversation as the citizen saw it: their messages, the bot's answers, staff replies."""
    lines: list[dict] = []
    for m in Message.objects.filter(conversation=conversation).order_by("-id")[:limit]:
        lines.append({"at": m.created_at, "who": "Cidadão", "kind": "user", "text": m.text, "order": (m.id, 0)})
        if m.answer:
            lines.append({"at": m.created_at, "who": "Assistente", "kind": "bot", "text": m.answer, "order": (m.id, 1)})
    for r in StaffReply.objects.filter(handoff__conversation=conversation).select_related("author")[:limit]:
        lines.append({"at": r.created_at, "who": author_label(r), "kind": "staff", "text": r.text, "order": (0, 0)})
    return sorted(lines, key=lambda x: (x["at"], x["order"]))


@admin.register(Handoff)
class HandoffAdmin(admin.ModelAdmin):
    list_display = ["requested_at", "status", "channel", "reason", "taken_by", "last_message"]
    list_filter = ["status", "conversation__channel", "reason"]
    list_select_related = ["conversation", "taken_by"]
    search_fields = ["conversation__public_id", "conversation__sender_id", "conversation__messages__text"]

    def get_queryset(self, request: HttpRequest):
        return (
            super().get_queryset(request).annotate(status_order=STATUS_ORDER).order_by("status_order", "requested_at")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="canal", ordering="conversation__channel")
    def channel(self, obj: Handoff) -> str:
        return obj.conversation.get_channel_display()

    @admin.display(description="última mensagem do cidadão")
    def last_message(self, obj: Handoff) -> str:
        last = obj.conversation.messages.order_by("-id").values_list("text", flat=True).first()
        return (last or "")[:80]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None) -> HttpResponse:
        handoff = get_object_or_404(Handoff.objects.select_related("conversation", "taken_by"), pk=object_id)
        if not self.has_view_permission(request, handoff):
            raise PermissionDenied
        can_act = self.has_change_permission(request, handoff) and request.user.has_perm("faq_bot.add_staffreply")
        if request.method == "POST":
            if not can_act:
                raise PermissionDenied
            self._act(request, handoff)
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Atendimento — {handoff.conversation.get_channel_display()}",
            "opts": self.model._meta,
            "handoff": handoff,
            "lines": transcript(handoff.conversation),
            "can_act": can_act and handoff.status != Handoff.Status.CLOSED,
            "now": timezone.now(),
        }
        return render(request, "admin/faq_bot/handoff/conversation.html", context)

    def _act(self, request: HttpRequest, handoff: Handoff) -> None:
        action = request.POST.get("action")
        try:
            if action == "take":
                handoff_take(handoff, request.user)
                self.message_user(request, "Você assumiu este atendimento.", messages.SUCCESS)
            elif action == "reply":
                handoff_reply(handoff, request.user, request.POST.get("text", ""))
                self.message_user(request, "Resposta enviada ao cidadão.", messages.SUCCESS)
            elif action == "close":
                handoff_close(handoff, request.user)
                self.message_user(request, "Atendimento encerrado: o assistente volta a responder.", messages.SUCCESS)
            else:
                self.message_user(request, "Ação desconhecida.", messages.ERROR)
                return
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        conversation = handoff.conversation
        pending = StaffReply.objects.filter(handoff__conversation=conversation, delivered_at__isnull=True)
        telegram = conversation.channel == Conversation.Channel.TELEGRAM
        if telegram and pending.exists() and not deliver_staff_replies(conversation):
            self.message_user(
                request,
                "Não foi possível entregar no Telegram agora; a mensagem será reenviada com a próxima.",
                messages.WARNING,
            )
