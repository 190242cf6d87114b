"""The client's address as every rate limit and lockout sees it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The TCP peer, or — behind TRUSTED_PROXIES proxies — the address the last trusted proxy saw.

    The same rule as DRF's NUM_PROXIES, so login lockouts and API throttles agree; what a client
    writes into X-Forwarded-For itself is never believed.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return remote
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    return addresses[-min(proxies, len(addresses))] if addresses else remote
