"""Content-Security-Policy header on every response.

The policy is static: templates load only same-origin scripts and keep data for scripts in
`json_script` blocks, so no nonce is needed. The setting has the shape of Django 6.0's
`SECURE_CSP` (directive -> list of sources), so moving to Django's own middleware later means
deleting this module and swapping one line in MIDDLEWARE.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def build_policy(directives: Mapping[str, Sequence[str] | bool]) -> str:
    """`{"default-src": ["'self'"], "upgrade-insecure-requests": True}` -> the header value."""
    parts = []
    for name, sources in directives.items():
        if sources is True:
            parts.append(name)
        elif sources:
            parts.append(" ".join([name, *sources]))
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Read per request so tests can switch the policy with the `settings` fixture; a view that
        # sets its own policy keeps it.
        policy = build_policy(getattr(settings, "SECURE_CSP", {}))
        if policy and HEADER not in response:
            response[HEADER] = policy
        return response
