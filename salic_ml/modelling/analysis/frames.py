"""Load the SALIC tables into pandas frames with one SQL query per table (no ORM objects)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db import connection

from salic_ml.models import BudgetLine, Fundraising, Project, Receipt, Segment


@dataclass
class Frames:
    """projects indexed by project id; lines, receipts, fundraising as flat tables."""

    projects: pd.DataFrame  # index id: pronac, segment, area, proponent, execution_end
    lines: pd.DataFrame  # line_id, project, item_id, unit_price, total
    receipts: pd.DataFrame  # receipt_id, line_id, project, supplier, amount, payment_type
    fundraising: pd.DataFrame  # project, amount
    today: date
    supplier_projects: pd.Series  # supplier id → number of distinct projects using it (whole database)

    @classmethod
    def empty_for(cls, projects: pd.DataFrame) -> Frames:
        """Frames holding only a projects table (for indicators that read nothing else)."""
        return cls(projects, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), date.today(), pd.Series(dtype="int64"))


def _frame(sql: str, params: list, columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    if connection.vendor == "postgresql":
        return _copy_frame(sql, params, columns, dtypes)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.astype(dtypes) if len(frame) else frame.astype(dtypes, errors="ignore")


def _copy_frame(sql: str, params: list, columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    """PostgreSQL: stream the query out with COPY … TO STDOUT and parse it with pandas' C reader,
    several times faster than building millions of Python tuples."""
    connection.ensure_connection()
    buffer = io.BytesIO()
    with connection.connection.cursor() as cursor:
        # COPY takes no bind parameters; ours are only area ids, so they are inlined as integers.
        query = sql % tuple(int(p) for p in params) if params else sql
        with cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
            for chunk in copy:
                buffer.write(chunk)
    buffer.seek(0)
    if not buffer.getbuffer().nbytes:
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in columns})
    text_columns = [c for c in columns if c not in dtypes]
    frame = pd.read_csv(buffer, header=None, names=columns, dtype={c: str for c in text_columns})
    return frame.astype(dtypes)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def load_frames(*, area_ids: list[int] | None = None, today: date | None = None) -> Frames:
    """Everything the indicators read, optionally restricted to some areas."""
    where, params = "", []
    if area_ids is not None:
        where = f" WHERE p.area_id IN ({', '.join(['%s'] * len(area_ids))})" if area_ids else " WHERE 1 = 0"
        params = list(area_ids)
    projects = _frame(
        f"SELECT p.id, p.pronac, p.segment_id, s.area_id, p.proponent_id, p.execution_end "
        f"FROM {_table(Project)} p JOIN {_table(Segment)} s ON s.id = p.segment_id{where}",
        params,
        ["id", "pronac", "segment", "area", "proponent", "execution_end"],
        {"id": "int64", "segment": "int64", "area": "int64", "proponent": "int64"},
    ).set_index("id")
    projects["execution_end"] = pd.to_datetime(projects["execution_end"])
    lines = _frame(
        f"SELECT l.line_id, l.project_id, l.item_id, l.unit_price_approved, l.total_approved "
        f"FROM {_table(BudgetLine)} l JOIN {_table(Project)} p ON p.id = l.project_id{where}",
        params,
        ["line_id", "project", "item_id", "unit_price", "total"],
        {"line_id": "int64", "project": "int64", "item_id": "int64", "unit_price": "float64", "total": "float64"},
    )
    receipts = _frame(
        f"SELECT r.receipt_id, l.line_id, r.project_id, r.supplier_id, r.amount, r.payment_type "
        f"FROM {_table(Receipt)} r JOIN {_table(BudgetLine)} l ON l.id = r.line_id "
        f"JOIN {_table(Project)} p ON p.id = r.project_id{where}",
        params,
        ["receipt_id", "line_id", "project", "supplier", "amount", "payment_type"],
        {"receipt_id": "int64", "line_id": "int64", "project": "int64", "supplier": "int64", "amount": "float64"},
    )
    fundraising = _frame(
        f"SELECT f.project_id, f.amount FROM {_table(Fundraising)} f JOIN {_table(Project)} p ON p.id = f.project_id{where}",
        params,
        ["project", "amount"],
        {"project": "int64", "amount": "float64"},
    )
    return Frames(
        projects, lines, receipts, fundraising, today or date.today(), supplier_project_counts(area_ids=area_ids)
    )


def supplier_project_counts(*, area_ids: list[int] | None = None) -> pd.Series:
    """In how many distinct projects each supplier appears, over the whole database.

    With `area_ids`, only the suppliers that these areas' receipts use (the only ones the indicators
    look up) are counted, still across every project.
    """
    where, params = "", []
    if area_ids is not None:
        areas = ", ".join(["%s"] * len(area_ids)) if area_ids else "NULL"
        where = (
            f" WHERE supplier_id IN (SELECT r.supplier_id FROM {_table(Receipt)} r "
            f"JOIN {_table(Project)} p ON p.id = r.project_id WHERE p.area_id IN ({areas}))"
        )
        params = list(area_ids)
    frame = _frame(
        # Distinct pairs first: PostgreSQL hashes them, where COUNT(DISTINCT …) sorts every receipt.
        f"SELECT supplier_id, COUNT(project_id) FROM (SELECT DISTINCT supplier_id, project_id "
        f"FROM {_table(Receipt)}{where}) pairs GROUP BY supplier_id",
        params,
        ["supplier", "projects"],
        {"supplier": "int64", "projects": "int64"},
    )
    return frame.set_index("supplier")["projects"]
