"""Tiny hand-built Frames for indicator tests (no database)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from salic_ml.modelling.analysis.frames import Frames

TODAY = date(2025, 6, 30)


def build(
    projects: list[dict],
    lines: list[dict] | None = None,
    receipts: list[dict] | None = None,
    fundraising: list[dict] | None = None,
    supplier_projects: dict[int, int] | None = None,
) -> Frames:
    p = pd.DataFrame(projects).set_index("id")
    p["execution_end"] = pd.to_datetime(p.get("execution_end", pd.Series(pd.NaT, index=p.index)))
    for column, default in (("pronac", ""), ("area", 1), ("proponent", 0)):
        if column not in p:
            p[column] = default if column != "pronac" else p.index.astype(str)
    line_cols = ["line_id", "project", "item_id", "unit_price", "total"]
    receipt_cols = ["receipt_id", "line_id", "project", "supplier", "amount", "payment_type"]
    receipts_frame = pd.DataFrame(receipts or [], columns=receipt_cols)
    if supplier_projects is None:
        pairs = receipts_frame[["supplier", "project"]].drop_duplicates()
        supplier_projects = pairs.groupby("supplier").size().to_dict()
    return Frames(
        projects=p,
        lines=pd.DataFrame(lines or [], columns=line_cols),
        receipts=receipts_frame,
        fundraising=pd.DataFrame(fundraising or [], columns=["project", "amount"]),
        today=TODAY,
        supplier_projects=pd.Series(supplier_projects, dtype="int64"),
    )


def segment_of(n: int, *, segment: int = 1, area: int = 1, start: int = 1, proponent_start: int = 1000) -> list[dict]:
    return [{"id": start + i, "segment": segment, "area": area, "proponent": proponent_start + i} for i in range(n)]


def lines_for(project: int, count: int, *, item_id: int = 1, price: float = 100.0, start: int = 0) -> list[dict]:
    return [
        {
            "line_id": project * 1000 + start + i,
            "project": project,
            "item_id": item_id,
            "unit_price": price,
            "total": price,
        }
        for i in range(count)
    ]
