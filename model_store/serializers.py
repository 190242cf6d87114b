from __future__ import annotations

from rest_framework import serializers

from core.serializers import StrictText, no_nul

from .models import DatasetSnapshot, ModelVersion, Promotion


class ModelNameSerializer(serializers.Serializer):
    name = serializers.CharField()
    latest_version = serializers.IntegerField()
    production_version = serializers.IntegerField(allow_null=True)
    versions = serializers.IntegerField()


class DatasetSnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = DatasetSnapshot
        fields = ["id", "kind", "fingerprint", "row_counts", "source", "data_size", "created_at"]


class ModelVersionListSerializer(serializers.ModelSerializer):
    dataset_fingerprint = serializers.CharField(
        source="dataset.fingerprint", default=None, allow_null=True, read_only=True
    )
    compared_to_version = serializers.IntegerField(
        source="compared_to.version", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = ModelVersion
        fields = [
            "name",
            "version",
            "status",
            "sha256",
            "artifact_size",
            "metrics",
            "gate_passed",
            "gate_reasons",
            "dataset_fingerprint",
            "compared_to_version",
            "training_seconds",
            "created_at",
            "promoted_at",
        ]


class PromotionSerializer(serializers.ModelSerializer):
    from_version = serializers.IntegerField(
        source="from_version.version", default=None, allow_null=True, read_only=True
    )
    to_version = serializers.IntegerField(source="to_version.version", read_only=True)

    class Meta:
        model = Promotion
        fields = ["kind", "from_version", "to_version", "actor_label", "reason", "forced", "created_at"]


class ModelVersionDetailSerializer(ModelVersionListSerializer):
    dataset = DatasetSnapshotSerializer(read_only=True)
    artifact_present = serializers.SerializerMethodField()
    library_mismatches = serializers.SerializerMethodField()

    class Meta(ModelVersionListSerializer.Meta):
        fields = ModelVersionListSerializer.Meta.fields + [
            "signature",
            "library_versions",
            "library_mismatches",
            "code_version",
            "params",
            "report",
            "dataset",
            "artifact_present",
        ]

    def get_artifact_present(self, obj: ModelVersion) -> bool:
        return obj.has_artifact()

    def get_library_mismatches(self, obj: ModelVersion) -> dict[str, list[str]]:
        return {lib: list(pair) for lib, pair in obj.library_mismatches().items()}


class PromoteSerializer(serializers.Serializer):
    force = serializers.BooleanField(default=False)
    reason = StrictText(required=False, allow_blank=True, max_length=2000, default="", validators=[no_nul])


class RollbackSerializer(serializers.Serializer):
    reason = StrictText(required=False, allow_blank=True, max_length=2000, default="", validators=[no_nul])
