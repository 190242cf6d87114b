"""Error handlers that answer JSON to API clients and a plain pt-BR page to people."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/webhooks/", "/healthz")) or "application/json" in request.headers.get(
        "Accept", ""
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Não encontrado."}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Erro interno. A equipe foi avisada."}, status=500)
    return render(request, "500.html", status=500)
