"""FlatBody validates exactly as the serializer it is built from (core/serializers.py)."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from core.serializers import FlatBody
from faq_bot.api import ChatRequest, ParseRequest

UUID = "0b8f7c1e-2f4a-4d59-9b43-3d3c7f1a2b10"
PAYLOADS = [
    {"text": "oi", "message": "oi"},
    {"text": "  oi  ", "message": "  quero  ", "conversation_id": UUID, "intent": "senha"},
    {"message": "oi", "conversation_id": None},
    {},
    {"text": "", "message": ""},
    {"text": None, "message": None},
    {"text": 42, "message": ["oi"]},
    {"text": "x" * 1001, "message": "x" * 1001},
    {"message": "oi", "conversation_id": "not-a-uuid", "intent": ""},
    {"message": "oi", "intent": 7},
    ["oi"],
    "oi",
]  # (request.data is never None: an empty body parses to {})


def outcome(validate):
    try:
        return "ok", dict(validate())
    except serializers.ValidationError as exc:
        return "error", exc.detail


def by_serializer(cls, data):
    def run():
        body = cls(data=data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    return run


@pytest.mark.parametrize("cls", [ParseRequest, ChatRequest])
@pytest.mark.parametrize("data", PAYLOADS)
def test_flat_body_gives_the_serializers_data_and_errors(cls, data):
    assert outcome(lambda: FlatBody(cls).validate(data)) == outcome(by_serializer(cls, data))


def test_flat_body_refuses_serializers_it_cannot_mirror():
    class WithValidate(serializers.Serializer):
        a = serializers.CharField()

        def validate(self, attrs):
            return attrs

    class Nested(serializers.Serializer):
        inner = ParseRequest()

    for cls in (WithValidate, Nested):
        with pytest.raises(TypeError):
            FlatBody(cls)
