from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class PingApi(APIView):
    """The smallest DRF endpoint: a liveness probe, and the reference the parse benchmark compares to."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        responses=inline_serializer("Pong", fields={"pong": serializers.BooleanField()}),
        summary=_("Está no ar?"),
        description=_('Responde `{"pong": true}` sem tocar no banco.'),
    )
    def get(self, request: Request) -> Response:
        return Response({"pong": True})
