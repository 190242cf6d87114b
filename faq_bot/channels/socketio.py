"""Socket.IO channel for rasa-webchat (and any client of Rasa's `socketio` channel), in the ASGI app.

Protocol (Rasa's): the client emits `session_request` {session_id}; we answer `session_confirm` with
the session id (the client's own when it sent a valid one, so a reconnect resumes the conversation,
else a new one). `user_uttered` {message, session_id} carries text or a button payload; answers are
`bot_uttered` events {text} / {text, quick_replies} / {text, buttons}, sent to the session's room;
the last one of an ordinary answer has `metadata.message_id`, which a `feedback` event
{message_id, helpful} rates (acknowledged by `feedback_saved`).
Staff replies of a human handoff are pushed to connected sessions by a background loop.

Origins: FAQ_SOCKETIO_ALLOWED_ORIGINS (empty = same origin only). Throttle: the public chat rate
(`anon_chat`, THROTTLE_ANON_CHAT) per client address, counted in the shared cache so every
process agrees.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from types import SimpleNamespace
from typing import Any

import socketio
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from core.client_ip import client_ip

from ..handoff import author_label, claim_undelivered
from ..models import Conversation
from .common import (
    THROTTLED_TEXT,
    ChannelReply,
    channel_answer,
    channel_feedback,
    socketio_messages,
    throttled,
)

logger = logging.getLogger(__name__)
SESSION_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
CHANNEL = Conversation.Channel.SOCKETIO


def _session_id(data: Any) -> str | None:
    value = data.get("session_id") if isinstance(data, dict) else data if isinstance(data, str) else None
    return value if isinstance(value, str) and SESSION_ID.match(value) else None


def _answer(text: str, session_id: str, ip: str) -> ChannelReply | None:
    """Runs in a worker thread: the throttle (cache) and the dialogue (database)."""
    close_old_connections()
    try:
        if throttled("socketio", ip):
            return None
        return channel_answer(text=text, channel=CHANNEL, sender=session_id)
    finally:
        close_old_connections()


def _feedback(session_id: str, message_id: int, helpful: bool) -> bool:
    close_old_connections()
    try:
        return channel_feedback(channel=CHANNEL, sender=session_id, message_id=message_id, helpful=helpful)
    finally:
        close_old_connections()


def _pending(session_ids: list[str]) -> list[tuple[str, str]]:
    close_old_connections()
    try:
        ids = list(Conversation.objects.filter(channel=CHANNEL, sender_id__in=session_ids).values_list("id", flat=True))
        out = []
        for reply in claim_undelivered(ids):
            label = author_label(reply)
            text = reply.text if reply.author is None else f"{label}: {reply.text}"
            out.append((reply.handoff.conversation.sender_id, text))
        return out
    finally:
        close_old_connections()


class WebchatServer:
    def __init__(self) -> None:
        origins = settings.FAQ_SOCKETIO_ALLOWED_ORIGINS or None  # None: same origin only
        self.sio = socketio.AsyncServer(
            async_mode="asgi", cors_allowed_origins=origins, logger=False, engineio_logger=False
        )
        self.style = settings.FAQ_SOCKETIO_BUTTON_STYLE
        self.sessions: dict[str, int] = {}  # session id → connected sockets
        self.pusher: asyncio.Task | None = None
        self.sio.on("connect", self.connect)
        self.sio.on("disconnect", self.disconnect)
        self.sio.on("session_request", self.session_request)
        self.sio.on("user_uttered", self.user_uttered)
        self.sio.on("feedback", self.feedback)

    async def connect(self, sid: str, environ: dict, auth: Any = None) -> None:
        ip = client_ip(SimpleNamespace(META=environ)) or "unknown"
        await self.sio.save_session(sid, {"ip": ip, "session_id": None})
        if self.pusher is None or self.pusher.done():
            self.pusher = asyncio.get_running_loop().create_task(self.push_staff_replies())

    async def disconnect(self, sid: str, *args: Any) -> None:
        session = await self.sio.get_session(sid)
        session_id = session.get("session_id")
        if session_id and session_id in self.sessions:
            self.sessions[session_id] -= 1
            if self.sessions[session_id] <= 0:
                del self.sessions[session_id]

    async def session_request(self, sid: str, data: Any = None) -> None:
        session = await self.sio.get_session(sid)
        session_id = _session_id(data) or uuid.uuid4().hex
        if session.get("session_id") != session_id:
            await self.disconnect(sid)
            session["session_id"] = session_id
            await self.sio.save_session(sid, session)
            self.sessions[session_id] = self.sessions.get(session_id, 0) + 1
        await self.sio.enter_room(sid, session_id)
        await self.sio.emit("session_confirm", session_id, to=sid)

    async def user_uttered(self, sid: str, data: Any = None) -> None:
        session = await self.sio.get_session(sid)
        message = data.get("message") if isinstance(data, dict) else None
        if not isinstance(message, str) or not message.strip():
            return  # Rasa ignores empty messages too
        session_id = session.get("session_id") or _session_id(data)
        if session_id is None:  # a client that skipped session_request: the socket is the session
            await self.session_request(sid, {"session_id": uuid.uuid4().hex})
            session_id = (await self.sio.get_session(sid))["session_id"]
        reply = await sync_to_async(_answer, thread_sensitive=False)(message, session_id, session["ip"])
        if reply is None:
            logger.warning("socket.io: throttled %s", session["ip"])
            await self.sio.emit("bot_uttered", {"text": THROTTLED_TEXT}, to=sid)
            return
        items = socketio_messages(reply.messages, style=self.style)
        if reply.rateable and items:
            # Rasa's bot messages carry metadata too; a client may rate the answer with this id.
            items[-1]["metadata"] = {"message_id": reply.message_id}
        for item in items:
            await self.sio.emit("bot_uttered", item, room=session_id)

    async def feedback(self, sid: str, data: Any = None) -> None:
        """`feedback` {message_id, helpful}: the chat page's 👍/👎 for widgets that offer it."""
        session = await self.sio.get_session(sid)
        message_id = data.get("message_id") if isinstance(data, dict) else None
        helpful = data.get("helpful") if isinstance(data, dict) else None
        if not session.get("session_id") or not isinstance(message_id, int) or not isinstance(helpful, bool):
            return
        if not 0 < message_id < 2**63:
            return
        saved = await sync_to_async(_feedback, thread_sensitive=False)(session["session_id"], message_id, helpful)
        await self.sio.emit("feedback_saved", {"message_id": message_id, "saved": saved}, to=sid)

    async def push_staff_replies(self) -> None:
        """While sockets are connected, deliver staff replies to their sessions (each exactly once)."""
        interval = max(0.05, settings.FAQ_SOCKETIO_POLL_SECONDS)
        while True:
            await asyncio.sleep(interval)
            if not self.sessions:
                continue
            try:
                pending = await sync_to_async(_pending, thread_sensitive=False)(list(self.sessions))
            except Exception:  # a database hiccup must not stop the loop
                logger.exception("socket.io: could not read staff replies")
                continue
            for session_id, text in pending:
                await self.sio.emit("bot_uttered", {"text": text}, room=session_id)


def asgi_application(django_app: Any) -> socketio.ASGIApp:
    """Socket.IO at /socket.io/ (Rasa's path), everything else to Django."""
    server = WebchatServer()
    return socketio.ASGIApp(server.sio, other_asgi_app=django_app, socketio_path="socket.io")
