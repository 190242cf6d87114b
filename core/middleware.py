"""Small request guards that apply to every URL."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.errors import bad_query, not_found


class RejectNulInPathMiddleware:
    """No URL of ours contains a NUL character; PostgreSQL refuses NUL in any query parameter, so a
    path such as /salic/projects/%00/ or an admin filter ?name=%00 would reach a lookup and fail
    with a 500. Answer 404 (path) or 400 (query string) first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return not_found(request)
        if "%00" in request.META.get("QUERY_STRING", "") and _nul_in_query(request):
            return bad_query(request)
        return self.get_response(request)


def _nul_in_query(request: HttpRequest) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists())
