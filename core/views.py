from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .health import health_report


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@csrf_exempt  # read-only; exempt so a POST gets a clean 405 rather than a CSRF page
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    database_up, report = health_report(
        with_broker=request.GET.get("broker", "1") != "0", details=bool(request.user.is_staff)
    )
    return JsonResponse(report, status=200 if database_up else 503)
