"""SALIC data: projects with their budget lines, payment receipts and fundraising, and the imports.

Every imported table has a natural key from SALIC (PRONAC, line id, receipt id + line, …) besides
Django's surrogate id; imports upsert by that key. Money is stored as float, in reais (BRL): the
values come from spreadsheets with two decimals, and indicators aggregate them with pandas/numpy,
where float is what they compute in anyway.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from model_store.models import DatasetSnapshot


class Area(models.Model):
    """A cultural area (Artes Cênicas, Música, …); SALIC identifies it by a short code."""

    code = models.CharField("código", max_length=20, unique=True)
    name = models.CharField("nome", max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "área"
        verbose_name_plural = "áreas"

    def __str__(self) -> str:
        return f"{self.code} – {self.name}" if self.name else self.code


class Segment(models.Model):
    """A segment inside an area (Teatro, Dança, …): the peer group of the indicators."""

    code = models.CharField("código", max_length=20, unique=True)
    name = models.CharField("nome", max_length=200, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="segments", verbose_name="área")

    class Meta:
        ordering = ["code"]
        verbose_name = "segmento"
        verbose_name_plural = "segmentos"

    def __str__(self) -> str:
        return f"{self.code} – {self.name}" if self.name else self.code


class Proponent(models.Model):
    """The person or organisation that proposes projects, identified by CPF or CNPJ digits."""

    proponent_id = models.CharField("CPF/CNPJ", max_length=20, unique=True)
    name = models.CharField("nome", max_length=300, blank=True)
    uf = models.CharField("UF", max_length=2, blank=True)

    class Meta:
        ordering = ["proponent_id"]
        verbose_name = "proponente"
        verbose_name_plural = "proponentes"

    def __str__(self) -> str:
        return f"{self.proponent_id} – {self.name}" if self.name else self.proponent_id


class ImportRun(models.Model):
    """One `salic_import`: its files, row counts, data snapshot and the projects whose data changed."""

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", "concluída"
        PARTIAL = "partial", "concluída com linhas rejeitadas"

    files = models.JSONField("arquivos", default=list, help_text="name, kind, encoding, delimiter, sha256, rows")
    dialect = models.CharField("dialeto", max_length=16, default="standard")
    counts = models.JSONField("contagens", default=dict, help_text="per table: read, valid, rejected, changed…")
    snapshot = models.ForeignKey(
        DatasetSnapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="snapshot"
    )
    status = models.CharField("situação", max_length=16, choices=Status.choices, default=Status.SUCCEEDED)
    touched_projects = models.PositiveIntegerField("projetos alterados", default=0)
    rejected_rows = models.PositiveIntegerField("linhas rejeitadas", default=0)
    rejects_path = models.CharField("arquivo de rejeitadas", max_length=500, blank=True)
    started_at = models.DateTimeField("início", default=timezone.now)
    finished_at = models.DateTimeField("fim", null=True, blank=True)
    touched = models.ManyToManyField(
        "Project", through="ImportTouch", related_name="imports", verbose_name="projetos alterados"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "importação"
        verbose_name_plural = "importações"

    def __str__(self) -> str:
        return f"importação #{self.pk} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def duration_seconds(self) -> float | None:
        if not self.finished_at:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 1)


class Project(models.Model):
    """A cultural project, identified by its PRONAC."""

    pronac = models.CharField("PRONAC", max_length=20, unique=True)
    name = models.CharField("nome", max_length=500)
    proponent = models.ForeignKey(
        Proponent, on_delete=models.PROTECT, related_name="projects", verbose_name="proponente"
    )
    # Indexed by the (area, uf) and (segment, uf) indexes below, which lead with these columns.
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="projects", verbose_name="área", db_index=False
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, related_name="projects", verbose_name="segmento", db_index=False
    )
    uf = models.CharField("UF", max_length=2, blank=True)
    situation = models.CharField("situação", max_length=200, blank=True)
    submitted_at = models.DateField("protocolo", null=True, blank=True)
    execution_start = models.DateField("início da execução", null=True, blank=True)
    execution_end = models.DateField("fim da execução", null=True, blank=True)
    last_import = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="última importação que o alterou",
    )
    updated_at = models.DateTimeField("alterado em", default=timezone.now)

    class Meta:
        ordering = ["pronac"]
        verbose_name = "projeto"
        verbose_name_plural = "projetos"
        indexes = [
            # Dashboards filter by area/segment and UF together; the FK indexes cover each alone.
            models.Index(fields=["segment", "uf"], name="salic_project_segment_uf"),
            models.Index(fields=["area", "uf"], name="salic_project_area_uf"),
            models.Index(fields=["uf"], name="salic_project_uf"),
        ]

    def __str__(self) -> str:
        return f"{self.pronac} – {self.name}"


class ImportTouch(models.Model):
    """Which projects an import changed: the input of incremental recomputation."""

    import_run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="touches")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="touches")

    class Meta:
        verbose_name = "projeto alterado por importação"
        verbose_name_plural = "projetos alterados por importação"
        constraints = [
            models.UniqueConstraint(fields=["import_run", "project"], name="salic_importtouch_unique"),
        ]

    def __str__(self) -> str:
        return f"importação #{self.import_run_id} → projeto #{self.project_id}"


class BudgetLine(models.Model):
    """An approved budget line (SALIC's idPlanilhaAprovacao). Prices and totals in reais."""

    line_id = models.BigIntegerField("id da linha", unique=True)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name="projeto")
    item_id = models.IntegerField("id do item")
    item_name = models.CharField("item", max_length=500)
    stage = models.CharField("etapa", max_length=200, blank=True)
    unit = models.CharField("unidade", max_length=100, blank=True)
    quantity = models.FloatField("quantidade")
    occurrences = models.FloatField("ocorrências", default=1)
    days = models.IntegerField("dias", null=True, blank=True)
    unit_price_requested = models.FloatField("valor unitário solicitado (R$)", null=True, blank=True)
    unit_price_approved = models.FloatField("valor unitário aprovado (R$)")
    total_approved = models.FloatField("total aprovado (R$)")
    uf = models.CharField("UF", max_length=2, blank=True)
    city_code = models.CharField("município (IBGE)", max_length=20, blank=True)
    product_id = models.IntegerField("id do produto", null=True, blank=True)

    class Meta:
        ordering = ["line_id"]
        verbose_name = "linha orçamentária"
        verbose_name_plural = "linhas orçamentárias"
        indexes = [
            # Item price tables group every line of an item (per segment via the project).
            models.Index(fields=["item_id", "project"], name="salic_line_item_project"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="salic_line_quantity_gte_0"),
            models.CheckConstraint(condition=Q(occurrences__gte=0), name="salic_line_occurrences_gte_0"),
            models.CheckConstraint(condition=Q(days__gte=0) | Q(days__isnull=True), name="salic_line_days_gte_0"),
            models.CheckConstraint(
                condition=Q(unit_price_requested__gte=0) | Q(unit_price_requested__isnull=True),
                name="salic_line_price_requested_gte_0",
            ),
            models.CheckConstraint(condition=Q(unit_price_approved__gte=0), name="salic_line_price_approved_gte_0"),
            models.CheckConstraint(condition=Q(total_approved__gte=0), name="salic_line_total_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} – {self.item_name}"


class Supplier(models.Model):
    """Who was paid (CPF or CNPJ digits)."""

    supplier_id = models.CharField("CPF/CNPJ", max_length=20, unique=True)
    name = models.CharField("nome", max_length=300, blank=True)

    class Meta:
        ordering = ["supplier_id"]
        verbose_name = "fornecedor"
        verbose_name_plural = "fornecedores"

    def __str__(self) -> str:
        return f"{self.supplier_id} – {self.name}" if self.name else self.supplier_id


class PaymentType(models.TextChoices):
    CHEQUE = "cheque", "cheque"
    TRANSFER = "transfer", "transferência"
    CASH = "cash", "saque/dinheiro"
    UNKNOWN = "unknown", "desconhecido"


class Receipt(models.Model):
    """One allocation of a payment receipt to a budget line; one receipt may cover several lines.

    `amount` is the part of the receipt allocated to this line, in reais. `project` repeats the
    line's project so per-project aggregations need no join through 2M budget lines.
    """

    receipt_id = models.BigIntegerField("id do comprovante")
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="receipts", verbose_name="linha")
    # Indexed by (project, receipt_id) below.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="receipts", verbose_name="projeto", db_index=False
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="receipts", verbose_name="fornecedor")
    amount = models.FloatField("valor (R$)")
    payment_type = models.CharField("forma de pagamento", max_length=8, choices=PaymentType.choices)
    paid_at = models.DateField("data do pagamento", null=True, blank=True)

    class Meta:
        ordering = ["receipt_id", "line_id"]
        verbose_name = "comprovante"
        verbose_name_plural = "comprovantes"
        constraints = [
            # Also the index for lookups by receipt_id (its leading column).
            models.UniqueConstraint(fields=["receipt_id", "line"], name="salic_receipt_unique_line"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="salic_receipt_amount_gte_0"),
            models.CheckConstraint(
                condition=Q(payment_type__in=PaymentType.values), name="salic_receipt_payment_type_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "receipt_id"], name="salic_receipt_project_rid"),
        ]

    def __str__(self) -> str:
        return f"comprovante {self.receipt_id} → linha {self.line_id}"


class Fundraising(models.Model):
    """Money raised from a sponsor (captação), in reais.

    `row_key` makes re-imports idempotent: `id:<Idcaptacao>` when the file gives the row's own id
    (SALIC's captação extract; `source_id` in our dialect), so a corrected amount updates the row;
    otherwise sha256 of pronac, sponsor, date, amount and the occurrence number of identical rows
    in the file, so a corrected row is a new row and the old one is removed by the re-import.
    """

    row_key = models.CharField("chave", max_length=64, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundraising", verbose_name="projeto")
    sponsor_id = models.CharField("incentivador (CPF/CNPJ)", max_length=20, blank=True)
    amount = models.FloatField("valor captado (R$)")
    received_at = models.DateField("data do recibo", null=True, blank=True)

    class Meta:
        ordering = ["project_id", "received_at"]
        verbose_name = "captação"
        verbose_name_plural = "captações"
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="salic_fundraising_amount_gte_0")]

    def __str__(self) -> str:
        return f"captação {self.amount:.2f} ({self.received_at or 's/ data'})"


class ProjectScore(models.Model):
    """One project's indicators and complexity under one salic_complexity model version."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scores", verbose_name="projeto")
    model_version = models.ForeignKey(
        "model_store.ModelVersion", on_delete=models.CASCADE, related_name="+", verbose_name="versão do modelo"
    )
    complexity = models.FloatField("complexidade")
    base_complexity = models.FloatField("complexidade sem histórico do proponente")
    band = models.CharField("faixa", max_length=16, db_index=True)
    # Σ weight × how far outside its range each unusual indicator is: orders projects of equal complexity.
    severity = models.FloatField("gravidade", default=0.0)
    indicators = models.JSONField("indicadores", default=dict)
    # The "salic-ml 2019" profile: the original project's metrics and formula, for comparison.
    legacy_complexity = models.FloatField("complexidade salic-ml 2019", null=True, blank=True)
    legacy_metrics = models.JSONField("métricas salic-ml 2019", default=dict, blank=True)

    class Meta:
        verbose_name = "nota de projeto"
        verbose_name_plural = "notas de projetos"
        constraints = [
            models.UniqueConstraint(fields=["model_version", "project"], name="projectscore_unique_version_project"),
            models.CheckConstraint(condition=models.Q(complexity__gte=0, complexity__lte=10), name="projectscore_0_10"),
        ]
        indexes = [
            models.Index(fields=["model_version", "-complexity", "-severity", "project"], name="score_version_rank"),
            models.Index(fields=["model_version", "band"], name="score_version_band"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} v{self.model_version_id}: {self.complexity}"


class EvaluatorFeedback(models.Model):
    """An evaluator's verdict on one project's diagnosis under one model version.

    The rating (1–5) says how complex the analysis really was; `indicator_votes` maps an indicator
    name to True (useful) or False (not useful), only for the indicators the evaluator judged. Kept
    per model version so weights can later be calibrated against what evaluators saw.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="evaluator_feedback", verbose_name="projeto"
    )
    model_version = models.ForeignKey(
        "model_store.ModelVersion", on_delete=models.PROTECT, related_name="+", verbose_name="versão do modelo"
    )
    # "auth.User" rather than settings.AUTH_USER_MODEL only to keep this addition self-contained;
    # the migration still records the swappable dependency.
    user = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="salic_feedback", verbose_name="avaliador"
    )
    rating = models.PositiveSmallIntegerField("complexidade real (1–5)")
    indicator_votes = models.JSONField("utilidade dos indicadores", default=dict, blank=True)
    comment = models.TextField("comentário", blank=True, max_length=2000)
    created_at = models.DateTimeField("criada em", default=timezone.now)
    updated_at = models.DateTimeField("atualizada em", default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "avaliação de diagnóstico"
        verbose_name_plural = "avaliações de diagnósticos"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "model_version", "user"], name="evaluatorfeedback_one_per_user_version"
            ),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="evaluatorfeedback_rating_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} v{self.model_version_id} por {self.user_id}: {self.rating}"
