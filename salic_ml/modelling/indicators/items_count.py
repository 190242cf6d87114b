from __future__ import annotations

from .base import Indicator, Legacy, Result, indicator, segment_outliers


@indicator
class ItemsCount(Indicator):
    """Number of budget lines; unusual when far above the segment (log scale)."""

    name = "items_count"
    weight = 1
    title = "Quantidade de itens orçamentários"
    description = "Número de linhas do orçamento aprovado. Incomum quando muito acima do típico do segmento."
    unit = "itens"
    level = "segment"
    legacy = Legacy(
        "items",
        2,
        note="Same quantity; ours compares on a log scale with median/MAD (modified z > 3.5) instead of mean + 1.5σ.",
    )
    segment_distribution = True
    log_scale = True

    def compute(self, frames, fitted, *, earlier=None):
        counts = frames.lines.groupby("project").size().astype(float)
        table, fitted = segment_outliers(counts, frames, fitted, log=True)
        return Result(table), fitted
