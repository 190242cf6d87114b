from __future__ import annotations

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
)


@indicator
class NewSuppliers(Indicator):
    """Share of the project's suppliers that appear in no other project; unusual when far above the segment."""

    name = "new_suppliers"
    weight = 1
    title = "Fornecedores exclusivos"
    description = (
        "Proporção dos fornecedores do projeto que não aparecem em nenhum outro projeto. Incomum quando muito "
        "acima do segmento."
    )
    unit = "proporção"
    level = "segment"
    legacy = Legacy(
        "new_providers", 2, note="Ours: share of suppliers seen in no other project, on a smoothed logit scale."
    )
    segment_distribution = True
    evidence_caption = "Fornecedores que não aparecem em outros projetos"
    evidence_columns = (EvidenceColumn("Fornecedor", "supplier", "supplier"),)

    def compute(self, frames, fitted, *, earlier=None):
        pairs = frames.receipts[["project", "supplier"]].drop_duplicates()
        pairs = pairs.assign(
            new=pairs["supplier"].map(frames.supplier_projects).astype(float).fillna(1).to_numpy() <= 1
        )
        per = pairs.groupby("project")["new"].agg(["sum", "size"])
        share = per["sum"] / per["size"]
        # Shares are compared on a smoothed logit scale: "all 30 suppliers are new" is far more
        # unusual than "both of 2 suppliers are new", and a bounded share has no upper tail otherwise.
        table, fitted = segment_outliers(
            share, frames, fitted, log=False, scaled=smoothed_logit(per["sum"], per["size"]), unscale=expit
        )
        new = pairs[pairs["new"]].sort_values(["project", "supplier"])
        evidence = evidence_rows(new, table.index[table["is_outlier"]], ["supplier"])
        return Result(table, evidence), fitted
