from __future__ import annotations

import numpy as np
import pandas as pd

from .base import EvidenceColumn, Indicator, Result, empty_result, indicator

MAX_GAP_SHARE = 0.10


@indicator
class FundsToVerify(Indicator):
    """Raised minus verified funds (R$); unusual when the gap passes 10% of raised after execution ended."""

    name = "funds_to_verify"
    weight = 3
    title = "Recursos a comprovar"
    description = (
        "Diferença entre o valor captado e o valor comprovado (R$). Incomum quando passa de 10% do captado "
        "depois do fim da execução."
    )
    unit = "R$"
    evidence_caption = "Captado e comprovado"
    evidence_columns = (
        EvidenceColumn("Captado", "raised", "money"),
        EvidenceColumn("Comprovado", "verified", "money"),
        EvidenceColumn("A comprovar", "gap", "money"),
    )

    def compute(self, frames, fitted, *, earlier=None):
        projects = frames.projects
        raised = frames.fundraising.groupby("project")["amount"].sum().reindex(projects.index)
        verified = frames.receipts.groupby("project")["amount"].sum().reindex(projects.index).fillna(0)
        gap = raised - verified
        ended = projects["execution_end"].notna() & (projects["execution_end"] < pd.Timestamp(frames.today))
        valid = raised.notna() & (raised > 0)
        table = empty_result(projects.index)
        table["value"] = gap.where(valid).round(2)
        table["expected_min"] = np.where(valid, -np.inf, np.nan)
        table["expected_max"] = (MAX_GAP_SHARE * raised).where(valid).round(2)
        table["is_outlier"] = valid & ended & (gap > MAX_GAP_SHARE * raised)
        table["valid"] = valid
        evidence = {
            int(p): [
                {
                    "raised": round(float(raised[p]), 2),
                    "verified": round(float(verified[p]), 2),
                    "gap": round(float(gap[p]), 2),
                }
            ]
            for p in table.index[table["is_outlier"]]
        }
        return Result(table, evidence), {}

    def sentence(self, row):
        if not row.get("valid"):
            return "O projeto não tem captação registrada."
        if row.get("is_outlier"):
            return "Incomum: a execução terminou e falta comprovar mais de 10% do valor captado."
        return "Dentro do esperado: o valor comprovado cobre o captado (ou a execução ainda não terminou)."
