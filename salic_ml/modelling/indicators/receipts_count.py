from __future__ import annotations

from .base import Indicator, Result, indicator, segment_outliers


@indicator
class ReceiptsCount(Indicator):
    """Number of distinct receipts; unusual when far above the segment (log scale)."""

    name = "receipts_count"
    weight = 1
    title = "Quantidade de comprovantes"
    description = "Número de comprovantes de pagamento do projeto. Incomum quando muito acima do segmento."
    unit = "comprovantes"
    level = "segment"
    segment_distribution = True
    log_scale = True

    def compute(self, frames, fitted, *, earlier=None):
        counts = frames.receipts.groupby("project")["receipt_id"].nunique().astype(float)
        table, fitted = segment_outliers(counts, frames, fitted, log=True)
        return Result(table), fitted
