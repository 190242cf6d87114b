"""FAQ content edited in the admin: intents, examples, answers, golden regression cases, and the
conversation layer: named bot responses, flows (stories, rules, conversation tests) and entities.

Flow steps and answer sequences name intents and responses by string, as Rasa does; validation
(`dialogue_content.faq_content_validate`) reports names that do not exist instead of refusing them.
"""

from __future__ import annotations

from django.conf import settings
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
    annotated = models.CharField(
        "exemplo anotado",
        max_length=1000,
        blank=True,
        help_text='Opcional: o exemplo com entidades marcadas, ex.: "prazo de [captação](tema)".',
    )
    canonical_text = models.CharField("texto canônico", max_length=500, editable=False, db_index=True)
    created_at = models.DateTimeField("criado em", default=timezone.now)

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


response_name_validator = RegexValidator(
    r"^utter_[A-Za-z0-9_./-]+$", "O nome de uma resposta começa com utter_ (ex.: utter_continuar_conversa)."
)


class Response(models.Model):
    """A named bot message (Rasa's `utter_…`): one variant is chosen per reply; buttons are optional."""

    name = models.CharField("nome", max_length=100, unique=True, validators=[response_name_validator])
    updated_at = models.DateTimeField("atualizada em", auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "resposta nomeada"
        verbose_name_plural = "respostas nomeadas"

    def __str__(self) -> str:
        return self.name


class ResponseVariant(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="variants", verbose_name="resposta")
    position = models.PositiveIntegerField("ordem", default=0)
    text = models.TextField("texto", help_text="Use {entidade} para inserir o valor de uma entidade da conversa.")

    class Meta:
        ordering = ["response_id", "position", "id"]
        verbose_name = "variante"
        verbose_name_plural = "variantes (uma é sorteada a cada resposta)"

    def __str__(self) -> str:
        return self.text[:80]


class ResponseButton(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="buttons", verbose_name="resposta")
    position = models.PositiveIntegerField("ordem", default=0)
    title = models.CharField("título", max_length=200)
    payload = models.CharField(
        "mensagem enviada", max_length=500, help_text='O que o botão envia, ex.: "/afirmar" ou "quero me cadastrar".'
    )

    class Meta:
        ordering = ["response_id", "position", "id"]
        verbose_name = "botão"
        verbose_name_plural = "botões"

    def __str__(self) -> str:
        return f"{self.title} → {self.payload}"


class IntentResponse(models.Model):
    """One message of the sequence an intent answers with when no flow decides otherwise."""

    intent = models.ForeignKey(Intent, on_delete=models.CASCADE, related_name="sequence", verbose_name="intenção")
    position = models.PositiveIntegerField("ordem", default=0)
    response = models.CharField(
        "resposta",
        max_length=100,
        validators=[response_name_validator],
        help_text="Nome da resposta, ex.: utter_continuar_conversa; utter_<intenção> usa as respostas da intenção.",
    )

    class Meta:
        ordering = ["intent_id", "position", "id"]
        verbose_name = "resposta da sequência"
        verbose_name_plural = "sequência de respostas (várias mensagens)"

    def __str__(self) -> str:
        return self.response


class Flow(models.Model):
    """A story, a rule or a conversation test: an ordered list of user and bot steps."""

    class Kind(models.TextChoices):
        STORY = "story", "história"
        RULE = "rule", "regra"
        TEST = "test", "teste de conversa"

    name = models.CharField("nome", max_length=200)
    kind = models.CharField("tipo", max_length=8, choices=Kind.choices, default=Kind.STORY, db_index=True)
    active = models.BooleanField("ativo", default=True)
    conversation_start = models.BooleanField(
        "só no início da conversa", default=False, help_text="Regras: valem apenas como primeira mensagem."
    )
    source = models.CharField("origem", max_length=300, blank=True, help_text="arquivo:linha de onde veio")
    updated_at = models.DateTimeField("atualizado em", auto_now=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = "fluxo de conversa"
        verbose_name_plural = "fluxos de conversa (histórias, regras e testes)"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class FlowStep(models.Model):
    class Kind(models.TextChoices):
        INTENT = "intent", "usuário: intenção"
        OR = "or", "usuário: uma das intenções"
        ACTION = "action", "bot: resposta"
        CHECKPOINT = "checkpoint", "ponto de encontro (checkpoint)"

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="steps", verbose_name="fluxo")
    position = models.PositiveIntegerField("ordem", default=0)
    kind = models.CharField("tipo", max_length=12, choices=Kind.choices)
    name = models.CharField(
        "nome",
        max_length=300,
        help_text="Intenção (várias separadas por | em 'uma das intenções'), resposta utter_… ou checkpoint.",
    )
    entities = models.JSONField(
        "entidades",
        default=list,
        blank=True,
        help_text='Lista, ex.: [{"entity": "tema"}] ou [{"entity": "tema", "value": "captacao"}].',
    )
    text = models.CharField("frase do usuário", max_length=500, blank=True, help_text="Testes de conversa.")

    class Meta:
        ordering = ["flow_id", "position", "id"]
        verbose_name = "passo"
        verbose_name_plural = "passos"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def intents(self) -> list[str]:
        return [n.strip() for n in self.name.split("|") if n.strip()]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        entities = self.entities if isinstance(self.entities, list) else None
        if entities is None or not all(isinstance(e, dict) and isinstance(e.get("entity"), str) for e in entities):
            raise ValidationError(
                {"entities": 'Use uma lista como [{"entity": "tema"}] ou [{"entity": "tema", "value": "captacao"}].'}
            )


class Entity(models.Model):
    name = models.CharField("nome", max_length=100, unique=True, validators=[intent_name_validator])

    class Meta:
        ordering = ["name"]
        verbose_name = "entidade"
        verbose_name_plural = "entidades"

    def __str__(self) -> str:
        return self.name


class Synonym(models.Model):
    """Every listed text is read as `value` (Rasa's EntitySynonymMapper)."""

    value = models.CharField("valor", max_length=200, unique=True)
    examples = models.TextField("sinônimos", help_text="Um por linha.")

    class Meta:
        ordering = ["value"]
        verbose_name = "sinônimo"
        verbose_name_plural = "sinônimos"

    def __str__(self) -> str:
        return self.value

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.examples.splitlines() if line.strip()]


class LookupTable(models.Model):
    name = models.CharField("entidade", max_length=100, unique=True)
    elements = models.TextField("valores", help_text="Um por linha.")

    class Meta:
        ordering = ["name"]
        verbose_name = "tabela de valores (lookup)"
        verbose_name_plural = "tabelas de valores (lookup)"

    def __str__(self) -> str:
        return self.name

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.elements.splitlines() if line.strip()]


class RegexPattern(models.Model):
    name = models.CharField("entidade", max_length=100, unique=True)
    patterns = models.TextField("expressões regulares", help_text="Uma por linha.")

    class Meta:
        ordering = ["name"]
        verbose_name = "expressão regular"
        verbose_name_plural = "expressões regulares"

    def __str__(self) -> str:
        return self.name

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.patterns.splitlines() if line.strip()]

    def clean(self) -> None:
        import re

        from django.core.exceptions import ValidationError

        for line in self.lines:
            try:
                re.compile(line)
            except re.error as exc:
                raise ValidationError({"patterns": f"Expressão inválida {line!r}: {exc}"}) from exc


class RegressionCase(models.Model):
    """A golden phrase: the answer it must get from every future model."""

    text = models.CharField("frase", max_length=500)
    expected_intent = models.ForeignKey(
        Intent, on_delete=models.CASCADE, related_name="regression_cases", verbose_name="intenção esperada"
    )
    note = models.CharField("observação", max_length=255, blank=True)
    active = models.BooleanField("ativo", default=True)
    created_at = models.DateTimeField("criado em", default=timezone.now)

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
        SOCKETIO = "socketio", "widget Rasa (Socket.IO)"
        TELEGRAM = "telegram", "Telegram"

    public_id = models.UUIDField("identificador público", unique=True, editable=False)
    channel = models.CharField("canal", max_length=10, choices=Channel.choices, default=Channel.WEB)
    sender_id = models.CharField("remetente", max_length=128, blank=True, db_index=True)
    created_at = models.DateTimeField("início", default=timezone.now, db_index=True)
    # Dialogue state: the recent turns ({"intent", "entities", "actions"}) and slots of the current
    # session; a session ends after FAQ_SESSION_TIMEOUT_MINUTES without messages.
    turns = models.JSONField("turnos recentes", default=list, blank=True)
    slots = models.JSONField("slots", default=dict, blank=True)
    last_active_at = models.DateTimeField("última mensagem", null=True, blank=True)
    # True while a handoff is waiting or in progress (read with the row: no extra query per turn).
    with_staff = models.BooleanField("com atendente", default=False)

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

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", verbose_name="conversa"
    )
    text = models.CharField("mensagem", max_length=1000)
    source = models.CharField("origem", max_length=12, choices=Source.choices, default=Source.TYPED)
    intent = models.CharField("intenção prevista", max_length=100, blank=True, db_index=True)
    confidence = models.FloatField("confiança", null=True, blank=True)
    ranking = models.JSONField("ranking", default=list, blank=True)
    answer = models.TextField("resposta dada", blank=True)
    actions = models.JSONField("respostas dadas (nomes)", default=list, blank=True)
    entities = models.JSONField("entidades", default=list, blank=True)
    model_version = models.ForeignKey(
        "model_store.ModelVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="versão do modelo",
    )
    fallback = models.BooleanField("fallback", default=False)
    # Sent while a person held the conversation: the bot did not read or answer it.
    to_staff = models.BooleanField("para o atendente", default=False)
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
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="feedback", verbose_name="mensagem")
    helpful = models.BooleanField("útil")
    comment = models.CharField("comentário", max_length=1000, blank=True)
    created_at = models.DateTimeField("criada em", default=timezone.now)

    class Meta:
        verbose_name = "avaliação"
        verbose_name_plural = "avaliações"

    def __str__(self) -> str:
        return f"{'👍' if self.helpful else '👎'} {self.message_id}"


class Handoff(models.Model):
    """A citizen's request to talk to a person: the staff inbox ("Atendimento") lists these.

    While a handoff is waiting or in progress the bot stays silent on that conversation; closing it
    hands the conversation back to the bot."""

    class Status(models.TextChoices):
        WAITING = "waiting", "aguardando"
        ACTIVE = "active", "em atendimento"
        CLOSED = "closed", "encerrado"

    class Reason(models.TextChoices):
        ASKED = "asked", "pediu por texto"
        BUTTON = "button", "botão"
        FALLBACKS = "fallbacks", "o assistente não entendeu várias vezes"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="handoffs", verbose_name="conversa"
    )
    status = models.CharField("situação", max_length=8, choices=Status.choices, default=Status.WAITING, db_index=True)
    reason = models.CharField("motivo", max_length=10, choices=Reason.choices, default=Reason.ASKED)
    requested_at = models.DateTimeField("pedido em", default=timezone.now, db_index=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="atendente",
    )
    taken_at = models.DateTimeField("assumido em", null=True, blank=True)
    closed_at = models.DateTimeField("encerrado em", null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        verbose_name = "atendimento"
        verbose_name_plural = "atendimento (conversas com uma pessoa)"
        constraints = [
            models.UniqueConstraint(
                fields=["conversation"],
                condition=~Q(status="closed"),
                name="handoff_one_open_per_conversation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.conversation} ({self.get_status_display()})"


class StaffReply(models.Model):
    """What a person wrote to the citizen; each channel delivers it (page polls, widget and Telegram push)."""

    handoff = models.ForeignKey(Handoff, on_delete=models.CASCADE, related_name="replies", verbose_name="atendimento")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="autor"
    )
    text = models.TextField("mensagem")
    created_at = models.DateTimeField("enviada em", default=timezone.now)
    delivered_at = models.DateTimeField("entregue em", null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "resposta do atendente"
        verbose_name_plural = "respostas do atendente"

    def __str__(self) -> str:
        return self.text[:80]
