"""Telegram round trip: real update JSON into the webhook, replies to a Bot API stand-in on loopback."""

from __future__ import annotations

import json
import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from faq_bot.models import (
    Answer,
    Conversation,
    Handoff,
    Message,
    Response,
    ResponseButton,
    ResponseVariant,
    StaffReply,
)
from faq_bot.training import faq_train_blocking
from model_store.serving import clear_cache

from .botapi import BotApiStandIn
from .conftest import build_content

TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
SECRET = "segredo-do-webhook_42"
CHAT = {"id": 987654321, "first_name": "Maria", "last_name": "Silva", "username": "maria", "type": "private"}
USER = {"id": 987654321, "is_bot": False, "first_name": "Maria", "last_name": "Silva", "language_code": "pt-br"}


def text_update(update_id: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {"message_id": update_id, "from": USER, "chat": CHAT, "date": 1700000000 + update_id, "text": text},
    }


def callback_update(update_id: int, data: str, title: str) -> dict:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"4382bfdwdsb323b2d9{update_id}",
            "from": USER,
            "message": {
                "message_id": 77,
                "from": {"id": 42, "is_bot": True, "first_name": "Assistente", "username": "rouanet_bot"},
                "chat": CHAT,
                "date": 1700000000,
                "text": "Quer ajuda com mais algo?",
                "reply_markup": {"inline_keyboard": [[{"text": title, "callback_data": data}]]},
            },
            "chat_instance": "-1234567890123456789",
            "data": data,
        },
    }


@pytest.fixture
def cache_clear():
    """Update ids are remembered in the shared cache; each test starts without them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def bot_api(settings):
    with BotApiStandIn(TOKEN) as stand_in:
        settings.TELEGRAM_BOT_TOKEN = TOKEN
        settings.TELEGRAM_WEBHOOK_SECRET = SECRET
        settings.TELEGRAM_API_BASE_URL = stand_in.url
        yield stand_in


@pytest.fixture
def trained(db, settings):
    settings.MODEL_STORE_CHECK_SECONDS = 0
    clear_cache()
    build_content()
    Answer.objects.filter(intent__name="saudacao").delete()  # the named response is the only variant
    response = Response.objects.create(name="utter_saudacao")
    ResponseVariant.objects.create(response=response, text="Olá! Quer saber o prazo das contas?")
    ResponseButton.objects.create(response=response, title="Sim, o prazo", payload="/prazo_contas")
    faq_train_blocking()


def post(client, update: dict, secret: str | None = SECRET):
    headers = {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": secret} if secret is not None else {}
    return client.post("/webhooks/telegram/webhook", json.dumps(update), content_type="application/json", **headers)


def test_text_and_inline_buttons_both_ways(client, trained, bot_api, cache_clear):
    assert post(client, text_update(1, "/start")).status_code == 200
    assert bot_api.sent()[-1]["text"] == "Olá! Sou o assistente da Lei Rouanet e do SALIC. Como posso ajudar?"

    assert post(client, text_update(2, "oi")).status_code == 200
    greeting = bot_api.sent()[-1]
    assert greeting == {
        "chat_id": CHAT["id"],
        "text": "Olá! Quer saber o prazo das contas?",
        "reply_markup": {"inline_keyboard": [[{"text": "Sim, o prazo", "callback_data": "/prazo_contas"}]]},
    }
    # The citizen presses the button: Telegram sends a callback query with the button's data.
    assert post(client, callback_update(3, "/prazo_contas", "Sim, o prazo")).status_code == 200
    assert bot_api.sent("answerCallbackQuery") == [{"callback_query_id": "4382bfdwdsb323b2d93"}]
    answer = bot_api.sent()[-1]
    assert answer["chat_id"] == CHAT["id"] and answer["text"] == "Resposta sobre prazo_contas."
    message = Message.objects.get(text="/prazo_contas")
    assert answer["reply_markup"] == {  # an ordinary answer can be rated, as on the chat page
        "inline_keyboard": [
            [
                {"text": "👍 Ajudou", "callback_data": f"fb:{message.pk}:1"},
                {"text": "👎 Não ajudou", "callback_data": f"fb:{message.pk}:0"},
            ]
        ]
    }

    conversation = Conversation.objects.get(channel="telegram")
    assert conversation.sender_id == str(CHAT["id"])
    assert list(conversation.messages.order_by("id").values_list("text", "intent", "source")) == [
        ("oi", "saudacao", "typed"),
        ("/prazo_contas", "prazo_contas", "suggestion"),
    ]
    # Telegram re-sends an update it believes failed: it is answered once.
    assert post(client, callback_update(3, "/prazo_contas", "Sim, o prazo")).json()["duplicate"] is True
    assert Message.objects.count() == 2


def test_a_fallback_offers_suggestions_and_a_person(client, trained, bot_api, settings, cache_clear):
    settings.FAQ_FALLBACK_MIN_CONFIDENCE = 1.01
    post(client, text_update(10, "xyzzy"))
    keyboard = bot_api.sent()[-1]["reply_markup"]["inline_keyboard"]
    assert keyboard[-1] == [{"text": "Falar com um atendente", "callback_data": "/falar_com_atendente"}]
    assert all(row[0]["callback_data"].startswith("/") for row in keyboard)


def test_forged_updates_are_refused_and_logged(client, trained, bot_api, caplog, cache_clear):
    caplog.set_level(logging.WARNING, logger="faq_bot.channels.telegram")
    assert post(client, text_update(20, "oi"), secret=None).status_code == 403
    assert post(client, text_update(21, "oi"), secret="chute").status_code == 403
    assert bot_api.calls == [] and Message.objects.count() == 0
    refusals = [r for r in caplog.records if "refused an update" in r.getMessage()]
    assert len(refusals) == 2 and "absent" in refusals[0].getMessage() and "present" in refusals[1].getMessage()
    # Bad bodies are a 400 in pt-BR, never a 500.
    bad = client.post(
        "/webhooks/telegram/webhook", b"{", content_type="application/json", HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET
    )
    assert bad.status_code == 400 and bad.json()["detail"] == "O corpo não é um JSON válido."
    assert post(client, {"message": {"text": "oi"}}).status_code == 400
    assert client.get("/webhooks/telegram/webhook").status_code == 405


def test_the_webhook_is_off_without_a_token(client, db, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    assert post(client, text_update(30, "oi")).status_code == 404


def test_the_command_registers_shows_and_removes_the_webhook(bot_api):
    out = StringIO()
    call_command("telegram_webhook", "set", "https://chat.exemplo.gov.br/webhooks/telegram/webhook", stdout=out)
    assert bot_api.webhook["url"] == "https://chat.exemplo.gov.br/webhooks/telegram/webhook"
    assert bot_api.webhook["secret_token"] == SECRET
    assert "callback_query" in bot_api.webhook["allowed_updates"]
    call_command("telegram_webhook", "info", stdout=out)
    call_command("telegram_webhook", "delete", stdout=out)
    assert bot_api.webhook == {}
    text = out.getvalue()
    assert "Webhook registrado" in text and "URL: https://chat.exemplo.gov.br" in text and "Webhook removido" in text
    with pytest.raises(CommandError, match="https://"):
        call_command("telegram_webhook", "set", "http://inseguro.example/x")


def test_handoff_staff_replies_reach_the_telegram_chat(client, trained, bot_api, editor_user, settings, cache_clear):
    settings.FAQ_HANDOFF_DAYS = [0, 1, 2, 3, 4, 5, 6]
    settings.FAQ_HANDOFF_HOURS = "00:00-00:00"
    post(client, text_update(40, "quero falar com um atendente"))
    assert "chamar uma pessoa" in bot_api.sent()[-1]["text"]
    before = len(bot_api.sent())
    post(client, text_update(41, "oi"))  # a person holds the conversation: the bot stays quiet
    assert len(bot_api.sent()) == before

    handoff = Handoff.objects.get(conversation__channel="telegram")
    staff = client.__class__()
    staff.force_login(editor_user)
    staff.post(f"/admin/faq_bot/handoff/{handoff.pk}/change/", {"action": "reply", "text": "Oi, Maria! Como ajudo?"})
    assert bot_api.sent()[-1] == {"chat_id": CHAT["id"], "text": "Atendente: Oi, Maria! Como ajudo?"}
    staff.post(f"/admin/faq_bot/handoff/{handoff.pk}/change/", {"action": "close"})
    assert bot_api.sent()[-1]["text"].startswith("O atendimento foi encerrado.")
    assert StaffReply.objects.filter(delivered_at__isnull=True).count() == 0
    post(client, text_update(42, "oi"))
    assert bot_api.sent()[-1]["text"] == "Olá! Quer saber o prazo das contas?"


def test_ratings_from_telegram_reach_the_same_feedback_and_review_queue(client, trained, bot_api, cache_clear):
    from faq_bot.models import Feedback

    post(client, text_update(50, "qual o prazo da prestação de contas"))
    message = Message.objects.get()
    sent = len(bot_api.sent())
    post(client, callback_update(51, f"fb:{message.pk}:0", "👎 Não ajudou"))
    assert len(bot_api.sent()) == sent  # a rating is not a message to the dialogue
    assert bot_api.sent("answerCallbackQuery")[-1]["text"] == "Obrigado pela avaliação!"
    assert Feedback.objects.get(message=message).helpful is False
    assert Message.objects.needing_review(min_confidence=0.0).get() == message  # unhelpful → review queue
    # Another chat cannot rate this conversation's answers.
    other = callback_update(52, f"fb:{message.pk}:1", "👍 Ajudou")
    other["callback_query"]["message"]["chat"] = {**CHAT, "id": 111}
    post(client, other)
    assert Feedback.objects.get(message=message).helpful is False
    assert Message.objects.count() == 1
