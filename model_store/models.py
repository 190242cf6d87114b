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

    kind = models.CharField("tipo", max_length=16, choices=Kind.choices)
    fingerprint = models.CharField("impressão digital", max_length=64, help_text="sha256 da serialização canônica")
    row_counts = models.JSONField("linhas", default=dict)
    source = models.TextField("origem", blank=True)
    data = models.BinaryField("dados", null=True, editable=False, help_text="JSON canônico comprimido (zlib)")
    data_size = models.PositiveBigIntegerField("tamanho (bytes)", default=0)
    extra = models.JSONField("extra", default=dict, blank=True)
    created_at = models.DateTimeField("criado em", default=timezone.now)

    class Meta:
        verbose_name = "snapshot de dados"
        verbose_name_plural = "snapshots de dados"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "fingerprint"], name="snapshot_unique_fingerprint")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.fingerprint[:12]}"

    def canonical_bytes(self) -> bytes:
        return zlib.decompress(bytes(self.data)) if self.data else b""


class ModelName(models.Model):
    """One row per model name; its row lock serialises version allocation and promotions."""

    name = models.SlugField("nome", max_length=64, unique=True)
    last_version = models.PositiveIntegerField("última versão", default=0)

    class Meta:
        verbose_name = "nome de modelo"
        verbose_name_plural = "nomes de modelo"

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

    name = models.SlugField("nome", max_length=64)
    version = models.PositiveIntegerField("versão")
    status = models.CharField("estado", max_length=16, choices=Status.choices, default=Status.CANDIDATE)
    artifact_size = models.PositiveBigIntegerField("tamanho do artefato (bytes)", default=0)
    sha256 = models.CharField("sha256", max_length=64)
    signature = models.CharField("assinatura", max_length=64, help_text="HMAC-SHA256 do nome, da versão e do sha256")
    library_versions = models.JSONField("versões das bibliotecas", default=dict)
    code_version = models.CharField("versão do código", max_length=64, blank=True)
    training_key = models.CharField(
        "chave do treino", max_length=64, db_index=True, help_text="dados + parâmetros + código + bibliotecas"
    )
    params = models.JSONField("parâmetros", default=dict)
    metrics = models.JSONField("métricas", default=dict)
    report = models.JSONField("relatório", default=dict)
    dataset = models.ForeignKey(
        DatasetSnapshot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name="snapshot de dados",
    )
    compared_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="comparada com"
    )
    gate_passed = models.BooleanField("passou no portão", null=True)
    gate_reasons = models.JSONField("motivos do portão", default=list, blank=True)
    training_seconds = models.FloatField("tempo de treino (s)", default=0)
    created_at = models.DateTimeField("criada em", default=timezone.now)
    promoted_at = models.DateTimeField("promovida em", null=True, blank=True)

    objects = ModelVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "versão de modelo"
        verbose_name_plural = "versões de modelo"
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
    data = models.BinaryField("bytes", editable=False, help_text="joblib, comprimido")

    class Meta:
        verbose_name = "artefato"
        verbose_name_plural = "artefatos"

    def __str__(self) -> str:
        return f"artefato da versão #{self.version_id}"


class Promotion(models.Model):
    """Append-only history of which version served, from when, who decided and why."""

    class Kind(models.TextChoices):
        PROMOTE = "promote", "promoção"
        FORCE = "force", "promoção forçada"
        ROLLBACK = "rollback", "reversão"

    name = models.SlugField("nome", max_length=64)
    kind = models.CharField("tipo", max_length=16, choices=Kind.choices, default=Kind.PROMOTE)
    from_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="de"
    )
    to_version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="promotions", verbose_name="para"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="responsável"
    )
    actor_label = models.CharField(
        "quem", max_length=150, help_text="usuário, ou 'gate' quando a promoção foi automática"
    )
    reason = models.TextField("motivo", blank=True)
    forced = models.BooleanField("forçada", default=False)
    created_at = models.DateTimeField("quando", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "promoção"
        verbose_name_plural = "promoções"
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

    name = models.SlugField("modelo", max_length=64)
    status = models.CharField("estado", max_length=16, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField("tarefa", max_length=64, blank=True)
    progress = models.PositiveSmallIntegerField("progresso", default=0)
    message = models.CharField("mensagem", max_length=255, blank=True)
    error = models.TextField("erro", blank=True)
    params = models.JSONField("parâmetros", default=dict, blank=True)
    trigger = models.CharField("origem", max_length=64, blank=True, help_text="o que pediu este treino")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="pedido por"
    )
    version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs", verbose_name="versão"
    )
    not_before = models.DateTimeField(
        "não antes de", null=True, blank=True, help_text="treinos agrupados (debounce) começam depois deste horário"
    )
    heartbeat_at = models.DateTimeField("último sinal", null=True, blank=True)
    created_at = models.DateTimeField("criado em", default=timezone.now)
    started_at = models.DateTimeField("iniciado em", null=True, blank=True)
    finished_at = models.DateTimeField("terminado em", null=True, blank=True)

    class Meta:
        verbose_name = "treino"
        verbose_name_plural = "treinos"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="trainingrun_progress_0_100")]
        indexes = [models.Index(fields=["name", "status"])]

    def __str__(self) -> str:
        return f"{self.name}, treino #{self.pk} ({self.get_status_display()})"

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
