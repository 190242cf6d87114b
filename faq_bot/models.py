"""FAQ content edited in the admin: intents, examples, answers and golden regression cases."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from .nlp import canonical

intent_name_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_./-]*$",
    "Use letras minúsculas, números, _, -, . ou / (ex.: prazo_captacao ou explica/intent).",
)


class IntentQuerySet(models.QuerySet):
    def active(self) -> IntentQuerySet:
        return self.filter(active=True)

    def with_counts(self) -> IntentQuerySet:
        return self.annotate(
            example_count=Count("examples", distinct=True), answer_count=Count("answers", distinct=True)
        )


class Intent(models.Model):
    name = models.CharField("nome", max_length=100, unique=True, validators=[intent_name_validator])
    title = models.CharField("título", max_length=200)
    description = models.TextField("descrição", blank=True)
    active = models.BooleanField("ativa", default=True)
    created_at = models.DateTimeField("criada em", default=timezone.now)
    updated_at = models.DateTimeField("atualizada em", auto_now=True)

    objects = IntentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "intenção"
        verbose_name_plural = "intenções"

    def __str__(self) -> str:
        return f"{self.title} ({self.name})"


class Example(models.Model):
    intent = models.ForeignKey(Intent, on_delete=models.CASCADE, related_name="examples", verbose_name="intenção")
    text = models.CharField("exemplo", max_length=500)
    canonical_text = models.CharField(max_length=500, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = "exemplo"
        verbose_name_plural = "exemplos"
        constraints = [
            models.UniqueConstraint(fields=["intent", "canonical_text"], name="example_unique_per_intent"),
            models.CheckConstraint(condition=~Q(canonical_text=""), name="example_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        # Derived column, kept in step with `text` so the unique constraint sees normalised text.
        self.canonical_text = canonical(self.text)
        super().save(*args, **kwargs)


class Answer(models.Model):
    intent = models.ForeignKey(Intent, on_delete=models.CASCADE, related_name="answers", verbose_name="intenção")
    text = models.TextField("resposta", help_text="Texto simples; links e quebras de linha são preservados.")
    active = models.BooleanField("ativa", default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "resposta"
        verbose_name_plural = "respostas"

    def __str__(self) -> str:
        return self.text[:80]


class RegressionCase(models.Model):
    """A golden phrase: the answer it must get from every future model."""

    text = models.CharField("frase", max_length=500)
    expected_intent = models.ForeignKey(
        Intent, on_delete=models.CASCADE, related_name="regression_cases", verbose_name="intenção esperada"
    )
    note = models.CharField("observação", max_length=255, blank=True)
    active = models.BooleanField("ativo", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expected_intent__name", "id"]
        verbose_name = "caso de regressão"
        verbose_name_plural = "casos de regressão (conjunto de ouro)"
        constraints = [models.UniqueConstraint(fields=["text"], name="regressioncase_unique_text")]

    def __str__(self) -> str:
        return f"{self.text} → {self.expected_intent.name}"


class ContentState(models.Model):
    """One row: when FAQ content last changed and which debounced run is waiting for it."""

    changed_at = models.DateTimeField(null=True, blank=True)
    pending_run = models.ForeignKey("model_store.TrainingRun", null=True, blank=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return f"conteúdo alterado em {self.changed_at}"
