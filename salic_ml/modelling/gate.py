"""The salic gate: integrity first, then a limit on how many projects may change band automatically."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.conf import settings

from core.formatting import percent
from model_store.models import ModelVersion
from model_store.services import GateResult
from salic_ml.models import ProjectScore

from .feedback import golden_set, on_right_side
from .scoring import BAND_LABELS, Scored, band_of


def metrics_of(scored: Scored) -> dict[str, Any]:
    bands = scored.band().value_counts().to_dict()
    outliers = {name: int(t["is_outlier"].sum()) for name, t in scored.tables.items()}
    return {
        "projects_scored": int(len(scored.complexity)),
        "mean_complexity": round(float(scored.complexity.mean()), 3) if len(scored.complexity) else None,
        "bands": {BAND_LABELS[b]: int(bands.get(b, 0)) for b in BAND_LABELS},
        "outliers_per_indicator": outliers,
    }


def integrity_problems(scored: Scored) -> list[str]:
    """Every indicator computed for ≥ 95% of the projects that have its data; no NaN score."""
    problems = []
    for name, table in scored.tables.items():
        valid = table["valid"].astype(bool)
        if valid.sum() == 0:
            continue
        computed = table.loc[valid, "value"].notna().mean()
        if computed < 0.95:
            problems.append(
                f"O indicador '{name}' foi calculado para só {percent(computed, 0)} dos projetos com dados."
            )
    if scored.complexity.isna().any():
        problems.append(f"{int(scored.complexity.isna().sum())} projeto(s) ficaram sem nota (NaN).")
    return problems


def salic_gate(candidate_scores: pd.DataFrame, production: ModelVersion | None, problems: list[str]) -> GateResult:
    """Integrity first; then block automatic promotion when more than 10% of projects change band."""
    if problems:
        return GateResult(False, problems, {"sections": []})
    if production is None:
        return GateResult(True, [], {"sections": []})
    previous = pd.DataFrame.from_records(
        ProjectScore.objects.filter(model_version=production).values_list("project_id", "complexity", "band"),
        columns=["project", "complexity", "band"],
    ).set_index("project")
    joined = candidate_scores.join(previous.add_suffix("_prod"), how="inner")
    golden = golden_moves(joined)
    changed = joined[joined["band"] != joined["band_prod"]]
    share = len(changed) / len(joined) if len(joined) else 0.0
    limit = settings.SALIC_GATE_MAX_BAND_CHANGE
    moves = (joined["complexity"] - joined["complexity_prod"]).abs().sort_values(ascending=False).head(20)
    sections = [
        {
            "title": f"Mudanças de faixa em relação à produção v{production.version}",
            "note": f"{len(changed)} de {len(joined)} projetos mudaram de faixa ({percent(share)}; limite {percent(limit, 0)}).",
            "columns": ["de", "para", "projetos"],
            "rows": [
                [BAND_LABELS[a], BAND_LABELS[b], int(n)]
                for (a, b), n in changed.groupby(["band_prod", "band"]).size().items()
            ],
        },
        {
            "title": "Projetos que mais mudaram",
            "columns": ["projeto (id)", "produção", "candidata", "variação"],
            "rows": [
                [
                    int(p),
                    joined.at[p, "complexity_prod"],
                    joined.at[p, "complexity"],
                    round(joined.at[p, "complexity"] - joined.at[p, "complexity_prod"], 1),
                ]
                for p in moves.index
                if moves[p] > 0
            ],
        },
    ]
    if golden:
        sections.append(
            {
                "title": "Projetos avaliados que cairiam do lado errado da avaliação",
                "columns": ["projeto"],
                "rows": [[reason] for reason in golden],
            }
        )
    report = {
        "sections": sections,
        "band_changes": len(changed),
        "band_change_share": round(share, 4),
        "golden_blocked": len(golden),
    }
    reasons = list(golden)
    if share > limit:
        reasons.append(
            f"{percent(share)} dos projetos mudariam de faixa (limite {percent(limit, 0)}); a equipe pode forçar com um motivo."
        )
    return GateResult(not reasons, reasons, report)


def golden_moves(joined: pd.DataFrame) -> list[str]:
    """pt-BR reasons, one per evaluator-labelled project that production scores on the side of its
    label and the candidate moves to the other side (rating 4–5: above 3; 1–2: 3 or less)."""
    reasons = []
    for project_id, label in sorted(golden_set().items(), key=lambda item: item[1].pronac):
        if project_id not in joined.index:
            continue
        before, after = float(joined.at[project_id, "complexity_prod"]), float(joined.at[project_id, "complexity"])
        if on_right_side(label.label, before) and not on_right_side(label.label, after):
            word = "complexo" if label.label == "complex" else "simples"
            reasons.append(
                f"O projeto PRONAC {label.pronac}, avaliado como {word} (nota média {_br(label.mean_rating)} de 5 "
                f"em {label.ratings} avaliação(ões)), passaria de {_br(before)} ({BAND_LABELS[band_of(before)]}) "
                f"para {_br(after)} ({BAND_LABELS[band_of(after)]})."
            )
    return reasons


def _br(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
