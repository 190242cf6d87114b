from __future__ import annotations

from .base import Indicator, Legacy, Result, indicator, segment_outliers


@indicator
class ApprovedTotal(Indicator):
    """Sum of the approved line totals in R$; unusual when far above the segment (log scale)."""

    name = "approved_total"
    weight = 1
    title = "Valor total aprovado"
    description = "Soma dos valores aprovados das linhas do orçamento (R$). Incomum quando muito acima do segmento."
    unit = "R$"
    level = "segment"
    legacy = Legacy(
        "approved_funds",
        2,
        note="Same quantity; ours compares on a log scale with median/MAD instead of mean + 1.5σ on reais.",
    )
    segment_distribution = True
    log_scale = True

    def compute(self, frames, fitted, *, earlier=None):
        totals = frames.lines.groupby("project")["total"].sum()
        table, fitted = segment_outliers(totals, frames, fitted, log=True)
        return Result(table), fitted
