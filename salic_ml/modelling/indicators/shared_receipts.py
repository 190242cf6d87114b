"""Receipts allocated to more than one budget line, one indicator per payment type."""

from __future__ import annotations

import numpy as np

from .base import EvidenceColumn, Indicator, Result, empty_result, evidence_rows, indicator


class SharedReceipts(Indicator):
    payment_type: str
    unit = "comprovantes"
    evidence_caption = "Comprovantes rateados entre linhas"
    evidence_columns = (
        EvidenceColumn("Comprovante", "receipt_id", "id"),
        EvidenceColumn("Linhas", "lines", "number"),
        EvidenceColumn("Rateio (linha, item e valor)", "receipt_id", "receipt_allocations"),
        EvidenceColumn("Fornecedor (CPF/CNPJ)", "receipt_id", "receipt_suppliers"),
    )

    def compute(self, frames, fitted, *, earlier=None):
        receipts = frames.receipts
        of_type = receipts[receipts["payment_type"] == self.payment_type]
        lines_per = of_type.groupby(["project", "receipt_id"])["line_id"].nunique().rename("lines").reset_index()
        shared = lines_per[lines_per["lines"] > 1]
        per = shared.groupby("project").size()
        table = empty_result(frames.projects.index)
        has = table.index.isin(receipts["project"].unique())
        table["value"] = per.reindex(table.index).fillna(0).where(has)
        table["expected_min"] = np.where(has, 0.0, np.nan)
        table["expected_max"] = np.where(has, 0.0, np.nan)
        table["is_outlier"] = has & (table["value"].fillna(0) >= 1)
        table["valid"] = has
        shared = shared.sort_values(["project", "lines"], ascending=[True, False])
        evidence = evidence_rows(shared, table.index[table["is_outlier"]], ["receipt_id", "lines"])
        return Result(table, evidence), {}


def _describe(kind: str) -> str:
    return f"Comprovantes pagos por {kind} rateados entre mais de uma linha do orçamento. Incomum a partir de um."


@indicator
class SharedReceiptsTransfer(SharedReceipts):
    name = "shared_receipts_transfer"
    weight = 5
    payment_type = "transfer"
    title = "Comprovantes compartilhados (transferência)"
    description = _describe("transferência")


@indicator
class SharedReceiptsCash(SharedReceipts):
    name = "shared_receipts_cash"
    weight = 5
    payment_type = "cash"
    title = "Comprovantes compartilhados (dinheiro)"
    description = _describe("dinheiro")


@indicator
class SharedReceiptsCheque(SharedReceipts):
    name = "shared_receipts_cheque"
    weight = 1
    payment_type = "cheque"
    title = "Comprovantes compartilhados (cheque)"
    description = _describe("cheque")
