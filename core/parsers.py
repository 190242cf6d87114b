"""The JSON parser of every API view: bounded nesting, pt-BR errors, never a 500 on hostile bodies."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request of ours nests deeper than a few levels (Rasa's shapes included); 32 leaves room.
MAX_JSON_DEPTH = 32
_OPEN, _CLOSE, _QUOTE, _ESCAPE = frozenset(b"[{"), frozenset(b"]}"), ord('"'), ord("\\")


def json_depth_exceeds(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the brackets outside strings nest deeper than `limit` (one linear pass).

    Runs before json.loads, whose recursion a ~2 KB body of nested brackets would exhaust.
    """
    if raw.count(b"[") + raw.count(b"{") <= limit:  # cannot nest deeper than it has brackets
        return False
    depth, in_string, escaped = 0, False, False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _ESCAPE:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > limit:
                return True
        elif byte in _CLOSE:
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with a nesting limit checked before parsing, and Portuguese messages."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        raw = stream.read() if stream is not None else b""
        if len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise ParseError("Corpo da requisição grande demais.")
        if json_depth_exceeds(raw):
            raise ParseError(f"JSON aninhado demais: no máximo {MAX_JSON_DEPTH} níveis.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(raw.decode(encoding))
        except UnicodeDecodeError:
            raise ParseError("O corpo da requisição não está em UTF-8.") from None
        except (ValueError, RecursionError):
            raise ParseError("JSON inválido.") from None
