"""What the OpenAPI schema says about error answers and text inputs, shared by every app's API.

The schema is a contract that `core/tests/test_api_fuzz.py` checks by fuzzing: every status a view
can answer is listed with its body, and text fields state the rules DRF applies to them.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

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
    reason = serializers.CharField(required=False, help_text=_("por que nenhum modelo pode responder"))


# DRF answers input it cannot parse with {"detail": ...} and invalid fields with their messages.
VALIDATION_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

_ERRORS = {
    400: (VALIDATION_ERROR, _("Entrada inválida; as mensagens, em pt-BR, vêm por campo")),
    403: (
        ErrorSerializer,
        _("Sem permissão: credenciais ausentes ou inválidas, perfil errado, ou POST de sessão sem token CSRF"),
    ),
    404: (ErrorSerializer, _("Não encontrado")),
    409: (ErrorSerializer, _("Recusado pelo registro de modelos (veja `detail`)")),
    415: (ErrorSerializer, _("Tipo de corpo não aceito; envie JSON")),
    429: (ErrorSerializer, _("Muitos pedidos; tente de novo depois do tempo do cabeçalho `Retry-After`")),
    503: (
        UnavailableSerializer,
        _("Indisponível no momento (nenhum modelo em produção, banco fora do ar); tente mais tarde"),
    ),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for the given error statuses, to merge into `extend_schema(responses=...)`."""
    return {code: OpenApiResponse(response=_ERRORS[code][0], description=_ERRORS[code][1]) for code in codes}


class FlatBody:
    """Validates request bodies with a flat serializer's own fields and messages, built once.

    DRF deep-copies every declared field each time a serializer is instantiated (~0.1–0.3 ms for a
    few fields); the public chat paths validate with the same fields kept from one instance instead.
    Only for serializers without nested fields or `validate*` methods (the constructor checks).
    """

    def __init__(self, serializer_class: type[serializers.Serializer]) -> None:
        prototype = serializer_class()
        if any(name.startswith("validate") for name in vars(serializer_class)):
            raise TypeError(f"{serializer_class.__name__} has validate methods; use the serializer itself")
        if any(isinstance(f, serializers.BaseSerializer) for f in prototype.fields.values()):
            raise TypeError(f"{serializer_class.__name__} nests serializers; use the serializer itself")
        self.fields = prototype.fields
        self.not_an_object = prototype.error_messages["invalid"]

    def validate(self, data: object) -> dict:
        """The validated data, or a ValidationError shaped exactly as the serializer raises it."""
        if not isinstance(data, Mapping):
            message = self.not_an_object.format(datatype=type(data).__name__)
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]}, code="invalid")
        validated, errors = {}, {}
        for name, field in self.fields.items():
            try:
                validated[name] = field.run_validation(field.get_value(data))
            except serializers.ValidationError as exc:
                errors[name] = exc.detail
            except SkipField:
                pass
        if errors:
            raise serializers.ValidationError(errors)
        return validated
