from __future__ import annotations

from rest_framework import serializers

from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.scoring import BAND_LABELS
from salic_ml.models import ProjectScore
from salic_ml.selectors import population_fit_version, public_url


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
    excess = serializers.FloatField(
        allow_null=True,
        required=False,
        help_text="Quanto o valor fica fora da faixa esperada, em larguras da faixa (0 dentro dela; no máximo 5).",
    )
    evidence = serializers.ListField(child=serializers.DictField())


class ScoringModelRef(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.IntegerField()
    population_fit_version = serializers.IntegerField(
        help_text="Versão cujo treino completo ajustou os indicadores populacionais (a anomalia multivariada). "
        "Recálculos incrementais reaproveitam esse ajuste; só um treino completo o refaz."
    )


class LegacyMetric(serializers.Serializer):
    indicator = serializers.CharField(help_text="indicador nosso que sucede esta métrica")
    value = serializers.FloatField(allow_null=True)
    threshold = serializers.FloatField(allow_null=True, help_text="média ± 1,5 desvio-padrão do segmento")
    is_outlier = serializers.BooleanField()
    weight = serializers.FloatField()


class LegacyProfile(serializers.Serializer):
    complexity = serializers.FloatField(allow_null=True, help_text="10 × Σ peso·sinal / 22, como no salic-ml de 2019")
    metrics = serializers.DictField(child=LegacyMetric())


class ProjectListSerializer(serializers.ModelSerializer):
    pronac = serializers.CharField(source="project.pronac")
    name = serializers.CharField(source="project.name")
    area = serializers.SerializerMethodField()
    segment = serializers.SerializerMethodField()
    uf = serializers.CharField(source="project.uf")
    band_label = serializers.SerializerMethodField()
    severity = serializers.FloatField(
        help_text="Gravidade: Σ peso × distância fora da faixa dos indicadores incomuns; desempata a complexidade."
    )
    salic_ml_2019 = serializers.FloatField(
        source="legacy_complexity", allow_null=True, help_text="Nota pelo perfil salic-ml 2019 (regras originais)."
    )
    public_url = serializers.SerializerMethodField(help_text="Página pública do projeto (ex.: VerSALIC).")

    class Meta:
        model = ProjectScore
        fields = [
            "pronac",
            "name",
            "area",
            "segment",
            "uf",
            "complexity",
            "band",
            "band_label",
            "severity",
            "salic_ml_2019",
            "public_url",
        ]

    def get_public_url(self, obj: ProjectScore) -> str:
        return public_url(obj.project.pronac)

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
    severity = serializers.FloatField()
    salic_ml_2019 = LegacyProfile()
    public_url = serializers.CharField()

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
            "model": {
                "name": score.model_version.name,
                "version": score.model_version.version,
                "population_fit_version": population_fit_version(score.model_version),
            },
            "severity": score.severity,
            "salic_ml_2019": {"complexity": score.legacy_complexity, "metrics": score.legacy_metrics or {}},
            "public_url": public_url(project.pronac),
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
