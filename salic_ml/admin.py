"""Admin for imported SALIC data: searchable and read-only (imports are the only writer).

The big tables (2M budget lines, hundreds of thousands of receipts) never get a full COUNT or an
unindexed sort: the paginator counts at most a few thousand rows, sorting is limited to indexed
columns, and a numeric search term becomes exact, indexed lookups.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin

from .models import Area, BudgetLine, Fundraising, ImportRun, Project, Proponent, Receipt, Segment, Supplier


class CappedCountPaginator(Paginator):
    """Counts at most CAP rows (`SELECT COUNT(*) FROM (… LIMIT CAP)`): nobody pages through two
    million lines — they search — and an exact count would scan the table on every page view."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.CAP].count()


class ImportedDataAdmin(ReadOnlyAdmin):
    """View-only: the data comes from `salic_import`; editing a copy here would be overwritten."""

    show_full_result_count = False
    list_per_page = 50


class BigTableAdmin(ImportedDataAdmin):
    paginator = CappedCountPaginator
    numeric_lookups: tuple[str, ...] = ()  # exact lookups tried when the search term is a number
    text_lookups: tuple[str, ...] = ()  # icontains lookups for other terms (slower: use sparingly)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.isdigit():
            condition = Q()
            for lookup in self.numeric_lookups:
                condition |= Q(**{lookup: term})
        else:
            condition = Q()
            for lookup in self.text_lookups:
                condition |= Q(**{f"{lookup}__icontains": term})
        return queryset.filter(condition), False


def _link(model: str, query: str, text: str) -> str:
    return format_html('<a href="{}?{}">{}</a>', reverse(f"admin:salic_ml_{model}_changelist"), query, text)


@admin.register(Area)
class AreaAdmin(ImportedDataAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Segment)
class SegmentAdmin(ImportedDataAdmin):
    list_display = ["code", "name", "area"]
    list_filter = ["area"]
    list_select_related = ["area"]
    search_fields = ["code", "name"]


@admin.register(Proponent)
class ProponentAdmin(ImportedDataAdmin):
    list_display = ["proponent_id", "name", "uf", "projects_link"]
    search_fields = ["=proponent_id", "name"]

    @admin.display(description="projetos")
    def projects_link(self, obj: Proponent) -> str:
        return _link("project", f"proponent__id__exact={obj.pk}", "ver projetos")


class ImportRunFilter(admin.SimpleListFilter):
    """Projects an import changed (the list incremental recomputation works from)."""

    title = "alterado pela importação"
    parameter_name = "import_run"

    def lookups(self, request, model_admin):
        return [(str(run.pk), str(run)) for run in ImportRun.objects.order_by("-pk")[:20]]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(touches__import_run_id=int(self.value()))
        return queryset


@admin.register(Project)
class ProjectAdmin(ImportedDataAdmin):
    list_display = ["pronac", "name", "proponent", "area", "segment", "uf", "situation", "execution_end", "updated_at"]
    list_filter = ["area", "segment", "uf", ImportRunFilter]
    list_select_related = ["proponent", "area", "segment"]
    search_fields = ["=pronac", "name", "=proponent__proponent_id", "proponent__name"]
    readonly_fields = ["data_links"]

    @admin.display(description="dados do projeto")
    def data_links(self, obj: Project) -> str:
        query = f"project__id__exact={obj.pk}"
        return format_html(
            "{} · {} · {}",
            _link("budgetline", query, f"{obj.budget_lines.count()} linhas orçamentárias"),
            _link("receipt", query, f"{obj.receipts.count()} comprovantes"),
            _link("fundraising", query, f"{obj.fundraising.count()} captações"),
        )


@admin.register(BudgetLine)
class BudgetLineAdmin(BigTableAdmin):
    list_display = ["line_id", "pronac", "item_id", "item_name", "quantity", "unit_price_approved", "total_approved"]
    list_select_related = ["project"]
    sortable_by = ["line_id"]
    search_fields = ["item_name"]  # shows the search box; get_search_results does the work
    search_help_text = "Número: PRONAC, id da linha ou id do item. Texto: parte do nome do item."
    numeric_lookups = ("project__pronac", "line_id", "item_id")
    text_lookups = ("item_name",)

    @admin.display(description="PRONAC", ordering="project__pronac")
    def pronac(self, obj: BudgetLine) -> str:
        return obj.project.pronac


@admin.register(Receipt)
class ReceiptAdmin(BigTableAdmin):
    list_display = ["receipt_id", "line_number", "pronac", "supplier", "amount", "payment_type", "paid_at"]
    list_filter = ["payment_type"]
    list_select_related = ["project", "line", "supplier"]
    sortable_by = ["receipt_id"]
    search_fields = ["supplier__name"]
    search_help_text = "Número: id do comprovante, PRONAC, id da linha ou CPF/CNPJ. Texto: nome do fornecedor."
    numeric_lookups = ("receipt_id", "project__pronac", "line__line_id", "supplier__supplier_id")
    text_lookups = ("supplier__name",)

    @admin.display(description="PRONAC")
    def pronac(self, obj: Receipt) -> str:
        return obj.project.pronac

    @admin.display(description="linha")
    def line_number(self, obj: Receipt) -> int:
        return obj.line.line_id


@admin.register(Supplier)
class SupplierAdmin(BigTableAdmin):
    list_display = ["supplier_id", "name", "receipts_link"]
    sortable_by = ["supplier_id"]
    search_fields = ["name"]
    search_help_text = "Número: CPF/CNPJ. Texto: parte do nome."
    numeric_lookups = ("supplier_id",)
    text_lookups = ("name",)

    @admin.display(description="comprovantes")
    def receipts_link(self, obj: Supplier) -> str:
        return _link("receipt", f"supplier__id__exact={obj.pk}", "ver comprovantes")


@admin.register(Fundraising)
class FundraisingAdmin(BigTableAdmin):
    list_display = ["pronac", "sponsor_id", "amount", "received_at"]
    list_select_related = ["project"]
    sortable_by = []
    search_fields = ["sponsor_id"]
    search_help_text = "PRONAC ou CPF/CNPJ do incentivador."
    numeric_lookups = ("project__pronac", "sponsor_id")
    exclude = ["row_key"]

    @admin.display(description="PRONAC")
    def pronac(self, obj: Fundraising) -> str:
        return obj.project.pronac


@admin.register(ImportRun)
class ImportRunAdmin(ImportedDataAdmin):
    list_display = [
        "__str__",
        "status",
        "dialect",
        "rows",
        "touched_link",
        "rejected_rows",
        "fingerprint",
        "duration_seconds",
    ]
    list_filter = ["status", "dialect"]
    fields = [
        "started_at",
        "finished_at",
        "status",
        "dialect",
        "files",
        "counts",
        "touched_link",
        "rejected_rows",
        "rejects_path",
        "snapshot",
    ]
    readonly_fields = ["touched_link"]
    list_select_related = ["snapshot"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The snapshot's compressed rows can be tens of MB: never load them for a list.
        return super().get_queryset(request).defer("snapshot__data")

    @admin.display(description="linhas importadas")
    def rows(self, obj: ImportRun) -> str:
        counts = [entry.get("valid", 0) for entry in obj.counts.values() if "valid" in entry]
        return f"{sum(counts):,}".replace(",", ".")

    @admin.display(description="projetos alterados", ordering="touched_projects")
    def touched_link(self, obj: ImportRun) -> str:
        return _link("project", f"import_run={obj.pk}", f"{obj.touched_projects:,}".replace(",", "."))

    @admin.display(description="snapshot")
    def fingerprint(self, obj: ImportRun) -> str:
        return obj.snapshot.fingerprint[:12] if obj.snapshot_id else "—"
