"""What evaluators' feedback teaches: usefulness per indicator, agreement per band, suggested weights,
and the golden set of labelled projects the salic gate checks.

An evaluator rates how complex a project's analysis really was (1–5) and may vote each indicator
useful or not. A rating of 4–5 labels the project "complex" (its score should be above 3, the
"Complexo" threshold); 1–2 labels it "simple" (score 3 or less); 3 labels nothing. Weights are never
changed here: a suggestion becomes a training's parameters only when staff apply it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from salic_ml.models import EvaluatorFeedback

from .indicators import REGISTRY
from .scoring import BANDS

COMPLEX_ABOVE = next(above for code, _label, above in BANDS if code == "complexo")  # 3.0
MIN_VOTES = 5  # fewer votes than this: no suggestion for the indicator
# A useful share u moves a weight to weight × (0.5 + u): all useful → ×1.5, none → ×0.5, even → kept.
STEP = 0.5


def expected_band(rating: float) -> str:
    """The band an evaluator's rating points at: 1–2 normal, 3 complexo, 4–5 muito complexo."""
    return "normal" if rating <= 2 else ("complexo" if rating < 4 else "muito_complexo")


def label_of(mean_rating: float) -> str:
    """'complex', 'simple' or '' (no side) for a project's mean rating."""
    if mean_rating >= 4:
        return "complex"
    if mean_rating <= 2:
        return "simple"
    return ""


def on_right_side(label: str, complexity: float) -> bool:
    return complexity > COMPLEX_ABOVE if label == "complex" else complexity <= COMPLEX_ABOVE


@dataclass(frozen=True)
class GoldenLabel:
    project_id: int
    pronac: str
    label: str  # "complex" or "simple"
    mean_rating: float
    ratings: int


def golden_set() -> dict[int, GoldenLabel]:
    """Projects evaluators labelled: each evaluator's latest rating per project, averaged."""
    latest: dict[tuple[int, int], tuple[int, str]] = {}
    rows = EvaluatorFeedback.objects.order_by("updated_at", "id").values_list(
        "project_id", "user_id", "rating", "project__pronac"
    )
    for project_id, user_id, rating, pronac in rows:
        latest[(project_id, user_id)] = (rating, pronac)
    per_project: dict[int, list[int]] = defaultdict(list)
    pronacs: dict[int, str] = {}
    for (project_id, _user), (rating, pronac) in latest.items():
        per_project[project_id].append(rating)
        pronacs[project_id] = pronac
    labels = {}
    for project_id, ratings in per_project.items():
        mean = float(np.mean(ratings))
        label = label_of(mean)
        if label:
            labels[project_id] = GoldenLabel(project_id, pronacs[project_id], label, round(mean, 2), len(ratings))
    return labels


@dataclass
class Usefulness:
    version: int
    indicator: str
    useful: int = 0
    not_useful: int = 0

    @property
    def votes(self) -> int:
        return self.useful + self.not_useful

    @property
    def share(self) -> float | None:
        return self.useful / self.votes if self.votes else None


def usefulness_by_version(model_name: str) -> list[Usefulness]:
    """Useful / not useful votes per model version number and indicator, newest version first."""
    counts: dict[tuple[int, str], Usefulness] = {}
    rows = EvaluatorFeedback.objects.filter(model_version__name=model_name).values_list(
        "model_version__version", "indicator_votes"
    )
    for version, votes in rows:
        for name, useful in (votes or {}).items():
            entry = counts.setdefault((version, name), Usefulness(version, name))
            if useful:
                entry.useful += 1
            else:
                entry.not_useful += 1
    return sorted(counts.values(), key=lambda u: (-u.version, u.indicator))


@dataclass
class Suggestion:
    indicator: str
    current: float
    proposed: float
    useful: int
    votes: int
    reason: str  # pt-BR


@dataclass
class WeightProposal:
    suggestions: list[Suggestion]
    weights: dict[str, float]  # the full set of weights to train with
    band_changes: int | None = None  # projects of the production scores that would change band
    projects: int = 0
    moves: dict[str, int] = field(default_factory=dict)  # "de → para": count


def propose_weights(current: dict[str, float], usefulness: list[Usefulness]) -> WeightProposal:
    """Per indicator with at least MIN_VOTES votes (all versions together): weight × (0.5 + useful share),
    rounded to 0.5 and at least 0.5."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entry in usefulness:
        totals[entry.indicator][0] += entry.useful
        totals[entry.indicator][1] += entry.votes
    suggestions = []
    weights = dict(current)
    for name, (useful, votes) in sorted(totals.items()):
        if name not in current or votes < MIN_VOTES:
            continue
        share = useful / votes
        proposed = max(0.5, round(current[name] * (STEP + share) * 2) / 2)
        if proposed == current[name]:
            continue
        weights[name] = proposed
        reason = f"{useful} de {votes} avaliadores acharam útil ({share:.0%}); " + (
            "aumentar o peso." if proposed > current[name] else "reduzir o peso."
        )
        suggestions.append(Suggestion(name, current[name], proposed, useful, votes, reason))
    return WeightProposal(suggestions, weights)


def complexity_matrix(valid: np.ndarray, outlier: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """complexity per row of (projects × indicators) boolean matrices, the scoring formula."""
    denominator = (valid * weights).sum(axis=1)
    numerator = ((valid & outlier) * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(denominator > 0, 10 * numerator / denominator, 0.0)
    return np.round(score, 1)


def band_codes(complexity: np.ndarray) -> np.ndarray:
    out = np.full(complexity.shape, "normal", dtype=object)
    for code, _label, above in reversed(BANDS):
        out[complexity > above] = code
    return out


def count_band_changes(
    proposal: WeightProposal, names: list[str], valid: np.ndarray, outlier: np.ndarray, current: dict[str, float]
) -> WeightProposal:
    """Fill in how many projects would change band under the proposed weights (stored flags, no refit)."""
    old = band_codes(complexity_matrix(valid, outlier, np.array([current.get(n, REGISTRY[n].weight) for n in names])))
    new = band_codes(complexity_matrix(valid, outlier, np.array([proposal.weights.get(n, 0.0) for n in names])))
    changed = old != new
    proposal.band_changes = int(changed.sum())
    proposal.projects = len(old)
    moves: dict[str, int] = defaultdict(int)
    for a, b in zip(old[changed], new[changed], strict=True):
        moves[f"{a} → {b}"] += 1
    proposal.moves = dict(moves)
    return proposal
