"""Answering questions with the cached production model, and logging every exchange.

`faq_parse` touches the database at most once every MODEL_STORE_CHECK_SECONDS (the registry's
version check); `faq_chat` also reads the answer texts and writes the log, by design.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from model_store.serving import LoadedModel, get_production_model

from .models import Answer, Conversation, Feedback, Intent, Message
from .names import MODEL_NAME


class ModelUnavailable(Exception):
    """No production FAQ model exists yet (or its artifact failed verification)."""


class UnknownConversation(Exception):
    pass


class UnknownIntent(Exception):
    pass


def _model() -> LoadedModel:
    try:
        loaded = get_production_model(MODEL_NAME)
    except Exception as exc:  # integrity errors and broken artifacts: refuse to answer with them
        raise ModelUnavailable(str(exc)) from exc
    if loaded is None:
        raise ModelUnavailable("nenhum modelo do assistente está em produção")
    return loaded


def faq_parse(text: str) -> dict[str, Any]:
    """Rasa `/model/parse` shape: text, top intent with confidence, ranking (≤ 10), model."""
    loaded = _model()
    ranking = loaded.obj.rank(text, top=10)
    return {
        "text": text,
        "intent": {"name": ranking[0][0], "confidence": round(ranking[0][1], 4)},
        "intent_ranking": [{"name": name, "confidence": round(p, 4)} for name, p in ranking],
        "model": {"name": loaded.name, "version": loaded.version},
    }


def is_fallback(ranking: list[tuple[str, float]]) -> bool:
    top = ranking[0][1]
    second = ranking[1][1] if len(ranking) > 1 else 0.0
    return top < settings.FAQ_FALLBACK_MIN_CONFIDENCE or top - second < settings.FAQ_FALLBACK_MIN_MARGIN


@dataclass
class ChatReply:
    conversation_id: uuid.UUID
    message_id: int
    answer: str
    intent: str
    confidence: float
    fallback: bool
    suggestions: list[dict[str, str]] = field(default_factory=list)


def _answer_text(intent: str, seed: int) -> str | None:
    texts = list(
        Answer.objects.filter(intent__name=intent, intent__active=True, active=True).values_list("text", flat=True)
    )
    return texts[seed % len(texts)] if texts else None


def _conversation(conversation_id: uuid.UUID | None, *, channel: str, sender: str) -> Conversation:
    if conversation_id is not None:
        conversation = Conversation.objects.filter(public_id=conversation_id).first()
        if conversation is None:
            raise UnknownConversation(str(conversation_id))
        return conversation
    if sender:
        existing = Conversation.objects.filter(channel=channel, sender_id=sender).order_by("-created_at").first()
        if existing:
            return existing
    return Conversation.objects.create(public_id=uuid.uuid4(), channel=channel, sender_id=sender)


@transaction.atomic
def faq_chat(
    *,
    text: str,
    conversation_id: uuid.UUID | None = None,
    chosen_intent: str | None = None,
    channel: str = Conversation.Channel.API,
    sender: str = "",
) -> ChatReply:
    """Answer one message (or a suggestion the user picked) and log it with the model version."""
    loaded = _model()
    conversation = _conversation(conversation_id, channel=channel, sender=sender)
    if chosen_intent:
        if not Intent.objects.filter(name=chosen_intent, active=True).exists():
            raise UnknownIntent(chosen_intent)
        ranking = [(chosen_intent, 1.0)]
        fallback, source = False, Message.Source.SUGGESTION
    else:
        ranking = loaded.obj.rank(text, top=10)
        fallback, source = is_fallback(ranking), Message.Source.TYPED
    intent, confidence = ranking[0]
    message = Message.objects.create(
        conversation=conversation,
        text=text,
        source=source,
        intent=intent,
        confidence=round(confidence, 4),
        ranking=[{"name": n, "confidence": round(p, 4)} for n, p in ranking],
        model_version_id=loaded.version_id,
        fallback=fallback,
    )
    suggestions: list[dict[str, str]] = []
    answer = None if fallback else _answer_text(intent, message.pk)
    if answer is None:
        fallback = True
        answer = settings.FAQ_FALLBACK_ANSWER
        titles = dict(
            Intent.objects.filter(active=True, name__in=[n for n, _ in ranking[:3]]).values_list("name", "title")
        )
        suggestions = [{"intent": n, "title": titles[n]} for n, _ in ranking[:3] if n in titles]
    Message.objects.filter(pk=message.pk).update(answer=answer, fallback=fallback)
    return ChatReply(conversation.public_id, message.pk, answer, intent, round(confidence, 4), fallback, suggestions)


def faq_feedback(*, message_id: int, helpful: bool, comment: str = "") -> Feedback:
    """Record (or replace) the user's verdict on one answer."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise Message.DoesNotExist(message_id)
    feedback, _ = Feedback.objects.update_or_create(message=message, defaults={"helpful": helpful, "comment": comment})
    return feedback


def faq_conversations_purge(*, older_than_days: int) -> int:
    """Delete conversations (and their messages and feedback) older than the retention period."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(days=older_than_days)
    _, per_model = Conversation.objects.filter(created_at__lt=cutoff).delete()
    return per_model.get(Conversation._meta.label, 0)
