from __future__ import annotations

import numpy as np
import pandas as pd

from salic_ml.modelling.analysis.keys import pair_codes

from .base import (
    EvidenceColumn,
    Indicator,
    Legacy,
    Result,
    evidence_rows,
    expit,
    indicator,
    segment_outliers,
    smoothed_logit,
    swap_levels,
)

TOP_SHARE = 0.10


def common_item_keys(lines: pd.DataFrame) -> set[str]:
    """'segment:item' keys of each segment's most used 10% of items (by number of projects using them)."""
    usage = lines.drop_duplicates(["project", "item_id"]).groupby(["segment", "item_id"]).size().rename("projects")
    usage = usage.reset_index().sort_values(["segment", "projects", "item_id"], ascending=[True, False, True])
    usage["rank"] = usage.groupby("segment").cumcount()
    usage["items"] = usage.groupby("segment")["item_id"].transform("size")
    top = usage[usage["rank"] < np.maximum(1, np.ceil(usage["items"] * TOP_SHARE))]
    return set(top["segment"].astype(str) + ":" + top["item_id"].astype(str))


@indicator
class CommonItems(Indicator):
    """Share of a project's lines that use its segment's most common items; unusual when very low."""

    name = "common_items"
    weight = 1
    title = "Itens comuns do segmento"
    description = (
        "Proporção das linhas do projeto que usam os 10% de itens mais frequentes do seu segmento. "
        "Incomum quando muito abaixo do segmento (orçamento com itens raros)."
    )
    unit = "proporção"
    level = "segment"
    segment_distribution = True
    legacy = Legacy(
        "common_items_ratio",
        2,
        tail="lower",
        note="Same idea; ours takes the segment's top 10% of items by projects using them and compares shares on a "
        "smoothed logit scale with median/MAD.",
    )
    admissibility = (
        "Itens comuns: o orçamento usa os itens que projetos do mesmo segmento costumam usar. Um orçamento "
        "feito quase só de itens raros pede conferência da admissibilidade dos itens."
    )
    plain_words = (
        "Comparamos a proporção de itens comuns deste orçamento com a dos projetos do mesmo segmento (ou da "
        "área, quando o segmento tem menos de 20 projetos). Só é incomum uma proporção muito abaixo do que "
        "quase todos os projetos parecidos têm."
    )
    evidence_caption = "Linhas com itens pouco usados no segmento"
    evidence_columns = (
        EvidenceColumn("Linha", "line_id", "id"),
        EvidenceColumn("Item", "line_id", "item"),
        EvidenceColumn("Total da linha", "total", "money"),
    )

    def merge_fitted(self, old, new, *, segments, areas):
        """The common-item keys of the refitted segments and the share tables, swapped per level."""
        if old is None:
            return new
        kept = {key for key in old["common"] if int(key.split(":", 1)[0]) not in segments}
        return {
            "common": kept | new["common"],
            "tables": swap_levels(old["tables"], new["tables"], segments=segments, areas=areas),
        }

    def compute(self, frames, fitted, *, earlier=None):
        lines = frames.lines.join(frames.projects[["segment"]], on="project")
        codes, keys = pair_codes(lines["segment"], lines["item_id"])
        common = fitted["common"] if fitted else common_item_keys(lines)
        lines = lines.assign(common=keys.isin(common)[codes])
        per = lines.groupby("project")["common"].agg(["sum", "size"])
        share = per["sum"] / per["size"]
        table, tables = segment_outliers(
            share,
            frames,
            fitted["tables"] if fitted else None,
            log=False,
            tail="lower",
            scaled=smoothed_logit(per["sum"].astype(float), per["size"].astype(float)),
            unscale=expit,
        )
        uncommon = lines[~lines["common"]].sort_values(["project", "total"], ascending=[True, False])
        evidence = evidence_rows(uncommon, table.index[table["is_outlier"]], ["line_id", "item_id", "total"])
        return Result(table, evidence), {"common": common, "tables": tables}
