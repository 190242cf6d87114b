"""What the OpenAPI schema says about error answers and text inputs, shared by every app's API.

The schema is a contract that `core/tests/test_api_fuzz.py` checks by fuzzing: every status a view
can answer is listed with its body, and text fields state the rules DRF applies to them.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

# Python's whitespace, which DRF trims, spelled out: JSON Schema regexes are ECMAScript, whose \s
# leaves out U+001C–U+001F and U+0085 and adds U+FEFF.
_SPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

# DRF refuses NUL characters in any text, and blank text where blank is not allowed; these validators
# never fire before DRF's own checks do, they only carry the rule into the schema as a `pattern`.
has_text = RegexValidator(rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$", message="Envie um texto sem caracteres nulos.")
no_nul = RegexValidator(r"^[^\x00]+$", message="Caracteres nulos não são permitidos.")

# The same rules for query parameters, where an empty value means "not given".
QUERY_TEXT = {"type": "string", "pattern": r"^[^\u0000]*$"}


class StrictText(serializers.CharField):
    """A CharField that refuses numbers, lists and objects instead of quietly converting them.

    `max_length` counts the text as sent, before trimming, so that the schema's `maxLength` is exact.
    """

    default_error_messages = {"not_string": "Envie um texto (string)."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_string")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class UnavailableSerializer(ErrorSerializer):
    reason = serializers.CharField(required=False, help_text="why no model can answer")


# DRF answers input it cannot parse with {"detail": ...} and invalid fields with their messages.
VALIDATION_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

_ERRORS = {
    400: (VALIDATION_ERROR, "Invalid input; the pt-BR messages are keyed by field"),
    403: (ErrorSerializer, "Not allowed: no or invalid credentials, wrong role, or a session POST without CSRF token"),
    404: (ErrorSerializer, "Not found"),
    409: (ErrorSerializer, "Refused by the registry (see `detail`)"),
    415: (ErrorSerializer, "Unsupported body media type; send JSON"),
    429: (ErrorSerializer, "Too many requests; retry after the `Retry-After` header"),
    503: (UnavailableSerializer, "Temporarily unavailable (no model in production, database down); retry later"),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for the given error statuses, to merge into `extend_schema(responses=...)`."""
    return {code: OpenApiResponse(response=_ERRORS[code][0], description=_ERRORS[code][1]) for code in codes}
