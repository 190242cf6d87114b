"""What every channel shares: one call into the dialogue, Rasa's message shapes, and a throttle.

The dialogue (`faq_chat`) is the same for all channels: conversation state, the log (with the
channel), feedback, the review queue and the human handoff. A channel only translates.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from ..answering import ChatReply, ModelUnavailable, UnknownIntent, faq_chat, faq_feedback
from ..dialogue import BotMessage
from ..handoff import with_suggestions
from ..models import Message

UNAVAILABLE_TEXT = "O assistente ainda não está disponível; tente de novo em instantes."
THROTTLED_TEXT = "Muitas mensagens em pouco tempo. Aguarde um minuto e tente de novo."
TOO_LONG_TEXT = f"A mensagem passa de {settings.FAQ_MAX_MESSAGE_CHARS} caracteres; escreva uma pergunta mais curta."


@dataclass
class ChannelReply:
    messages: list[BotMessage]
    message_id: int | None = None
    handoff: str = ""
    fallback: bool = False

    @property
    def rateable(self) -> bool:
        """An ordinary answer of the bot (not a fallback, not a person's conversation) can be rated."""
        return bool(self.message_id and self.messages and not self.fallback and not self.handoff)


def channel_answer(*, text: str, channel: str, sender: str) -> ChannelReply:
    """The dialogue's answer to one message of a channel; never raises for content problems.

    A payload naming no intent (a widget's initPayload such as /cumprimentar, Telegram's /start)
    gets the welcome text; no model in production gets a pt-BR apology."""
    text = text.strip()
    if not text:
        return ChannelReply([])
    if len(text) > settings.FAQ_MAX_MESSAGE_CHARS:
        return ChannelReply([BotMessage("", TOO_LONG_TEXT)])
    try:
        reply: ChatReply = faq_chat(text=text, channel=channel, sender=sender)
    except UnknownIntent:
        return ChannelReply([BotMessage("utter_welcome", settings.FAQ_WELCOME_TEXT)])
    except ModelUnavailable:
        return ChannelReply([BotMessage("", UNAVAILABLE_TEXT)])
    messages = [BotMessage(m.action, m.text, list(m.buttons)) for m in reply.messages]
    if reply.suggestions and messages:
        suggested = [{"title": s["title"], "payload": f"/{s['intent']}"} for s in reply.suggestions]
        messages[-1].buttons = with_suggestions(messages[-1].buttons, suggested)
    return ChannelReply(messages, reply.message_id, reply.handoff, reply.fallback)


def channel_feedback(*, channel: str, sender: str, message_id: int, helpful: bool) -> bool:
    """Record a rating, only for a message of this sender's conversation on this channel."""
    conversation = (
        Message.objects.filter(pk=message_id, conversation__channel=channel, conversation__sender_id=sender)
        .values_list("conversation__public_id", flat=True)
        .first()
    )
    if conversation is None:
        return False
    faq_feedback(conversation_id=conversation, message_id=message_id, helpful=helpful)
    return True


def socketio_messages(messages: list[BotMessage], *, style: str = "quick_replies") -> list[dict[str, Any]]:
    """Rasa's Socket.IO shape (what rasa-webchat renders): like Rasa, a text is split on blank lines
    into bubbles and the buttons go with the last one, as quick replies (Rasa's default) or buttons."""
    out: list[dict[str, Any]] = []
    for message in messages:
        parts = [p for p in message.text.strip().split("\n\n") if p.strip()] or [""]
        items: list[dict[str, Any]] = [{"text": p} for p in parts]
        if message.buttons:
            if style == "buttons":
                items[-1]["buttons"] = [
                    {"title": b["title"], "payload": b["payload"], "type": "postback"} for b in message.buttons
                ]
            else:
                items[-1]["quick_replies"] = [
                    {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in message.buttons
                ]
        out.extend(i for i in items if i["text"] or len(i) > 1)
    return out


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """DRF's rate syntax ("60/min") → (requests, seconds); None when off."""
    if not rate:
        return None
    count, period = rate.split("/")
    return int(count), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]


def throttled(scope: str, ident: str) -> bool:
    """A fixed-window counter in the shared cache, with the public chat APIs' rate (`anon_chat`)."""
    rate = parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get("anon_chat"))
    if rate is None:
        return False
    limit, seconds = rate
    window = int(time.time() // seconds)
    key = f"throttle:{scope}:{ident}:{window}"
    if cache.add(key, 1, timeout=seconds + 1):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds + 1)
        return False


__all__ = [
    "ChannelReply",
    "channel_feedback",
    "channel_answer",
    "socketio_messages",
    "throttled",
]
