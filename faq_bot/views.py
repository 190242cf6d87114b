from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from core.csp import HEADER, build_policy

from .models import Intent


@require_safe
@ensure_csrf_cookie
def chat_page(request: HttpRequest) -> HttpResponse:
    starters = list(
        Intent.objects.active()
        .exclude(name__in=["saudacao", "agradecimento", "despedida", "out_of_scope", "afirmar", "negar", "menu"])
        .order_by("?")
        .values_list("title", flat=True)[:4]
    )
    return render(request, "faq_bot/chat.html", {"starters": starters})


@require_safe
def chat_widget_page(request: HttpRequest) -> HttpResponse:
    """The rasa-webchat widget (vendored from npm) embedded the way Rasa sites do, on our Socket.IO."""
    config = {
        "socketUrl": settings.FAQ_SOCKETIO_URL,  # empty: this page's own origin
        "socketPath": "/socket.io/",
        "initPayload": settings.FAQ_WIDGET_INIT_PAYLOAD,
        "customData": {"language": "pt-br"},
        "title": "Assistente Rouanet",
        "subtitle": "Lei de incentivo e SALIC",
        "inputTextFieldHint": "Digite sua mensagem...",
        "connectingText": "Conectando...",
        "params": {"storage": "session"},
    }
    response = render(request, "faq_bot/widget.html", {"webchat_config": config})
    socket = urlsplit(settings.FAQ_SOCKETIO_URL)
    if socket.scheme in ("http", "https") and socket.netloc:
        # The widget's socket lives on another origin (a separate ASGI process): allow just that one.
        ws = "wss" if socket.scheme == "https" else "ws"
        policy = {**settings.SECURE_CSP}
        policy["connect-src"] = ["'self'", f"{socket.scheme}://{socket.netloc}", f"{ws}://{socket.netloc}"]
        response[HEADER] = build_policy(policy)
    return response
