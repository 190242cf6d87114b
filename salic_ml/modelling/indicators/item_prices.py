from __future__ import annotations

import numpy as np
import pandas as pd

from salic_ml.modelling.analysis import robust
from salic_ml.modelling.analysis.keys import pair_codes, rekey, rows_of

from .base import EvidenceColumn, Indicator, Legacy, Result, empty_result, evidence_rows, indicator

MIN_OBSERVATIONS = 5
MAX_SHARE = 0.10


def price_tables(lines: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Median and spread of log unit prices per (segment, item) and per (area, item), with counts."""
    logp = np.log1p(lines["unit_price"])
    tables = {}
    for level in ("segment", "area"):
        codes, keys = pair_codes(lines[level], lines["item_id"])
        tables[level] = rekey(robust.group_table(logp, pd.Series(codes, index=lines.index)), keys)
    return tables


@indicator
class ItemPrices(Indicator):
    """Share of lines whose approved unit price is an upper outlier for that item in the segment."""

    name = "item_prices"
    weight = 2
    title = "Preços de itens acima do padrão"
    description = (
        "Linhas cujo valor unitário aprovado é atípico para o mesmo item no segmento (itens com 5 ou mais "
        "observações). Incomum quando mais de 10% das linhas do projeto."
    )
    unit = "linhas"
    level = "segment_item"
    legacy = Legacy(
        "items_prices",
        4,
        note="salic-ml counted lines priced above mean + 1.5σ of the same item in the segment (raw reais); "
        "ours uses median/MAD on log prices, items with 5+ observations, and flags more than 10% of lines.",
    )
    plain_words = (
        "Para cada item do orçamento, comparamos o preço unitário aprovado com o preço do mesmo item em outros "
        "projetos do segmento (quando há ao menos 5 ocorrências). Um preço é incomum quando fica muito acima do "
        "que quase todos pagam; o projeto é incomum quando isso acontece em mais de 10% das suas linhas."
    )
    evidence_caption = "Linhas com preço unitário acima do padrão do item no segmento"
    evidence_columns = (
        EvidenceColumn("Linha", "line_id", "id"),
        EvidenceColumn("Item", "line_id", "item"),
        EvidenceColumn("Preço unitário aprovado", "unit_price", "money"),
        EvidenceColumn("Mediana do item no segmento", "median_price", "money"),
        EvidenceColumn("Vezes a mediana", "ratio", "ratio"),
        EvidenceColumn("Total da linha", "total", "money"),
    )

    def legacy_values(self, frames, table, *, peers):
        """salic-ml's rule: lines priced above mean + 1.5σ of the same item in the segment (2+ prices)."""
        lines = frames.lines.join(frames.projects[["segment"]], on="project")
        stats = lines.groupby(["segment", "item_id"])["unit_price"].agg(["size", "mean", "std"])
        limit = (stats["mean"] + 1.5 * stats["std"]).where(stats["size"] >= 2)
        keys = pd.MultiIndex.from_arrays([lines["segment"], lines["item_id"]])
        above = lines["unit_price"].to_numpy() > limit.reindex(keys).to_numpy()
        counts = pd.Series(above, index=lines.index).groupby(lines["project"]).sum().astype(float)
        return counts.reindex(frames.projects.index)

    def compute(self, frames, fitted, *, earlier=None):
        projects = frames.projects
        lines = frames.lines.join(projects[["segment", "area"]], on="project")
        if fitted is None:
            fitted = price_tables(lines)
        seg = rows_of(fitted["segment"], *pair_codes(lines["segment"], lines["item_id"]))
        area = rows_of(fitted["area"], *pair_codes(lines["area"], lines["item_id"]))
        use_seg = seg["n"].fillna(0).to_numpy() >= MIN_OBSERVATIONS
        use_area = ~use_seg & (area["n"].fillna(0).to_numpy() >= MIN_OBSERVATIONS)
        median = np.where(use_seg, seg["median"], np.where(use_area, area["median"], np.nan))
        spread = np.where(use_seg, seg["spread"], np.where(use_area, area["spread"], np.nan))
        logp = np.log1p(lines["unit_price"].to_numpy())
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(spread > 0, (logp - median) / spread, np.where(logp > median, np.inf, 0.0))
        comparable = ~np.isnan(median)
        lines = lines.assign(
            outlier=comparable & (z > robust.Z_LIMIT), comparable=comparable, median_price=np.expm1(median)
        )
        per = lines.groupby("project").agg(
            n=("line_id", "size"), outliers=("outlier", "sum"), comp=("comparable", "sum")
        )
        per = per.reindex(projects.index)
        table = empty_result(projects.index)
        valid = per["comp"].fillna(0) > 0
        table["value"] = per["outliers"].where(valid)
        table["expected_min"] = np.where(valid, 0.0, np.nan)
        table["expected_max"] = (per["n"] * MAX_SHARE).where(valid)
        table["is_outlier"] = valid & (per["outliers"] > MAX_SHARE * per["n"])
        table["valid"] = valid
        flagged = lines[lines["outlier"]].sort_values(["project", "total"], ascending=[True, False])
        flagged = flagged.assign(ratio=(flagged["unit_price"] / flagged["median_price"]).round(2))
        evidence = evidence_rows(
            flagged,
            table.index[table["is_outlier"]],
            ["line_id", "item_id", "unit_price", "median_price", "ratio", "total"],
        )
        return Result(table, evidence), fitted
