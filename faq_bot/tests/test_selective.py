from __future__ import annotations

import numpy as np

from faq_bot.selective import answered_mask, calibration, choose_thresholds, risk_coverage, top_and_margin


def scored(seed: int = 0, n: int = 2000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Confidences with P(right | confidence) = confidence: a perfectly calibrated model."""
    rng = np.random.default_rng(seed)
    top = rng.uniform(0.3, 1.0, n)
    margin = top - rng.uniform(0.0, 1.0 - top)
    return top, np.clip(margin, 0, 1), rng.uniform(size=n) < top


def test_the_chosen_thresholds_answer_right_at_the_target_with_the_largest_coverage():
    top, margin, correct = scored()
    chosen = choose_thresholds(top, margin, correct, target=0.95)
    answered = answered_mask(top, margin, chosen)
    assert chosen["reached"] and correct[answered].mean() >= 0.95
    assert abs(answered.mean() - chosen["coverage"]) < 1e-3
    # Any lower confidence threshold (same margin) answers more but falls under the target.
    looser = {**chosen, "min_confidence": chosen["min_confidence"] - 0.02}
    assert correct[answered_mask(top, margin, looser)].mean() < 0.95


def test_a_lower_target_buys_coverage_and_floors_are_respected():
    top, margin, correct = scored()
    strict = choose_thresholds(top, margin, correct, target=0.95)
    loose = choose_thresholds(top, margin, correct, target=0.80)
    assert loose["coverage"] > strict["coverage"]
    floored = choose_thresholds(top, margin, correct, target=0.80, floor_confidence=0.9, floor_margin=0.2)
    assert floored["min_confidence"] >= 0.9 and floored["min_margin"] >= 0.2


def test_an_unreachable_target_is_reported_as_not_reached():
    top = np.linspace(0.5, 1.0, 100)
    chosen = choose_thresholds(top, top, np.zeros(100, dtype=bool), target=0.95)
    assert chosen["reached"] is False and chosen["answered_accuracy"] == 0.0


def test_the_risk_coverage_curve_runs_from_few_answers_to_all():
    top, margin, correct = scored()
    curve = risk_coverage(top, margin, correct, min_margin=0.0)
    coverages = [p["coverage"] for p in curve]
    assert coverages == sorted(coverages) and coverages[-1] == 1.0 and len(curve) <= 60
    assert curve[0]["answered_accuracy"] > curve[-1]["answered_accuracy"]


def test_calibration_error_is_small_for_a_calibrated_model_and_large_for_an_overconfident_one():
    top, _, correct = scored(n=20000)
    assert calibration(top, correct)["ece"] < 0.02
    overconfident = calibration(np.full(len(top), 0.99), correct)
    assert overconfident["ece"] > 0.2
    assert sum(b["count"] for b in overconfident["bins"]) == len(top)


def test_top_and_margin_read_the_best_two_columns():
    best, top, margin = top_and_margin(np.array([[0.1, 0.7, 0.2], [0.5, 0.1, 0.4]]))
    assert list(best) == [1, 0] and np.allclose(top, [0.7, 0.5]) and np.allclose(margin, [0.5, 0.1])
