from __future__ import annotations

from .base import Indicator, Legacy, Result, indicator, segment_outliers


@indicator
class ReceiptsCount(Indicator):
    """Number of distinct receipts; unusual when far above the segment (log scale)."""

    name = "receipts_count"
    weight = 1
    title = "Quantidade de comprovantes"
    description = "Número de comprovantes de pagamento do projeto. Incomum quando muito acima do segmento."
    unit = "comprovantes"
    level = "segment"
    legacy = Legacy(
        "total_receipts", 2, note="Same quantity; ours compares on a log scale with median/MAD instead of mean + 1.5σ."
    )
    segment_distribution = True
    log_scale = True

    def compute(self, frames, fitted, *, earlier=None):
        counts = frames.receipts.groupby("project")["receipt_id"].nunique().astype(float)
        table, fitted = segment_outliers(counts, frames, fitted, log=True)
        return Result(table), fitted
