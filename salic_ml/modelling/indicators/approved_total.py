from __future__ import annotations

from .base import Indicator, Result, indicator, segment_outliers


@indicator
class ApprovedTotal(Indicator):
    """Sum of the approved line totals in R$; unusual when far above the segment (log scale)."""

    name = "approved_total"
    weight = 1
    title = "Valor total aprovado"
    description = "Soma dos valores aprovados das linhas do orçamento (R$). Incomum quando muito acima do segmento."
    unit = "R$"
    level = "segment"
    segment_distribution = True
    log_scale = True

    def compute(self, frames, fitted, *, earlier=None):
        totals = frames.lines.groupby("project")["total"].sum()
        table, fitted = segment_outliers(totals, frames, fitted, log=True)
        return Result(table), fitted
