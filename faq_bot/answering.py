"""Answering questions with the cached production model, and logging every exchange.

`faq_parse` touches the database at most once every MODEL_STORE_CHECK_SECONDS (the registry's
version check) and FAQ_DIALOGUE_CACHE_SECONDS (entity data); `faq_chat` also reads and writes the
conversation row (its dialogue state) and writes the log, by design.
"""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from model_store.serving import LoadedModel, get_production_model

from .dialogue import (
    BotMessage,
    dialogue_content,
    next_actions,
    parse_intent_payload,
    render,
    session_turns,
)
from .fallback import is_unsure
from .handoff import handoff_button, handoff_reason, handoff_start, open_handoff, too_many_fallbacks
from .models import Conversation, Feedback, Handoff, Intent, Message
from .names import MODEL_NAME
from .policy import Turn

logger = logging.getLogger(__name__)


class ModelUnavailable(Exception):
    """No production FAQ model exists yet (or its artifact failed verification)."""


class UnknownConversation(Exception):
    pass


class UnknownIntent(Exception):
    pass


__all__ = ["ModelUnavailable", "UnknownConversation", "UnknownIntent", "faq_chat", "faq_parse"]


def _model() -> LoadedModel:
    try:
        loaded = get_production_model(MODEL_NAME)
    except Exception as exc:  # integrity errors and broken artifacts: refuse to answer with them
        # The details (hashes, signatures, paths) go to the log and /healthz for staff, never to citizens.
        logger.error("cannot serve %s: %s", MODEL_NAME, exc)
        raise ModelUnavailable("o modelo em produção não pôde ser carregado") from exc
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
        "entities": dialogue_content().extractor.extract(text),
        "intent_ranking": [{"name": name, "confidence": round(p, 4)} for name, p in ranking],
        "model": {"name": loaded.name, "version": loaded.version},
    }


def is_fallback(ranking: list[tuple[str, float]], model: Any = None) -> bool:
    """Unsure by the answering version's own thresholds (settings for versions trained without them)."""
    return is_unsure(ranking, model)


@dataclass
class ChatReply:
    conversation_id: uuid.UUID
    message_id: int
    answer: str
    intent: str
    confidence: float
    fallback: bool
    suggestions: list[dict[str, str]] = field(default_factory=list)
    messages: list[BotMessage] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    # "" while the bot answers; "waiting" / "active" while a person holds the conversation.
    handoff: str = ""


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
    # Saved by faq_chat together with its first state: one insert instead of insert + update.
    return Conversation(public_id=uuid.uuid4(), channel=channel, sender_id=sender)


def _saved(conversation: Conversation) -> Conversation:
    """A new conversation is written when it first needs a row (a handoff) or with its first state."""
    if conversation.pk is None:
        conversation.save()
    return conversation


def _understand(loaded: LoadedModel, text: str, chosen_intent: str | None) -> tuple[list, dict[str, str], bool, str]:
    """(ranking, entities, unsure, source): a picked suggestion or `/intent{…}` payload is certain."""
    payload = parse_intent_payload(text)
    if chosen_intent or payload:
        name, entities = (chosen_intent, {}) if chosen_intent else payload
        if not Intent.objects.filter(name=name, active=True).exists():
            raise UnknownIntent(name)
        return [(name, 1.0)], entities, False, Message.Source.SUGGESTION
    ranking = loaded.obj.rank(text, top=10)
    return ranking, {}, is_fallback(ranking, loaded.obj), Message.Source.TYPED


@transaction.atomic
def faq_chat(
    *,
    text: str,
    conversation_id: uuid.UUID | None = None,
    chosen_intent: str | None = None,
    channel: str = Conversation.Channel.API,
    sender: str = "",
) -> ChatReply:
    """Answer one message (typed, a picked suggestion, or a `/intent` payload) from the conversation's
    flows and state, and log it with the model version."""
    conversation = _conversation(conversation_id, channel=channel, sender=sender)
    held = open_handoff(conversation) if conversation.with_staff else None
    if held is not None:
        return _to_staff(conversation, text, held)
    reason = None if chosen_intent else handoff_reason(text)
    if reason is not None:
        handoff, notice = handoff_start(_saved(conversation), reason)
        return _handoff_started(conversation, text, handoff, notice)
    loaded = _model()
    ranking, entities, unsure, source = _understand(loaded, text, chosen_intent)
    content = dialogue_content()
    found = [] if source == Message.Source.SUGGESTION else content.extractor.extract(text)
    entities = {**{e["entity"]: str(e["value"]) for e in found}, **entities}
    intent, confidence = ranking[0]
    history = session_turns(conversation)
    actions, _flow, fallback = next_actions(content, history=history, intent=intent, entities=entities, unsure=unsure)
    slots = {**conversation.slots, **entities}
    # One insert per message: the reply is decided before the log row is written.
    bot = render(content, actions, intent=intent, slots=slots, seed=random.getrandbits(32))
    suggestions: list[dict[str, str]] = []
    if not bot:
        fallback = True
        bot = [BotMessage("", settings.FAQ_FALLBACK_ANSWER)]
    if fallback:
        titles = dict(
            Intent.objects.filter(active=True, name__in=[n for n, _ in ranking[:3]]).values_list("name", "title")
        )
        suggestions = [{"intent": n, "title": titles[n]} for n, _ in ranking[:3] if n in titles]
    handoff = None
    if fallback and too_many_fallbacks(conversation):
        handoff, notice = handoff_start(_saved(conversation), Handoff.Reason.FALLBACKS)
        bot.append(BotMessage("utter_handoff", notice))
        suggestions = []
    elif fallback and (button := handoff_button()):
        bot[-1].buttons.append(button)
    answer = "\n\n".join(m.text for m in bot if m.text)
    turns = [*history, Turn("nlu_fallback" if unsure else intent, entities, actions)]
    conversation.turns = [t.as_dict() for t in turns[-settings.FAQ_DIALOGUE_MAX_HISTORY :]]
    conversation.slots = slots
    conversation.last_active_at = timezone.now()
    if conversation.pk is None:
        conversation.save()
    else:
        conversation.save(update_fields=["turns", "slots", "last_active_at"])
    message = Message.objects.create(
        conversation=conversation,
        text=text,
        source=source,
        intent=intent,
        confidence=round(confidence, 4),
        ranking=[{"name": n, "confidence": round(p, 4)} for n, p in ranking],
        model_version_id=loaded.version_id,
        fallback=fallback,
        entities=found or [{"entity": k, "value": v} for k, v in entities.items()],
        answer=answer,
        actions=actions,
    )
    return ChatReply(
        conversation.public_id,
        message.pk,
        answer,
        intent,
        round(confidence, 4),
        fallback,
        suggestions,
        bot,
        found,
        handoff.status if handoff else "",
    )


def _touch(conversation: Conversation) -> None:
    conversation.last_active_at = timezone.now()
    conversation.save(update_fields=["last_active_at"])


def _to_staff(conversation: Conversation, text: str, handoff: Handoff) -> ChatReply:
    """A person holds the conversation: log the message for them; the bot says nothing."""
    message = Message.objects.create(conversation=conversation, text=text, to_staff=True)
    _touch(conversation)
    return ChatReply(conversation.public_id, message.pk, "", "", 0.0, False, handoff=handoff.status)


def _handoff_started(conversation: Conversation, text: str, handoff: Handoff, notice: str) -> ChatReply:
    message = Message.objects.create(
        conversation=conversation, text=text, to_staff=True, answer=notice, actions=["utter_handoff"]
    )
    _touch(conversation)
    return ChatReply(
        conversation.public_id,
        message.pk,
        notice,
        "",
        0.0,
        False,
        messages=[BotMessage("utter_handoff", notice)],
        handoff=handoff.status,
    )


def faq_feedback(*, conversation_id: Any, message_id: int, helpful: bool, comment: str = "") -> Feedback:
    """Record (or replace) the verdict on one answer of the caller's own conversation.

    `conversation_id` is the conversation's unguessable public id, which only its holder (the chat
    page, widget or channel that received it) knows; a message of another conversation is refused
    exactly like a message that does not exist (Message.DoesNotExist).
    """
    message = Message.objects.filter(pk=message_id, conversation__public_id=conversation_id).first()
    if message is None:
        raise Message.DoesNotExist(message_id)
    feedback, _ = Feedback.objects.update_or_create(message=message, defaults={"helpful": helpful, "comment": comment})
    return feedback


def faq_conversations_purge(*, older_than_days: int) -> int:
    """Delete conversations (and their messages and feedback) older than the retention period."""
    from datetime import timedelta

    cutoff = timezone.now() - timedelta(days=older_than_days)
    _, per_model = Conversation.objects.filter(created_at__lt=cutoff).delete()
    return per_model.get(Conversation._meta.label, 0)
