"""REST for the registry: staff and API clients read; only staff promote or roll back."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import CanOperateModels, IsStaffOrApiClientReadOnly
from core.serializers import error_responses

from .models import ModelVersion
from .selectors import model_names_summary, model_versions_for
from .serializers import (
    ModelNameSerializer,
    ModelVersionDetailSerializer,
    ModelVersionListSerializer,
    PromoteSerializer,
    RollbackSerializer,
)
from .services import RegistryError, model_rollback, model_version_promote


def _version(queryset, name: str, version: int) -> ModelVersion:
    mv = queryset.filter(name=name, version=version).first()
    if mv is None:
        raise NotFound(f"Versão {version} do modelo '{name}' não encontrada.")
    return mv


class ModelNameListApi(APIView):
    permission_classes = [IsStaffOrApiClientReadOnly]

    @extend_schema(
        responses={200: ModelNameSerializer(many=True), **error_responses(403, 503)},
        summary=_("Modelos e a versão de cada um em produção"),
        description=_("Para a equipe e para clientes da API com token."),
    )
    def get(self, request: Request) -> Response:
        return Response(ModelNameSerializer(model_names_summary(), many=True).data)


class ModelVersionListApi(APIView):
    permission_classes = [IsStaffOrApiClientReadOnly]

    @extend_schema(
        responses={200: ModelVersionListSerializer(many=True), **error_responses(403, 404, 503)},
        summary=_("Versões de um modelo, da mais nova à mais antiga"),
        description=_("Com estado, métricas e o resultado do portão de cada versão."),
    )
    def get(self, request: Request, name: str) -> Response:
        versions = list(model_versions_for(name))
        if not versions:
            return Response({"detail": f"Modelo '{name}' não encontrado."}, status=status.HTTP_404_NOT_FOUND)
        return Response(ModelVersionListSerializer(versions, many=True).data)


class ModelVersionDetailApi(APIView):
    permission_classes = [IsStaffOrApiClientReadOnly]

    @extend_schema(
        responses={200: ModelVersionDetailSerializer, **error_responses(403, 404, 503)},
        summary=_("Uma versão com métricas, relatório e portão"),
        description=_("O relatório de avaliação completo e os motivos do portão, em pt-BR."),
    )
    def get(self, request: Request, name: str, version: int) -> Response:
        mv = _version(ModelVersion.objects.select_related("dataset", "compared_to"), name, version)
        return Response(ModelVersionDetailSerializer(mv).data)


class ModelVersionPromoteApi(APIView):
    permission_classes = [CanOperateModels]

    @extend_schema(
        request=PromoteSerializer,
        responses={200: ModelVersionDetailSerializer, **error_responses(400, 403, 404, 409, 415, 503)},
        summary=_("Promover uma versão"),
        description=_("Só a equipe. Uma versão reprovada no portão exige `force` e um motivo."),
    )
    def post(self, request: Request, name: str, version: int) -> Response:
        mv = _version(ModelVersion.objects.all(), name, version)
        body = PromoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            mv = model_version_promote(
                version=mv, actor=request.user, reason=body.validated_data["reason"], force=body.validated_data["force"]
            )
        except RegistryError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(ModelVersionDetailSerializer(mv).data)


class ModelRollbackApi(APIView):
    permission_classes = [CanOperateModels]

    @extend_schema(
        request=RollbackSerializer,
        responses={200: ModelVersionDetailSerializer, **error_responses(400, 403, 404, 409, 415, 503)},
        summary=_("Voltar à versão anterior"),
        description=_("Só a equipe. A versão anterior volta à produção; o motivo fica registrado."),
    )
    def post(self, request: Request, name: str) -> Response:
        body = RollbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not ModelVersion.objects.for_name(name).exists():
            return Response({"detail": f"Modelo '{name}' não encontrado."}, status=status.HTTP_404_NOT_FOUND)
        try:
            mv = model_rollback(name=name, actor=request.user, reason=body.validated_data["reason"])
        except RegistryError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(ModelVersionDetailSerializer(mv).data)
