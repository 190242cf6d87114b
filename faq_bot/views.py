from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

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
