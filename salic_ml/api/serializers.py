from __future__ import annotations

from rest_framework import serializers

from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.scoring import BAND_LABELS
from salic_ml.models import ProjectScore


class CodeName(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class IndicatorValue(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    expected_min = serializers.FloatField(allow_null=True)
    expected_max = serializers.FloatField(allow_null=True)
    is_outlier = serializers.BooleanField()
    valid = serializers.BooleanField()
    weight = serializers.FloatField()
    evidence = serializers.ListField(child=serializers.DictField())


class ScoringModelRef(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.IntegerField()


class ProjectListSerializer(serializers.ModelSerializer):
    pronac = serializers.CharField(source="project.pronac")
    name = serializers.CharField(source="project.name")
    area = serializers.SerializerMethodField()
    segment = serializers.SerializerMethodField()
    uf = serializers.CharField(source="project.uf")
    band_label = serializers.SerializerMethodField()

    class Meta:
        model = ProjectScore
        fields = ["pronac", "name", "area", "segment", "uf", "complexity", "band", "band_label"]

    def get_area(self, obj: ProjectScore) -> dict[str, str]:
        return {"code": obj.project.area.code, "name": obj.project.area.name}

    def get_segment(self, obj: ProjectScore) -> dict[str, str]:
        return {"code": obj.project.segment.code, "name": obj.project.segment.name}

    def get_band_label(self, obj: ProjectScore) -> str:
        return BAND_LABELS.get(obj.band, obj.band)


class ProjectDetailSerializer(serializers.Serializer):
    """Um projeto com a nota do modelo em produção e cada indicador."""

    pronac = serializers.CharField()
    name = serializers.CharField()
    area = CodeName()
    segment = CodeName()
    proponent_id = serializers.CharField()
    complexity = serializers.FloatField()
    band = serializers.CharField(help_text="código da faixa, como no filtro `band` da lista")
    band_label = serializers.CharField(help_text="nome da faixa para pessoas")
    indicators = serializers.DictField(child=IndicatorValue())
    model = ScoringModelRef()

    @staticmethod
    def from_score(score: ProjectScore) -> dict:
        project = score.project
        return {
            "pronac": project.pronac,
            "name": project.name,
            "area": {"code": project.area.code, "name": project.area.name},
            "segment": {"code": project.segment.code, "name": project.segment.name},
            "proponent_id": project.proponent.proponent_id,
            "complexity": score.complexity,
            "band": score.band,
            "band_label": BAND_LABELS.get(score.band, score.band),
            "indicators": {name: score.indicators[name] for name in sorted(score.indicators)},
            "model": {"name": score.model_version.name, "version": score.model_version.version},
        }


class IndicatorCatalogSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    weight = serializers.FloatField()
    unit = serializers.CharField()

    @staticmethod
    def catalog(weights: dict[str, float]) -> list[dict]:
        return [
            {
                "name": n,
                "title": i.title,
                "description": i.description,
                "weight": weights.get(n, i.weight),
                "unit": i.unit,
            }
            for n, i in sorted(REGISTRY.items())
        ]


class SegmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    area = CodeName()
    projects = serializers.IntegerField(source="project_count")
