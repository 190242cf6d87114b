from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest

from .base import Indicator, Result, empty_result, indicator

TOP_SHARE = 0.02
SEED = 42
LOG_FEATURES = ("items_count", "approved_total", "receipts_count", "funds_to_verify", "raised_total", "verified_total")


def transformed(earlier: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    """Money and counts on a signed log scale so no single indicator dominates the forest."""
    frame = earlier[features].astype(float)
    for name in features:
        if name in LOG_FEATURES:
            frame[name] = np.sign(frame[name]) * np.log1p(frame[name].abs())
    return frame


@indicator
class AnomalyScore(Indicator):
    """Multivariate IsolationForest over the other indicators' values; the top 2% are unusual."""

    name = "anomaly_score"
    weight = 2
    stage = 2
    level = "population"
    title = "Anomalia multivariada"
    description = (
        "Pontuação de um IsolationForest sobre os valores dos demais indicadores: mede quão isolado o projeto "
        "está do conjunto. Incomum entre os 2% mais isolados."
    )
    unit = "pontuação"
    plain_words = (
        "Este indicador olha todos os outros ao mesmo tempo. Imagine separar os projetos com perguntas "
        'simples e sorteadas, como "tem mais de 80 itens?": um projeto parecido com muitos outros precisa '
        "de muitas perguntas para ficar sozinho; um projeto com uma combinação rara fica sozinho depressa. "
        "A pontuação mede essa rapidez (quanto maior, mais rara a combinação). O limite é a pontuação que só "
        "2% dos projetos alcançam; acima dele, o indicador fica incomum, mesmo que nenhum valor isolado seja."
    )

    def compute(self, frames, fitted, *, earlier=None):
        features = [c for c in earlier.columns if c not in ("anomaly_score", "proponent_history")]
        if fitted is None:
            frame = transformed(earlier, features)
            fill = {n: float(frame[n].median()) if frame[n].notna().any() else 0.0 for n in features}
            x = frame.fillna(fill).to_numpy()
            forest = IsolationForest(n_estimators=200, random_state=SEED, n_jobs=1).fit(x)
            scores = -forest.score_samples(x)
            fitted = {
                "forest": forest,
                "features": features,
                "fill": fill,
                "threshold": float(np.quantile(scores, 1 - TOP_SHARE)),
            }
        x = transformed(earlier, fitted["features"]).fillna(fitted["fill"]).to_numpy()
        scores = -fitted["forest"].score_samples(x) if len(x) else np.array([])
        table = empty_result(frames.projects.index)
        table["value"] = np.round(scores, 4)
        table["expected_min"] = 0.0
        table["expected_max"] = round(fitted["threshold"], 4)
        table["is_outlier"] = scores >= fitted["threshold"]
        table["valid"] = True
        return Result(table), fitted

    def sentence(self, row):
        if row.get("is_outlier"):
            return "Incomum: a combinação dos indicadores deste projeto está entre as 2% mais raras."
        return "Dentro do esperado: a combinação dos indicadores é parecida com a de outros projetos."
