"""Content negotiation for JSON-only machine endpoints."""

from __future__ import annotations

from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation


class JsonOnlyNegotiation(DefaultContentNegotiation):
    """Parsers are chosen as usual (another media type is still a 415); the answer is always the
    view's first renderer, so a client's Accept header is not parsed on every request."""

    def select_renderer(self, request: Any, renderers: list, format_suffix: str | None = None) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type
