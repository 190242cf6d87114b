"""Read-only REST for SALIC indicators: evaluators, API clients (token) and staff; nobody anonymous."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import CanReadIndicators
from core.serializers import error_responses
from salic_ml.filters import ProjectScoreFilter
from salic_ml.models import ProjectScore, Segment
from salic_ml.selectors import production_model, score_for, scores_ranked, segment_band_counts, segments_summary

from .serializers import (
    CodeName,
    IndicatorCatalogSerializer,
    ProjectDetailSerializer,
    ProjectListSerializer,
    SegmentSerializer,
)


class ProjectListApi(generics.ListAPIView):
    permission_classes = [CanReadIndicators]
    serializer_class = ProjectListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectScoreFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database access
            return ProjectScore.objects.none()
        return scores_ranked(production_model())

    @extend_schema(
        responses={200: ProjectListSerializer(many=True), **error_responses(400, 403, 404, 503)},
        summary=_("Projetos ordenados por complexidade (modelo em produção), com filtros"),
        description=_("`band` é o código da faixa (normal, complexo, muito_complexo) e `band_label` o nome dela."),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProjectDetailApi(APIView):
    permission_classes = [CanReadIndicators]

    @extend_schema(
        responses={200: ProjectDetailSerializer, **error_responses(403, 404, 503)},
        summary=_("Indicadores e complexidade de um projeto"),
        description=_("A nota do modelo em produção, com cada indicador, o intervalo esperado e as evidências."),
    )
    def get(self, request: Request, pronac: str) -> Response:
        score = score_for(production_model(), pronac)
        if score is None:
            raise NotFound(f"Projeto PRONAC {pronac} não encontrado (ou ainda sem nota).")
        return Response(ProjectDetailSerializer.from_score(score))


class SegmentListApi(generics.ListAPIView):
    permission_classes = [CanReadIndicators]
    serializer_class = SegmentSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Segment.objects.none()
        return segments_summary()

    @extend_schema(
        responses={200: SegmentSerializer(many=True), **error_responses(403, 404, 503)},
        summary=_("Segmentos"),
        description=_("Segmentos com o número de projetos de cada um."),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SegmentDetailApi(APIView):
    permission_classes = [CanReadIndicators]

    @extend_schema(
        responses={
            200: inline_serializer(
                "SegmentDetail",
                fields={
                    "code": serializers.CharField(),
                    "name": serializers.CharField(),
                    "area": CodeName(),
                    "projects": serializers.IntegerField(),
                    "bands": serializers.DictField(child=serializers.IntegerField()),
                    "mean_complexity": serializers.FloatField(allow_null=True),
                },
            ),
            **error_responses(403, 404, 503),
        },
        summary=_("Um segmento com a contagem de projetos por faixa"),
        description=_("Contagens por faixa e complexidade média, pelo modelo em produção."),
    )
    def get(self, request: Request, code: str) -> Response:
        segment = segments_summary().filter(code=code).first()
        if segment is None:
            raise NotFound(f"Segmento {code} não encontrado.")
        stats = segment_band_counts(production_model(), segment)
        return Response(
            {
                "code": segment.code,
                "name": segment.name,
                "area": {"code": segment.area.code, "name": segment.area.name},
                "projects": segment.project_count,
                **stats,
            }
        )


class IndicatorCatalogApi(APIView):
    permission_classes = [CanReadIndicators]

    @extend_schema(
        responses={200: IndicatorCatalogSerializer(many=True), **error_responses(403, 503)},
        summary=_("Catálogo de indicadores"),
        description=_("Nome, título, descrição, peso e unidade de cada indicador."),
    )
    def get(self, request: Request) -> Response:
        model = production_model()
        weights = (model.params or {}).get("weights", {}) if model else {}
        return Response(IndicatorCatalogSerializer.catalog(weights))
