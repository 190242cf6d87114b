"""Telegram channel: the webhook Telegram calls, and replies sent through the Bot API.

Set-up: TELEGRAM_BOT_TOKEN (from @BotFather), TELEGRAM_WEBHOOK_SECRET (any 1–256 characters of
A-Z a-z 0-9 _ -), then `python manage.py telegram_webhook set https://<host>/webhooks/telegram/webhook`.
Telegram sends the secret in X-Telegram-Bot-Api-Secret-Token on every call; a call without it is
refused (403) and logged. Text messages and inline-keyboard buttons (callback queries) go into the
same dialogue as every channel; bot buttons become an inline keyboard whose callback data is the
payload. TELEGRAM_API_BASE_URL points elsewhere than api.telegram.org for a local Bot API server
(or a test stand-in).
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.client_ip import client_ip

from ..dialogue import BotMessage
from ..handoff import author_label, claim_undelivered
from ..models import Conversation, StaffReply
from .common import channel_answer, channel_feedback

logger = logging.getLogger(__name__)
CHANNEL = Conversation.Channel.TELEGRAM
SECRET_HEADER = "HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN"
MAX_BODY = 1_000_000
CALLBACK_DATA_BYTES = 64  # Telegram's limit for an inline button's callback_data
RATING = re.compile(r"^fb:(\d{1,18}):([01])$")  # the 👍/👎 buttons' callback data


class TelegramError(Exception):
    pass


def bot_api(method: str, payload: dict[str, Any]) -> dict[str, Any]:
    """One Bot API call (JSON in, JSON out); raises TelegramError when Telegram says no."""
    token = settings.TELEGRAM_BOT_TOKEN
    if not token:
        raise TelegramError("TELEGRAM_BOT_TOKEN não está configurado.")
    url = f"{settings.TELEGRAM_API_BASE_URL}/bot{token}/{method}"
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.TELEGRAM_TIMEOUT_SECONDS) as response:
            body = json.load(response)
    except urllib.error.HTTPError as exc:
        try:
            body = json.load(exc)
        except ValueError:
            body = {"ok": False, "description": f"HTTP {exc.code}"}
    except (OSError, ValueError) as exc:
        raise TelegramError(f"{method}: {exc}") from exc
    if not isinstance(body, dict) or not body.get("ok"):
        description = body.get("description") if isinstance(body, dict) else body
        raise TelegramError(f"{method}: {description}")
    return body


def keyboard(buttons: list[dict[str, str]]) -> dict[str, Any] | None:
    """An inline keyboard, one button per row; a payload too long for callback_data sends the title."""
    rows = []
    for button in buttons:
        data = button["payload"]
        if len(data.encode()) > CALLBACK_DATA_BYTES:
            data = button["title"].encode()[:CALLBACK_DATA_BYTES].decode(errors="ignore")
        rows.append([{"text": button["title"], "callback_data": data}])
    return {"inline_keyboard": rows} if rows else None


def send_messages(chat_id: int | str, messages: list[BotMessage], *, last_markup: dict | None = None) -> int:
    """Send the bot's messages to a chat; returns how many went out (errors are logged)."""
    sent = 0
    for i, message in enumerate(messages):
        payload: dict[str, Any] = {"chat_id": chat_id, "text": message.text or "…"}
        if markup := keyboard(message.buttons) or (last_markup if i == len(messages) - 1 else None):
            payload["reply_markup"] = markup
        try:
            bot_api("sendMessage", payload)
            sent += 1
        except TelegramError as exc:
            logger.error("telegram: could not send to chat %s: %s", chat_id, exc)
            break
    return sent


def deliver_staff_replies(conversation: Conversation) -> int:
    """Push a Telegram conversation's undelivered staff replies now (called when staff write)."""
    sent = 0
    sender = conversation.sender_id
    chat_id: int | str = int(sender) if sender.lstrip("-").isdigit() else sender
    for reply in claim_undelivered([conversation.pk]):
        text = reply.text if reply.author is None else f"{author_label(reply)}: {reply.text}"
        if not send_messages(chat_id, [BotMessage("staff", text)]):
            StaffReply.objects.filter(pk=reply.pk).update(delivered_at=None)  # sent again with the next one
            break
        sent += 1
    return sent


def _incoming(update: dict[str, Any]) -> tuple[int, str, str | None] | None:
    """(chat id, text, callback query id) of a text message or a pressed inline button; None otherwise."""
    message = update.get("message") or update.get("edited_message")
    if isinstance(message, dict) and isinstance(message.get("text"), str):
        chat = message.get("chat") or {}
        if isinstance(chat.get("id"), int):
            return chat["id"], message["text"], None
    callback = update.get("callback_query")
    if isinstance(callback, dict) and isinstance(callback.get("data"), str):
        chat = (callback.get("message") or {}).get("chat") or {}
        chat_id = chat.get("id") if isinstance(chat.get("id"), int) else (callback.get("from") or {}).get("id")
        query_id = callback.get("id") if isinstance(callback.get("id"), str) else None
        if isinstance(chat_id, int):
            return chat_id, callback["data"], query_id
    return None


def _answer_callback(query_id: str | None, text: str = "") -> None:
    if query_id is None:
        return
    try:  # stops the button's spinner; failure only costs the animation
        bot_api("answerCallbackQuery", {"callback_query_id": query_id, **({"text": text} if text else {})})
    except TelegramError as exc:
        logger.warning("telegram: answerCallbackQuery failed: %s", exc)


def _with_rating(message_id: int) -> dict[str, Any]:
    """The last message of an ordinary answer carries 👍/👎 (as the chat page's feedback buttons)."""
    return {
        "inline_keyboard": [
            [
                {"text": "👍 Ajudou", "callback_data": f"fb:{message_id}:1"},
                {"text": "👎 Não ajudou", "callback_data": f"fb:{message_id}:0"},
            ]
        ]
    }


def handle_update(update: dict[str, Any]) -> int:
    """Answer one update through the dialogue; returns the number of messages sent."""
    incoming = _incoming(update)
    if incoming is None:
        return 0
    chat_id, text, query_id = incoming
    if rating := RATING.match(text):
        saved = channel_feedback(
            channel=CHANNEL, sender=str(chat_id), message_id=int(rating[1]), helpful=rating[2] == "1"
        )
        _answer_callback(query_id, "Obrigado pela avaliação!" if saved else "")
        return 0
    _answer_callback(query_id)
    if text.strip() == "/start":
        return send_messages(chat_id, [BotMessage("utter_welcome", settings.FAQ_WELCOME_TEXT)])
    reply = channel_answer(text=text, channel=CHANNEL, sender=str(chat_id))
    rating_markup = None
    if reply.rateable and not reply.messages[-1].buttons:
        rating_markup = _with_rating(reply.message_id)
    return send_messages(chat_id, reply.messages, last_markup=rating_markup)


def _refuse(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest) -> JsonResponse:
    if not settings.TELEGRAM_BOT_TOKEN:
        return _refuse(404, "O canal Telegram não está configurado.")
    expected = settings.TELEGRAM_WEBHOOK_SECRET
    given = request.META.get(SECRET_HEADER, "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        logger.warning(
            "telegram: refused an update from %s without the right secret token (header %s)",
            client_ip(request),
            "present" if given else "absent",
        )
        return _refuse(403, "Token secreto ausente ou incorreto.")
    if len(request.body) > MAX_BODY:
        return _refuse(413, "Atualização grande demais.")
    try:
        update = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _refuse(400, "O corpo não é um JSON válido.")
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        return _refuse(400, "Atualização do Telegram sem update_id.")
    # Telegram re-sends an update it thinks failed: answer each update_id once.
    if not cache.add(f"telegram:update:{update['update_id']}", 1, timeout=24 * 3600):
        return JsonResponse({"ok": True, "duplicate": True})
    handle_update(update)
    return JsonResponse({"ok": True})
