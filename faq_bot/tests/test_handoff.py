"""Human handoff: asking for a person, the staff inbox in the admin, replies, the bot's silence."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from faq_bot.handoff import next_opening, waiting_text
from faq_bot.models import Conversation, Handoff, Message, StaffReply
from faq_bot.training import faq_train_blocking
from model_store.serving import clear_cache

from .conftest import build_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained(db, settings):
    settings.MODEL_STORE_CHECK_SECONDS = 0
    settings.FAQ_HANDOFF_DAYS = [0, 1, 2, 3, 4, 5, 6]
    settings.FAQ_HANDOFF_HOURS = "00:00-00:00"
    clear_cache()
    build_content()
    faq_train_blocking()


def chat(client, message: str, conversation: str | None = None) -> dict:
    body = {"message": message, **({"conversation_id": conversation} if conversation else {})}
    response = client.post("/api/faq/chat/?channel=web", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def replies(client, conversation: str, after: int = 0) -> dict:
    response = client.get(f"/api/faq/chat/{conversation}/replies/?after={after}")
    assert response.status_code == 200, response.content
    return response.json()


def test_asking_for_a_person_puts_the_conversation_in_the_inbox_and_silences_the_bot(client, trained, editor_user):
    first = chat(client, "oi")
    conversation = first["conversation_id"]
    asked = chat(client, "Quero falar com um atendente, por favor", conversation)
    assert asked["handoff"] == "waiting"
    assert [m["text"] for m in asked["messages"]] == [
        "Certo, vou chamar uma pessoa da equipe. Fique nesta conversa: a resposta aparece aqui."
    ]
    handoff = Handoff.objects.get()
    assert handoff.reason == "asked" and handoff.status == "waiting"

    # Meanwhile the bot answers nothing, even to a question it knows.
    quiet = chat(client, "esqueci minha senha", conversation)
    assert quiet["messages"] == [] and quiet["answer"] == "" and quiet["handoff"] == "waiting"
    held = Message.objects.get(pk=quiet["message_id"])
    assert held.to_staff and held.intent == "" and not held.fallback

    # Staff see it in the inbox and reply; replying takes the conversation.
    staff = client.__class__()
    staff.force_login(editor_user)
    inbox = staff.get("/admin/faq_bot/handoff/").content.decode()
    assert "aguardando" in inbox and "esqueci minha senha" in inbox
    page = staff.get(f"/admin/faq_bot/handoff/{handoff.pk}/change/").content.decode()
    assert "Quero falar com um atendente" in page and "Enviar resposta" in page
    response = staff.post(
        f"/admin/faq_bot/handoff/{handoff.pk}/change/", {"action": "reply", "text": "Olá, sou a Ana. Qual o PRONAC?"}
    )
    assert response.status_code == 302
    handoff.refresh_from_db()
    assert handoff.status == "active" and handoff.taken_by == editor_user

    # The citizen's page receives it.
    got = replies(client, conversation)
    assert got["handoff"] == "active"
    assert [(r["text"], r["author"]) for r in got["replies"]] == [("Olá, sou a Ana. Qual o PRONAC?", "Atendente")]
    assert replies(client, conversation, after=got["replies"][0]["id"])["replies"] == []
    assert StaffReply.objects.get().delivered_at is not None

    # Closing hands the conversation back: the citizen is told, and the bot answers again.
    staff.post(f"/admin/faq_bot/handoff/{handoff.pk}/change/", {"action": "close"})
    handoff.refresh_from_db()
    assert handoff.status == "closed" and handoff.closed_at is not None
    last = replies(client, conversation, after=got["replies"][0]["id"])
    assert last["handoff"] == "" and last["replies"][0]["author"] == "Assistente"
    back = chat(client, "esqueci minha senha", conversation)
    assert back["handoff"] == "" and back["answer"] == "Resposta sobre senha."
    assert not Conversation.objects.get().with_staff


def test_the_button_and_consecutive_fallbacks_ask_for_a_person(client, trained, settings):
    settings.FAQ_FALLBACK_MIN_CONFIDENCE = 1.01  # every typed message is a fallback
    settings.FAQ_HANDOFF_AFTER_FALLBACKS = 3
    one = chat(client, "xyzzy")
    conversation = one["conversation_id"]
    assert one["messages"][-1]["buttons"][-1] == {"title": "Falar com um atendente", "payload": "/falar_com_atendente"}
    two = chat(client, "plugh", conversation)
    assert two["handoff"] == "" and not Handoff.objects.exists()
    three = chat(client, "abracadabra", conversation)
    assert three["handoff"] == "waiting" and three["fallback"] is True
    assert "chamar uma pessoa" in three["messages"][-1]["text"] and three["suggestions"] == []
    assert Handoff.objects.get().reason == "fallbacks"

    # The button on another conversation.
    other = chat(client, "/falar_com_atendente")
    assert other["handoff"] == "waiting"
    assert Handoff.objects.filter(reason="button").count() == 1
    # Asking again while waiting does not open a second request.
    chat(client, "/falar_com_atendente", other["conversation_id"])
    assert Handoff.objects.count() == 2


def test_outside_office_hours_the_citizen_is_told_when_someone_answers(settings):
    settings.FAQ_HANDOFF_DAYS = [0, 1, 2, 3, 4]
    settings.FAQ_HANDOFF_HOURS = "08:00-18:00"
    tz = timezone.get_current_timezone()
    saturday_night = datetime(2026, 11, 28, 22, 30, tzinfo=tz)
    monday = next_opening(saturday_night)
    assert (monday.weekday(), monday.hour, monday.day) == (0, 8, 30)
    assert waiting_text(saturday_night) == (
        "Nossa equipe atende das 08:00 às 18:00 (de segunda a sexta). Sua conversa ficou na fila e uma pessoa "
        "responderá aqui a partir de segunda-feira, 30/11 às 08:00."
    )
    assert next_opening(datetime(2026, 11, 30, 9, 0, tzinfo=tz)) is None  # Monday 9:00: someone is there
    early = next_opening(datetime(2026, 12, 1, 7, 0, tzinfo=tz))
    assert (early.day, early.hour) == (1, 8)


def test_handoffs_are_counted_on_the_quality_panel_and_the_inbox_needs_permission(
    client, trained, editor_user, evaluator_user
):
    chat(client, "quero falar com uma pessoa")
    staff = client.__class__()
    staff.force_login(editor_user)
    panel = staff.get("/admin/faq_bot/message/quality/").content.decode()
    assert "Pedidos de atendimento nos últimos 30 dias: <strong>1</strong>" in panel
    outsider = client.__class__()
    outsider.force_login(evaluator_user)
    assert outsider.get("/admin/faq_bot/handoff/").status_code in (302, 403)
    handoff = Handoff.objects.get()
    outsider.post(f"/admin/faq_bot/handoff/{handoff.pk}/change/", {"action": "reply", "text": "x"})
    assert not StaffReply.objects.exists()


def test_the_replies_endpoint_refuses_bad_input(client, trained):
    conversation = chat(client, "oi")["conversation_id"]
    assert client.get(f"/api/faq/chat/{conversation}/replies/?after=-1").status_code == 400
    assert client.get(f"/api/faq/chat/{conversation}/replies/?after=abc").status_code == 400
    missing = client.get("/api/faq/chat/0b8f7c1e-2f4a-4d59-9b43-3d3c7f1a2b10/replies/")
    assert missing.status_code == 404 and missing.json()["detail"] == "Conversa não encontrada."
    assert replies(client, conversation) == {"handoff": "", "replies": []}
