from __future__ import annotations

from .base import Indicator, Legacy, Result, indicator, segment_outliers


@indicator
class VerifiedTotal(Indicator):
    """Money proven by payment receipts (valor comprovado) in R$; unusual when far above the segment (log scale)."""

    name = "verified_total"
    weight = 1
    title = "Valor comprovado"
    description = "Soma dos comprovantes de pagamento do projeto (R$). Incomum quando muito acima do segmento."
    unit = "R$"
    level = "segment"
    segment_distribution = True
    log_scale = True
    legacy = Legacy(
        "valor_comprovado",
        2,
        note="Same quantity (sum of receipts); ours compares on a log scale with median/MAD, projects without "
        "receipts are not valid instead of counting as zero.",
    )

    def compute(self, frames, fitted, *, earlier=None):
        verified = frames.receipts.groupby("project")["amount"].sum().astype(float)
        table, fitted = segment_outliers(verified[verified > 0], frames, fitted, log=True)
        return Result(table), fitted
