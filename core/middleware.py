"""Small request guards that apply to every URL."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.errors import not_found


class RejectNulInPathMiddleware:
    """No URL of ours contains a NUL character; PostgreSQL refuses NUL in any query parameter, so a
    path such as /salic/projects/%00/ would reach a lookup and fail with a 500. Answer 404 first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return not_found(request)
        return self.get_response(request)
