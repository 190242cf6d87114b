"""The model registry: data snapshots, signed model versions, promotions and training runs."""

from __future__ import annotations

import zlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class DatasetSnapshot(models.Model):
    """The exact training rows a model came from, canonical and compressed, so it can be rebuilt."""

    class Kind(models.TextChoices):
        FAQ = "faq", "FAQ"
        SALIC = "salic", "SALIC"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of the canonical serialisation")
    row_counts = models.JSONField(default=dict)
    source = models.TextField(blank=True)
    data = models.BinaryField(null=True, editable=False, help_text="zlib-compressed canonical JSON")
    data_size = models.PositiveBigIntegerField(default=0)
    extra = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "fingerprint"], name="snapshot_unique_fingerprint")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.fingerprint[:12]}"

    def canonical_bytes(self) -> bytes:
        return zlib.decompress(bytes(self.data)) if self.data else b""


class ModelName(models.Model):
    """One row per model name; its row lock serialises version allocation and promotions."""

    name = models.SlugField(max_length=64, unique=True)
    last_version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class ModelVersionQuerySet(models.QuerySet):
    def production(self) -> ModelVersionQuerySet:
        return self.filter(status=ModelVersion.Status.PRODUCTION)

    def for_name(self, name: str) -> ModelVersionQuerySet:
        return self.filter(name=name)

    def with_artifact(self) -> ModelVersionQuerySet:
        return self.filter(artifact__isnull=False)  # the reverse one-to-one of ModelArtifact


class ModelVersion(models.Model):
    class Status(models.TextChoices):
        CANDIDATE = "candidate", "candidato"
        PRODUCTION = "production", "produção"
        REJECTED = "rejected", "rejeitado"
        ARCHIVED = "archived", "arquivado"

    name = models.SlugField(max_length=64)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CANDIDATE)
    artifact_size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    signature = models.CharField(max_length=64, help_text="HMAC-SHA256 of name, version and sha256")
    library_versions = models.JSONField(default=dict)
    code_version = models.CharField(max_length=64, blank=True)
    training_key = models.CharField(max_length=64, db_index=True, help_text="data + params + code + libraries")
    params = models.JSONField(default=dict)
    metrics = models.JSONField(default=dict)
    report = models.JSONField(default=dict)
    dataset = models.ForeignKey(
        DatasetSnapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )
    compared_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    gate_passed = models.BooleanField(null=True)
    gate_reasons = models.JSONField(default=list, blank=True)
    training_seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)

    objects = ModelVersionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="modelversion_unique_name_version"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(status="production"), name="modelversion_one_production_per_name"
            ),
        ]
        indexes = [models.Index(fields=["name", "status"])]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def artifact_bytes(self) -> bytes | None:
        """The stored artifact (one query), or None once pruned."""
        data = ModelArtifact.objects.filter(version_id=self.pk).values_list("data", flat=True).first()
        return None if data is None else bytes(data)

    def has_artifact(self) -> bool:
        return ModelArtifact.objects.filter(version_id=self.pk).exists()

    def library_mismatches(self) -> dict[str, tuple[str, str]]:
        """Libraries whose version differs between training and this process: {lib: (then, now)}."""
        from .signing import current_library_versions

        now = current_library_versions()
        return {lib: (then, now.get(lib, "")) for lib, then in self.library_versions.items() if now.get(lib) != then}


class ModelArtifact(models.Model):
    """The signed bytes of one version, in a table of their own: metadata queries (lists, admin,
    API) can never drag megabytes along by accident. Pruning a version deletes its row."""

    version = models.OneToOneField(
        ModelVersion, on_delete=models.CASCADE, primary_key=True, related_name="artifact", verbose_name="versão"
    )
    data = models.BinaryField(editable=False, help_text="joblib, compressed")

    def __str__(self) -> str:
        return f"artifact of version #{self.version_id}"


class Promotion(models.Model):
    """Append-only history of which version served, from when, who decided and why."""

    class Kind(models.TextChoices):
        PROMOTE = "promote", "promoção"
        FORCE = "force", "promoção forçada"
        ROLLBACK = "rollback", "reversão"

    name = models.SlugField(max_length=64)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PROMOTE)
    from_version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="promotions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=150, help_text="username, or 'gate' for automatic promotion")
    reason = models.TextField(blank=True)
    forced = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        src = f"v{self.from_version.version}" if self.from_version_id else "—"
        return f"{self.name}: {src} → v{self.to_version.version} ({self.actor_label})"


class TrainingRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "na fila"
        RUNNING = "running", "em execução"
        SUCCEEDED = "succeeded", "concluído"
        FAILED = "failed", "falhou"
        SKIPPED = "skipped", "ignorado (sem mudanças)"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    name = models.SlugField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    trigger = models.CharField(max_length=64, blank=True, help_text="what asked for this run")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    not_before = models.DateTimeField(null=True, blank=True, help_text="debounced runs start after this time")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="trainingrun_progress_0_100")]
        indexes = [models.Index(fields=["name", "status"])]

    def __str__(self) -> str:
        return f"{self.name} run #{self.pk} ({self.status})"

    def is_stale(self) -> bool:
        """Running, but no heartbeat for longer than MODEL_STORE_HEARTBEAT_TIMEOUT (its worker is gone)."""
        if self.status != self.Status.RUNNING or self.heartbeat_at is None:
            return False
        age = (timezone.now() - self.heartbeat_at).total_seconds()
        return age > settings.MODEL_STORE_HEARTBEAT_TIMEOUT

    @property
    def duration_seconds(self) -> float | None:
        if not self.started_at:
            return None
        end = self.finished_at or timezone.now()
        return round((end - self.started_at).total_seconds(), 1)
