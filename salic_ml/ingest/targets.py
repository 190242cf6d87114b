"""How each table is loaded: the stage it reads and the upsert that maps natural keys to ids."""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from salic_ml.models import Area, BudgetLine, Fundraising, Project, Proponent, Receipt, Segment, Supplier

from .columns import BUDGET_LINES, FUNDRAISING, PROJECTS, RECEIPTS, TEXT, FileSpec
from .writing import Stage, Upsert


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


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
    # Every column is part of row_key, so a conflict means the very same row: nothing to update.
    return Upsert(
        table=Fundraising._meta.db_table,
        insert=("row_key", "project_id", "sponsor_id", "amount", "received_at"),
        select=("s.row_key", "p.id", "s.sponsor_id", "s.amount", "s.received_at"),
        joins=f"JOIN {_t(Project)} p ON p.pronac = s.pronac",
        conflict=("row_key",),
        returning="project_id",
    )


FILE_TARGETS = {
    PROJECTS.kind: Project,
    BUDGET_LINES.kind: BudgetLine,
    RECEIPTS.kind: Receipt,
    FUNDRAISING.kind: Fundraising,
}
