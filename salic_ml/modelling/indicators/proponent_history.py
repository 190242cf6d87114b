from __future__ import annotations

import numpy as np
import pandas as pd

from core.formatting import decimal

from .base import Indicator, Legacy, Result, empty_result, indicator

LIMIT = 6.0


@indicator
class ProponentHistory(Indicator):
    """Mean complexity (0–10) of the proponent's other projects; unusual at 6 or more.

    `earlier` holds a `base_complexity` column: every project's complexity without this indicator,
    for all of the proponent's projects (scoring provides values from outside a partial recompute).
    """

    name = "proponent_history"
    weight = 2
    stage = 3
    proponent_peers = True
    legacy = Legacy(
        "proponent_projects",
        4,
        note="salic-ml flagged a proponent with many other projects (count above mean + 1.5σ of the segment); "
        "ours reads how complex those other projects are.",
    )
    plain_words = (
        "Olhamos os outros projetos do mesmo proponente e a nota média deles. Se os outros projetos, em média, "
        "têm complexidade 6 ou mais, este indicador fica incomum."
    )
    evidence_on_page = False  # the proponent's other projects have a section of their own
    title = "Histórico do proponente"
    description = "Complexidade média dos outros projetos do mesmo proponente. Incomum quando 6 ou mais."
    unit = "complexidade média"

    def legacy_values(self, frames, table, *, peers):
        """salic-ml's value: how many other projects the proponent has (all areas)."""
        counts = peers.groupby("proponent").size()
        others = counts.reindex(frames.projects["proponent"].to_numpy()).to_numpy() - 1
        return pd.Series(others, index=frames.projects.index, dtype=float)

    def compute(self, frames, fitted, *, earlier=None):
        base = earlier  # index project id: proponent, base_complexity (may cover more projects than frames)
        sums = base.groupby("proponent")["base_complexity"].agg(["sum", "count"])
        projects = frames.projects
        mine = base["base_complexity"].reindex(projects.index).fillna(0)
        own = sums.reindex(projects["proponent"].to_numpy())
        others = own["count"].to_numpy() - 1
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_others = np.where(others > 0, (own["sum"].to_numpy() - mine.to_numpy()) / others, np.nan)
        table = empty_result(projects.index)
        valid = others > 0
        table["value"] = np.round(mean_others, 2)
        table["expected_min"] = np.where(valid, 0.0, np.nan)
        table["expected_max"] = np.where(valid, LIMIT, np.nan)
        table["is_outlier"] = valid & (mean_others >= LIMIT)
        table["valid"] = valid
        evidence = {}
        flagged = table.index[table["is_outlier"]]
        if len(flagged):
            peers = base.rename_axis("project").reset_index()
            peers = peers[peers["proponent"].isin(projects.loc[flagged, "proponent"].unique())]
            by_proponent = dict(tuple(peers.groupby("proponent")))
            for project in flagged:
                group = by_proponent[projects.at[project, "proponent"]]
                rows = group[group["project"] != project].sort_values("base_complexity", ascending=False).head(25)
                evidence[int(project)] = [
                    {"project": int(r.project), "complexity": float(r.base_complexity)} for r in rows.itertuples()
                ]
        return Result(table, evidence), {}

    def sentence(self, row):
        if not row.get("valid"):
            return "O proponente não tem outros projetos na base."
        if row.get("is_outlier"):
            return f"Incomum: os outros projetos do proponente têm complexidade média {decimal(row['value'], 1)} (limite 6)."
        return f"Dentro do esperado: complexidade média dos outros projetos do proponente {decimal(row['value'], 1)}."
