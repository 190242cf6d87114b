from __future__ import annotations

import numpy as np

from .base import EvidenceColumn, Indicator, Result, empty_result, evidence_rows, indicator

FACTOR = 1.5


@indicator
class ReceiptsOverApproved(Indicator):
    """Lines whose receipts add up to more than 1.5 × the line's approved total; one is enough."""

    name = "receipts_over_approved"
    weight = 2
    title = "Comprovantes acima do aprovado"
    description = "Linhas cujos comprovantes somam mais de 150% do valor aprovado da linha. Incomum a partir de uma."
    unit = "linhas"
    evidence_caption = "Linhas com comprovantes acima de 150% do aprovado"
    evidence_columns = (
        EvidenceColumn("Linha", "line_id", "id"),
        EvidenceColumn("Item", "line_id", "item"),
        EvidenceColumn("Total aprovado", "total", "money"),
        EvidenceColumn("Comprovado", "paid", "money"),
        EvidenceColumn("Comprovado ÷ aprovado", "ratio", "ratio"),
    )

    def compute(self, frames, fitted, *, earlier=None):
        paid = frames.receipts.groupby("line_id")["amount"].sum().rename("paid")
        lines = frames.lines.join(paid, on="line_id", how="inner")
        lines = lines.assign(
            over=lines["paid"] > FACTOR * lines["total"], ratio=(lines["paid"] / lines["total"]).round(2)
        )
        per = lines.groupby("project")["over"].sum()
        table = empty_result(frames.projects.index)
        has = table.index.isin(frames.receipts["project"].unique())
        table["value"] = per.reindex(table.index).fillna(0).where(has)
        table["expected_min"] = np.where(has, 0.0, np.nan)
        table["expected_max"] = np.where(has, 0.0, np.nan)
        table["is_outlier"] = has & (table["value"].fillna(0) >= 1)
        table["valid"] = has
        over = lines[lines["over"]].sort_values(["project", "ratio"], ascending=[True, False])
        evidence = evidence_rows(
            over, table.index[table["is_outlier"]], ["line_id", "item_id", "total", "paid", "ratio"]
        )
        return Result(table, evidence), {}
