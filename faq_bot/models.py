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


class Conversation(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", "página /chat/"
        API = "api", "API"
        RASA = "rasa", "webhook Rasa"

    public_id = models.UUIDField(unique=True, editable=False)
    channel = models.CharField("canal", max_length=8, choices=Channel.choices, default=Channel.WEB)
    sender_id = models.CharField("remetente", max_length=128, blank=True, db_index=True)
    created_at = models.DateTimeField("início", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "conversa"
        verbose_name_plural = "conversas"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.public_id}"


class MessageQuerySet(models.QuerySet):
    def needing_review(self, *, min_confidence: float) -> MessageQuerySet:
        """Fallbacks, low-confidence answers and answers marked unhelpful that nobody reviewed yet."""
        return self.filter(reviewed=False).filter(
            Q(fallback=True) | Q(confidence__lt=min_confidence) | Q(feedback__helpful=False)
        )


class Message(models.Model):
    class Source(models.TextChoices):
        TYPED = "typed", "digitada"
        SUGGESTION = "suggestion", "sugestão escolhida"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    text = models.CharField("mensagem", max_length=1000)
    source = models.CharField("origem", max_length=12, choices=Source.choices, default=Source.TYPED)
    intent = models.CharField("intenção prevista", max_length=100, blank=True, db_index=True)
    confidence = models.FloatField("confiança", null=True, blank=True)
    ranking = models.JSONField("ranking", default=list, blank=True)
    answer = models.TextField("resposta dada", blank=True)
    model_version = models.ForeignKey(
        "model_store.ModelVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fallback = models.BooleanField("fallback", default=False)
    reviewed = models.BooleanField("revisada", default=False)
    created_at = models.DateTimeField("quando", default=timezone.now, db_index=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "mensagem"
        verbose_name_plural = "mensagens"
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=1),
                name="message_confidence_0_1",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Feedback(models.Model):
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField("útil")
    comment = models.CharField("comentário", max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "avaliação"
        verbose_name_plural = "avaliações"

    def __str__(self) -> str:
        return f"{'👍' if self.helpful else '👎'} {self.message_id}"
