"""Human handoff: a citizen asks for a person, staff answer from the admin, the bot keeps quiet.

A conversation is held by a person while it has a handoff that is waiting or in progress; closing the
handoff gives it back to the bot. Staff replies are rows (`StaffReply`); each channel delivers them:
the chat page polls for them, the Socket.IO process pushes them to connected widgets, Telegram
replies are sent through the Bot API when they are written.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Conversation, Handoff, Message, StaffReply
from .nlp import canonical

DAY_NAMES = ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"]
WAITING_TEXT = "Certo, vou chamar uma pessoa da equipe. Fique nesta conversa: a resposta aparece aqui."
CLOSED_TEXT = "O atendimento foi encerrado. Se precisar de algo mais, é só perguntar ao assistente."
BUTTON_TITLE = "Falar com um atendente"


def handoff_reason(text: str) -> str | None:
    """Why this message asks for a person (the button's payload or a typed request), or None."""
    if not settings.FAQ_HANDOFF_ENABLED:
        return None
    if text.strip() == settings.FAQ_HANDOFF_PAYLOAD:
        return Handoff.Reason.BUTTON
    if settings.FAQ_HANDOFF_PATTERN and re.search(settings.FAQ_HANDOFF_PATTERN, canonical(text)):
        return Handoff.Reason.ASKED
    return None


def handoff_button() -> dict[str, str] | None:
    return {"title": BUTTON_TITLE, "payload": settings.FAQ_HANDOFF_PAYLOAD} if settings.FAQ_HANDOFF_ENABLED else None


def with_suggestions(buttons: list[dict[str, str]], suggestions: list[dict[str, str]]) -> list[dict[str, str]]:
    """A fallback's buttons: its own, then the suggested intents, and "talk to a person" last."""
    payload = settings.FAQ_HANDOFF_PAYLOAD
    own = [b for b in buttons if b.get("payload") != payload]
    return own + suggestions + [b for b in buttons if b.get("payload") == payload]


def too_many_fallbacks(conversation: Conversation) -> bool:
    """True when the previous N-1 answers of the conversation were fallbacks too (N configured)."""
    n = settings.FAQ_HANDOFF_AFTER_FALLBACKS
    if not settings.FAQ_HANDOFF_ENABLED or n <= 0:
        return False
    if n == 1:
        return True
    if conversation.pk is None:  # a new conversation has no earlier answers
        return False
    recent = list(
        Message.objects.filter(conversation=conversation, to_staff=False)
        .order_by("-id")
        .values_list("fallback", flat=True)[: n - 1]
    )
    return len(recent) == n - 1 and all(recent)


def open_handoff(conversation: Conversation) -> Handoff | None:
    return conversation.handoffs.exclude(status=Handoff.Status.CLOSED).first()


def _office_hours() -> tuple[time, time]:
    start, end = settings.FAQ_HANDOFF_HOURS.split("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def next_opening(now: datetime | None = None) -> datetime | None:
    """None while staff are at work; otherwise when they next start (local time)."""
    now = timezone.localtime(now or timezone.now())
    start, end = _office_hours()
    days = set(settings.FAQ_HANDOFF_DAYS)
    if not days:
        return None
    if now.weekday() in days and (start == end or start <= now.time() < end):  # "00:00-00:00": all day
        return None
    for ahead in range(8):
        day = (now + timedelta(days=ahead)).date()
        opening = timezone.make_aware(datetime.combine(day, start), timezone.get_current_timezone())
        if day.weekday() in days and opening > now:
            return opening
    return None


def waiting_text(now: datetime | None = None) -> str:
    opening = next_opening(now)
    if opening is None:
        return WAITING_TEXT
    start, end = _office_hours()
    if start == end:
        return f"Nossa equipe atende {_days_text()}. Sua conversa ficou na fila e uma pessoa responderá aqui."
    return (
        f"Nossa equipe atende das {start:%H:%M} às {end:%H:%M} ({_days_text()}). Sua conversa ficou na fila e "
        f"uma pessoa responderá aqui a partir de {DAY_NAMES[opening.weekday()]}, {opening:%d/%m} às {opening:%H:%M}."
    )


def _days_text() -> str:
    days = sorted(set(settings.FAQ_HANDOFF_DAYS))
    if days == [0, 1, 2, 3, 4]:
        return "de segunda a sexta"
    return ", ".join(DAY_NAMES[d] for d in days)


def handoff_start(conversation: Conversation, reason: str) -> tuple[Handoff, str]:
    """Put the conversation in the staff inbox (or keep the open request); the text tells the citizen."""
    existing = open_handoff(conversation)
    if existing:
        return existing, waiting_text()
    try:
        with transaction.atomic():
            handoff = Handoff.objects.create(conversation=conversation, reason=reason)
    except IntegrityError:  # two messages of the same conversation at once: keep the other one's
        handoff = open_handoff(conversation)
    Conversation.objects.filter(pk=conversation.pk).update(with_staff=True)
    conversation.with_staff = True
    return handoff, waiting_text()


def handoff_take(handoff: Handoff, user) -> Handoff:
    if handoff.status == Handoff.Status.WAITING:
        handoff.status = Handoff.Status.ACTIVE
        handoff.taken_by = user
        handoff.taken_at = timezone.now()
        handoff.save(update_fields=["status", "taken_by", "taken_at"])
    return handoff


def handoff_reply(handoff: Handoff, user, text: str) -> StaffReply:
    """A staff message to the citizen; replying to a waiting request takes it."""
    if handoff.status == Handoff.Status.CLOSED:
        raise ValueError("Este atendimento já foi encerrado.")
    text = text.strip()
    if not text:
        raise ValueError("A mensagem está vazia.")
    handoff_take(handoff, user)
    return StaffReply.objects.create(handoff=handoff, author=user, text=text[:4000])


def handoff_close(handoff: Handoff, user) -> StaffReply | None:
    """Give the conversation back to the bot and tell the citizen."""
    if handoff.status == Handoff.Status.CLOSED:
        return None
    handoff.status = Handoff.Status.CLOSED
    handoff.closed_at = timezone.now()
    if handoff.taken_by is None:
        handoff.taken_by, handoff.taken_at = user, handoff.closed_at
    handoff.save(update_fields=["status", "closed_at", "taken_by", "taken_at"])
    Conversation.objects.filter(pk=handoff.conversation_id).update(with_staff=False)
    return StaffReply.objects.create(handoff=handoff, author=None, text=CLOSED_TEXT)


def replies_after(conversation: Conversation, after_id: int) -> list[StaffReply]:
    """Staff replies of the conversation newer than `after_id`, marked delivered (the page channel)."""
    replies = list(
        StaffReply.objects.filter(handoff__conversation=conversation, id__gt=after_id)
        .select_related("author")
        .order_by("id")[:50]
    )
    StaffReply.objects.filter(id__in=[r.id for r in replies], delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )
    return replies


def claim_undelivered(conversation_ids: list[int]) -> list[StaffReply]:
    """Undelivered replies of these conversations, each claimed by exactly one caller (push channels)."""
    if not conversation_ids:
        return []
    claimed = []
    candidates = StaffReply.objects.filter(
        handoff__conversation_id__in=conversation_ids, delivered_at__isnull=True
    ).select_related("handoff__conversation", "author")
    for reply in candidates.order_by("id")[:200]:
        if StaffReply.objects.filter(pk=reply.pk, delivered_at__isnull=True).update(delivered_at=timezone.now()):
            claimed.append(reply)
    return claimed


def author_label(reply: StaffReply) -> str:
    if reply.author is None:
        return "Assistente"
    return f"Atendente {reply.author.first_name}".strip() if reply.author.first_name else "Atendente"
