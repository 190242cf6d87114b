"""The Socket.IO channel with a real python-socketio client against uvicorn: Rasa's protocol."""

from __future__ import annotations

import queue

import pytest
import socketio

from faq_bot.models import (
    Answer,
    Conversation,
    Feedback,
    Intent,
    IntentResponse,
    Message,
    Response,
    ResponseButton,
    ResponseVariant,
)
from faq_bot.training import faq_train_blocking

from .channels import start_asgi
from .conftest import build_content

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class Widget:
    """A client that behaves like rasa-webchat: session_request on connect, user_uttered, bot_uttered."""

    def __init__(self, base: str, *, origin: str | None = None, transports=("websocket",)) -> None:
        self.base, self.origin, self.transports = base, origin, list(transports)
        self.events: queue.Queue = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("bot_uttered", lambda data: self.events.put(("bot_uttered", data)))
        self.sio.on("session_confirm", lambda data: self.events.put(("session_confirm", data)))
        self.sio.on("feedback_saved", lambda data: self.events.put(("feedback_saved", data)))

    def connect(self, session_id: str | None = None) -> str:
        headers = {"Origin": self.origin} if self.origin else {}
        self.sio.connect(self.base, socketio_path="/socket.io/", transports=self.transports, headers=headers)
        self.sio.emit("session_request", {"session_id": session_id})
        kind, data = self.events.get(timeout=10)
        assert kind == "session_confirm"
        return data

    def say(self, text: str, session_id: str, *, expect: int) -> list[dict]:
        self.sio.emit("user_uttered", {"message": text, "session_id": session_id, "customData": {"language": "pt-br"}})
        return [self.next() for _ in range(expect)]

    def next(self, timeout: float = 15) -> dict:
        kind, data = self.events.get(timeout=timeout)
        assert kind == "bot_uttered", (kind, data)
        return data

    def quiet(self, seconds: float = 1.5) -> bool:
        try:
            self.events.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


def _content() -> None:
    build_content()
    Answer.objects.filter(intent__name="senha").update(text="Resposta sobre senha.\n\nVeja também o manual.")
    follow_up = Response.objects.create(name="utter_mais_ajuda")
    ResponseVariant.objects.create(response=follow_up, text="Quer ajuda com mais algo?")
    ResponseButton.objects.create(response=follow_up, title="Sim", payload="/saudacao", position=0)
    ResponseButton.objects.create(response=follow_up, title="Prazo", payload="/prazo_contas", position=1)
    senha = Intent.objects.get(name="senha")
    IntentResponse.objects.create(intent=senha, response="utter_senha", position=0)
    IntentResponse.objects.create(intent=senha, response="utter_mais_ajuda", position=1)
    faq_train_blocking()


def test_session_text_quick_replies_payloads_and_reconnect_with_the_same_session(spawn):
    _content()
    base = start_asgi(spawn)
    widget = Widget(base)
    session_id = widget.connect()
    assert isinstance(session_id, str) and len(session_id) >= 16  # a new session when the client has none

    # The widget's initPayload names an intent that this content lacks: the welcome text, not an error.
    (welcome,) = widget.say("/cumprimentar", session_id, expect=1)
    assert welcome == {"text": "Olá! Sou o assistente da Lei Rouanet e do SALIC. Como posso ajudar?"}

    first, also, second = widget.say("esqueci minha senha", session_id, expect=3)
    assert first == {"text": "Resposta sobre senha."}  # Rasa splits a text on blank lines into bubbles
    assert also == {"text": "Veja também o manual."}
    assert second["text"] == "Quer ajuda com mais algo?"
    assert second["quick_replies"] == [
        {"content_type": "text", "title": "Sim", "payload": "/saudacao"},
        {"content_type": "text", "title": "Prazo", "payload": "/prazo_contas"},
    ]
    (answer,) = widget.say("/prazo_contas", session_id, expect=1)  # a clicked quick reply sends its payload
    picked = Message.objects.get(text="/prazo_contas")
    assert answer == {"text": "Resposta sobre prazo_contas.", "metadata": {"message_id": picked.pk}}
    # The last bubble's id rates the answer: the same feedback as the chat page's 👍/👎.
    widget.sio.emit("feedback", {"message_id": picked.pk, "helpful": True})
    assert widget.events.get(timeout=10) == ("feedback_saved", {"message_id": picked.pk, "saved": True})
    assert Feedback.objects.get(message=picked).helpful is True
    widget.sio.disconnect()

    # Reconnect with the stored session id (rasa-webchat keeps it in storage): same conversation.
    again = Widget(base, transports=("polling", "websocket"))
    assert again.connect(session_id) == session_id
    (hello,) = again.say("oi", session_id, expect=1)
    assert hello["text"] == "Resposta sobre saudacao."
    # Another session cannot rate this one's answers.
    stranger = Widget(base)
    stranger.connect()
    stranger.sio.emit("feedback", {"message_id": picked.pk, "helpful": False})
    assert stranger.events.get(timeout=10) == ("feedback_saved", {"message_id": picked.pk, "saved": False})
    stranger.sio.disconnect()
    again.sio.disconnect()
    assert Feedback.objects.get(message=picked).helpful is True

    conversation = Conversation.objects.get(channel="socketio")
    assert conversation.sender_id == session_id
    logged = list(conversation.messages.order_by("id").values_list("text", "intent", "source"))
    assert logged == [
        ("esqueci minha senha", "senha", "typed"),
        ("/prazo_contas", "prazo_contas", "suggestion"),
        ("oi", "saudacao", "typed"),
    ]
    assert [t["intent"] for t in conversation.turns] == ["senha", "prazo_contas", "saudacao"]


def test_bad_events_are_ignored_and_foreign_origins_are_refused(spawn):
    _content()
    base = start_asgi(spawn, FAQ_SOCKETIO_ALLOWED_ORIGINS="https://portal.example.gov.br")
    # (polling: websocket-client adds an Origin header of its own)
    widget = Widget(base, origin="https://portal.example.gov.br", transports=("polling",))
    session_id = widget.connect("../../etc/passwd")  # not a valid id: a new one is issued
    assert session_id != "../../etc/passwd"
    widget.sio.emit("user_uttered", {"message": ["not", "text"]})
    widget.sio.emit("user_uttered", "just a string")
    widget.sio.emit("user_uttered", {"message": "   "})
    assert widget.quiet()
    (too_long,) = widget.say("a" * 1001, session_id, expect=1)
    assert "passa de 1000 caracteres" in too_long["text"]
    (answer,) = widget.say("qual o prazo da prestação de contas", session_id, expect=1)
    assert answer["text"] == "Resposta sobre prazo_contas."
    widget.sio.disconnect()
    assert Message.objects.count() == 1

    stranger = Widget(base, origin="https://evil.example.com", transports=("polling",))
    with pytest.raises(socketio.exceptions.ConnectionError):
        stranger.connect()


def test_the_widget_is_throttled_like_the_rest_channels(spawn, tmp_path):
    _content()
    # A fresh VAR_DIR: its file cache holds no counts from the other tests' messages.
    base = start_asgi(spawn, THROTTLE_ANON_CHAT="3/min", VAR_DIR=str(tmp_path), REDIS_URL="")
    widget = Widget(base)
    session_id = widget.connect()
    texts = [widget.say("oi", session_id, expect=1)[0]["text"] for _ in range(5)]
    widget.sio.disconnect()
    assert texts[:3] == ["Resposta sobre saudacao."] * 3
    assert texts[3:] == ["Muitas mensagens em pouco tempo. Aguarde um minuto e tente de novo."] * 2
    assert Message.objects.count() == 3


def test_staff_replies_are_pushed_to_the_widget_and_the_bot_stays_quiet(spawn, settings):
    from django.contrib.auth.models import User

    from faq_bot.handoff import handoff_close, handoff_reply
    from faq_bot.models import Handoff

    _content()
    base = start_asgi(spawn, FAQ_HANDOFF_DAYS="0,1,2,3,4,5,6", FAQ_HANDOFF_HOURS="00:00-00:00")
    widget = Widget(base)
    session_id = widget.connect()
    (notice,) = widget.say("quero falar com um atendente", session_id, expect=1)
    assert "chamar uma pessoa" in notice["text"]
    widget.sio.emit("user_uttered", {"message": "esqueci minha senha", "session_id": session_id})
    assert widget.quiet()  # held by a person: no bot answer

    ana = User.objects.create_user("ana", first_name="Ana", is_staff=True)
    handoff = Handoff.objects.get(conversation__sender_id=session_id)
    handoff_reply(handoff, ana, "Oi! Eu vejo sua senha com você.")
    assert widget.next() == {"text": "Atendente Ana: Oi! Eu vejo sua senha com você."}
    handoff.refresh_from_db()
    handoff_close(handoff, ana)
    assert widget.next()["text"].startswith("O atendimento foi encerrado.")
    (answer, also, more) = widget.say("esqueci minha senha", session_id, expect=3)
    assert answer == {"text": "Resposta sobre senha."}
    widget.sio.disconnect()
