"""How each table is loaded: the stage it reads and the upsert that maps natural keys to ids."""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from salic_ml.models import Area, BudgetLine, Fundraising, Project, Proponent, Receipt, Segment, Supplier

from .columns import BUDGET_LINES, FUNDRAISING, PROJECTS, RECEIPTS, TEXT, FileSpec
from .writing import Prune, PrunePlan, Stage, Upsert


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _t(model) -> str:
    return _q(model._meta.db_table)


def stage_for(spec: FileSpec) -> Stage:
    return Stage(name=f"salic_stage_{spec.kind}", columns=spec.names, types=tuple(c.kind for c in spec.columns))


AREAS_STAGE = Stage("salic_stage_areas", ("code", "name"), (TEXT, TEXT))
SEGMENTS_STAGE = Stage("salic_stage_segments", ("code", "area_code", "name"), (TEXT, TEXT, TEXT))
PROPONENTS_STAGE = Stage("salic_stage_proponents", ("proponent_id",), (TEXT,))
SUPPLIERS_STAGE = Stage("salic_stage_suppliers", ("supplier_id", "name"), (TEXT, TEXT))


def area_upsert() -> Upsert:
    return Upsert(
        table=Area._meta.db_table,
        insert=("code", "name"),
        select=("s.code", "s.name"),
        joins="",
        conflict=("code",),
        update=("name",),
        keep_when_blank=frozenset({"name"}),
    )


def segment_upsert() -> Upsert:
    return Upsert(
        table=Segment._meta.db_table,
        insert=("code", "name", "area_id"),
        select=("s.code", "s.name", "a.id"),
        joins=f"JOIN {_t(Area)} a ON a.code = s.area_code",
        conflict=("code",),
        update=("name", "area_id"),
        keep_when_blank=frozenset({"name"}),
    )


def proponent_upsert() -> Upsert:
    # The files carry no proponent names; an existing row has nothing to update.
    return Upsert(
        table=Proponent._meta.db_table,
        insert=("proponent_id", "name", "uf"),
        select=("s.proponent_id", "''", "''"),
        joins="",
        conflict=("proponent_id",),
    )


def project_upsert(*, now: datetime) -> Upsert:
    compared = (
        "name",
        "proponent_id",
        "area_id",
        "segment_id",
        "uf",
        "situation",
        "submitted_at",
        "execution_start",
        "execution_end",
    )
    return Upsert(
        table=Project._meta.db_table,
        insert=("pronac", *compared, "updated_at"),
        select=(
            "s.pronac",
            "s.name",
            "pr.id",
            "a.id",
            "sg.id",
            "s.uf",
            "s.situation",
            "s.submitted_at",
            "s.execution_start",
            "s.execution_end",
            "%s",
        ),
        joins=(
            f"JOIN {_t(Proponent)} pr ON pr.proponent_id = s.proponent_id "
            f"JOIN {_t(Area)} a ON a.code = s.area_code "
            f"JOIN {_t(Segment)} sg ON sg.code = s.segment_code"
        ),
        conflict=("pronac",),
        update=compared,
        returning="id",
        params=(connection.ops.adapt_datetimefield_value(now),),
    )


_LINE_VALUES = tuple(c for c in BUDGET_LINES.names if c not in ("line_id", "pronac"))


def budget_line_upsert() -> Upsert:
    return Upsert(
        table=BudgetLine._meta.db_table,
        insert=("line_id", "project_id", *_LINE_VALUES),
        select=("s.line_id", "p.id", *(f"s.{c}" for c in _LINE_VALUES)),
        joins=f"JOIN {_t(Project)} p ON p.pronac = s.pronac",
        conflict=("line_id",),
        update=("project_id", *_LINE_VALUES),
        returning="project_id",
    )


def supplier_upsert() -> Upsert:
    return Upsert(
        table=Supplier._meta.db_table,
        insert=("supplier_id", "name"),
        select=("s.supplier_id", "s.name"),
        joins="",
        conflict=("supplier_id",),
        update=("name",),
        keep_when_blank=frozenset({"name"}),
    )


def receipt_upsert() -> Upsert:
    return Upsert(
        table=Receipt._meta.db_table,
        insert=("receipt_id", "line_id", "project_id", "supplier_id", "amount", "payment_type", "paid_at"),
        select=("s.receipt_id", "b.id", "b.project_id", "su.id", "s.amount", "s.payment_type", "s.paid_at"),
        joins=(
            f"JOIN {_t(BudgetLine)} b ON b.line_id = s.line_id JOIN {_t(Supplier)} su ON su.supplier_id = s.supplier_id"
        ),
        conflict=("receipt_id", "line_id"),
        update=("project_id", "supplier_id", "amount", "payment_type", "paid_at"),
        returning="project_id",
    )


def fundraising_upsert() -> Upsert:
    # A content key covers every column (a conflict is the very same row); an id key (`id:…`)
    # does not, and its row takes the corrected values.
    return Upsert(
        table=Fundraising._meta.db_table,
        insert=("row_key", "project_id", "sponsor_id", "amount", "received_at"),
        select=("s.row_key", "p.id", "s.sponsor_id", "s.amount", "s.received_at"),
        joins=f"JOIN {_t(Project)} p ON p.pronac = s.pronac",
        conflict=("row_key",),
        update=("project_id", "sponsor_id", "amount", "received_at"),
        returning="project_id",
    )


# Removals. For the projects a file holds, stored rows of that table the file lacks are deleted
# (`salic_import_run(append=False)`, the default). Each DELETE returns the project of every deleted
# row, which is how the import counts removals and touches the projects that lost rows. The set of
# projects, and the lines that go, are materialised first: as subqueries, PostgreSQL estimated one
# row for them and planned a scan of the whole stage per removed row.

# Projects with a row refused under --skip-invalid: the file is not their whole truth, so nothing
# of theirs is removed (the refused row's stored version stays).
KEPT_STAGE = Stage("salic_stage_kept", ("pronac",), (TEXT,))
SCOPE = "salic_prune_scope"
GONE_LINES = "salic_prune_gone_lines"


def _scope(stage: Stage) -> tuple[str, str]:
    """The ids of the projects the staged file holds rows for, less those with refused rows."""
    return (
        SCOPE,
        f"SELECT p.id FROM {_t(Project)} p WHERE p.pronac IN (SELECT s.pronac FROM {_q(stage.name)} s) "
        f"AND p.pronac NOT IN (SELECT k.pronac FROM {_q(KEPT_STAGE.name)} k)",
    )


def _delete(model, gone: str, counts_as: str) -> Prune:
    return Prune(
        counts_as=counts_as, sql=f"DELETE FROM {_t(model)} WHERE id IN ({gone}) RETURNING project_id AS returned"
    )


def budget_line_prunes(stage: Stage) -> PrunePlan:
    """Lines the file lacks, and first the receipts allocated to them (counted as receipts)."""
    gone = (
        f"SELECT b.id FROM {_t(BudgetLine)} b WHERE b.project_id IN (SELECT c.id FROM {_q(SCOPE)} c) "
        f"AND NOT EXISTS (SELECT 1 FROM {_q(stage.name)} s WHERE s.line_id = b.line_id)"
    )
    receipts = f"SELECT r.id FROM {_t(Receipt)} r WHERE r.line_id IN (SELECT g.id FROM {_q(GONE_LINES)} g)"
    return PrunePlan(
        temporary=(_scope(stage), (GONE_LINES, gone)),
        prunes=(
            _delete(Receipt, receipts, "receipts"),
            _delete(BudgetLine, f"SELECT g.id FROM {_q(GONE_LINES)} g", "budget_lines"),
        ),
        key=("line_id",),
    )


def receipt_prunes(stage: Stage) -> PrunePlan:
    gone = (
        f"SELECT r.id FROM {_t(Receipt)} r JOIN {_t(BudgetLine)} b ON b.id = r.line_id "
        f"WHERE r.project_id IN (SELECT c.id FROM {_q(SCOPE)} c) AND NOT EXISTS (SELECT 1 FROM {_q(stage.name)} s "
        "WHERE s.receipt_id = r.receipt_id AND s.line_id = b.line_id)"
    )
    return PrunePlan(
        temporary=(_scope(stage),), prunes=(_delete(Receipt, gone, "receipts"),), key=("receipt_id", "line_id")
    )


def fundraising_prunes(stage: Stage) -> PrunePlan:
    gone = (
        f"SELECT f.id FROM {_t(Fundraising)} f WHERE f.project_id IN (SELECT c.id FROM {_q(SCOPE)} c) "
        f"AND NOT EXISTS (SELECT 1 FROM {_q(stage.name)} s WHERE s.row_key = f.row_key)"
    )
    return PrunePlan(temporary=(_scope(stage),), prunes=(_delete(Fundraising, gone, "fundraising"),), key=("row_key",))


PRUNES = {"budget_lines": budget_line_prunes, "receipts": receipt_prunes, "fundraising": fundraising_prunes}


FILE_TARGETS = {
    PROJECTS.kind: Project,
    BUDGET_LINES.kind: BudgetLine,
    RECEIPTS.kind: Receipt,
    FUNDRAISING.kind: Fundraising,
}
