"""Error handlers that answer JSON to API clients and a plain pt-BR page to people."""

from __future__ import annotations

import logging

from django.db import DatabaseError, DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger(__name__)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/webhooks/", "/healthz")) or "application/json" in request.headers.get(
        "Accept", ""
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Não encontrado."}, status=404)
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 for what Django refuses before any view (a body over the size limit, a bad host, …)."""
    text = "Requisição inválida ou grande demais."
    if _wants_json(request):
        return JsonResponse({"detail": text}, status=400)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 in pt-BR, saying what the signed-in person may do instead of a bare English page."""
    if _wants_json(request):
        return JsonResponse({"detail": "Você não tem permissão para acessar este recurso."}, status=403)
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def bad_query(request: HttpRequest) -> HttpResponse:
    """400 for a query string no page of ours can use (the JSON or HTML the caller expects)."""
    text = "Parâmetro inválido no endereço: caracteres de controle não são aceitos."
    if _wants_json(request):
        return JsonResponse({"detail": text}, status=400)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Erro interno. A equipe foi avisada."}, status=500)
    return render(request, "500.html", status=500)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus: a database outage is a 503 the client may retry, not a 500."""
    if isinstance(exc, DatabaseError) and not isinstance(exc, IntegrityError | DataError):
        set_rollback()
        logger.error("database unavailable during %s: %s", context.get("view").__class__.__name__, exc)
        return Response(
            {"detail": "Serviço temporariamente indisponível; tente novamente em instantes."},
            status=503,
            headers={"Retry-After": "5"},
        )
    return exception_handler(exc, context)
