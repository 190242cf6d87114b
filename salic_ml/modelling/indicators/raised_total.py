from __future__ import annotations

from .base import Indicator, Legacy, Result, indicator, segment_outliers


@indicator
class RaisedTotal(Indicator):
    """Money raised from sponsors (valor captado) in R$; unusual when far above the segment (log scale)."""

    name = "raised_total"
    weight = 1
    title = "Valor captado"
    description = "Soma das captações do projeto junto a incentivadores (R$). Incomum quando muito acima do segmento."
    unit = "R$"
    level = "segment"
    segment_distribution = True
    log_scale = True
    legacy = Legacy(
        "valor_captado",
        2,
        note="Same quantity (sum of fundraising); ours compares on a log scale with median/MAD, projects without "
        "fundraising are not valid instead of counting as zero.",
    )

    def compute(self, frames, fitted, *, earlier=None):
        raised = frames.fundraising.groupby("project")["amount"].sum().astype(float)
        table, fitted = segment_outliers(raised[raised > 0], frames, fitted, log=True)
        return Result(table), fitted
