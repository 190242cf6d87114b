"""Severity orders projects of equal complexity; the salic-ml 2019 profile follows the original formula."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from salic_ml.dashboard.tests import builders
from salic_ml.modelling import profile2019
from salic_ml.modelling.analysis.frames import Frames
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.indicators.base import MAX_EXCESS
from salic_ml.modelling.scoring import severity_from_rows
from salic_ml.selectors import scores_ranked


def _table(values, low, high, outlier):
    return pd.DataFrame(
        {"value": values, "expected_min": low, "expected_max": high, "is_outlier": outlier, "valid": True}
    )


def test_excess_is_the_distance_outside_the_range_in_range_widths_and_capped():
    linear = REGISTRY["proponent_history"]  # linear scale, range 0–6
    table = _table([3.0, 9.0, 600.0, 7.0], [0.0] * 4, [6.0] * 4, [False, True, True, False])
    assert list(linear.excess(table)) == [0.0, 0.5, MAX_EXCESS, 0.0]  # unflagged: 0 even if above
    lower = _table([0.1], [0.4], [0.9], [True])
    assert linear.excess(lower).iloc[0] == pytest.approx(0.6)  # (0.4 − 0.1) / 0.5
    point = _table([3.0], [0.0], [0.0], [True])  # "0 to 0" range: distance in the value's own units
    assert linear.excess(point).iloc[0] == 3.0
    logged = REGISTRY["items_count"]
    far = _table([np.expm1(6.0)], [np.expm1(1.0)], [np.expm1(3.0)], [True])
    assert logged.excess(far).iloc[0] == pytest.approx(1.5)  # (6 − 3) / (3 − 1) on log1p


def test_severity_weighs_each_unusual_indicator_by_its_weight():
    rows = {
        "a": {"valid": True, "is_outlier": True, "weight": 2, "excess": 1.5},
        "b": {"valid": True, "is_outlier": False, "weight": 5, "excess": 3.0},
        "c": {"valid": True, "is_outlier": True, "weight": 1, "excess": 0.25},
    }
    assert severity_from_rows(rows, {}) == 3.25


@pytest.mark.django_db
def test_the_ranking_breaks_complexity_ties_by_severity(client, evaluator_user):
    version = builders.model_version(1)
    seg = builders.segment("S1")
    prop = builders.proponent("1")
    scores = {}
    for pronac, complexity, severity in (("1", 7.0, 0.5), ("2", 7.0, 4.0), ("3", 8.0, 0.1), ("4", 7.0, 2.0)):
        score = builders.score(builders.project(pronac, seg=seg, prop=prop), version, complexity)
        score.severity = severity
        score.save(update_fields=["severity"])
        scores[pronac] = score
    assert [s.project.pronac for s in scores_ranked(version)] == ["3", "2", "4", "1"]
    client.force_login(evaluator_user)
    page = client.get("/salic/").context["page"]
    assert [s.project.pronac for s in page.object_list] == ["3", "2", "4", "1"]
    ascending = client.get("/salic/?ordering=complexity").context["page"]
    assert [s.project.pronac for s in ascending.object_list] == ["1", "4", "2", "3"]


def test_legacy_thresholds_are_mean_plus_one_and_a_half_sigma_per_segment_with_fixes():
    projects = pd.DataFrame({"segment": [1, 1, 1, 1, 2], "area": [9, 9, 9, 9, 9]}, index=pd.Index([10, 11, 12, 13, 14]))
    values = pd.Series([1.0, 2.0, 3.0, np.nan, 50.0], index=projects.index)
    upper = profile2019.legacy_thresholds(values, projects, tail="upper")
    seg_limit = 2.0 + 1.5 * np.std([1.0, 2.0, 3.0], ddof=1)  # the missing value is left out, not zero
    assert upper[10] == pytest.approx(seg_limit)
    # Segment 2 has one valued project (σ undefined): it borrows the area's mean and σ.
    area_limit = np.mean([1, 2, 3, 50]) + 1.5 * np.std([1, 2, 3, 50], ddof=1)
    assert upper[14] == pytest.approx(area_limit)
    lower = profile2019.legacy_thresholds(values, projects, tail="lower")
    assert lower[10] == pytest.approx(2.0 - 1.5 * np.std([1.0, 2.0, 3.0], ddof=1))


def test_the_legacy_weights_add_up_to_22_and_the_score_is_ten_sum_over_22():
    declared = {name: ind.legacy for name, ind in REGISTRY.items() if ind.legacy is not None}
    assert sum(legacy.weight for legacy in declared.values()) == profile2019.DENOMINATOR == 22
    assert {legacy.metric for legacy in declared.values()} >= {"valor_captado", "valor_comprovado", "items_prices"}
    # Twenty-one projects in one segment; the last is far above on every count and amount.
    n = 21
    projects = pd.DataFrame(
        {"segment": [1] * n, "area": [1] * n, "proponent": list(range(n)), "execution_end": pd.NaT},
        index=pd.RangeIndex(1, n + 1),
    )
    tables = {}
    for name in declared:
        values = [10.0] * (n - 1) + [1000.0]
        if declared[name].tail == "lower":
            values = [0.9] * (n - 1) + [0.0]
        values[0] += 0.5  # some spread
        tables[name] = _table(values, 0.0, 1.0, False).set_index(projects.index)
    frames = Frames(
        projects,
        pd.DataFrame({"line_id": [], "project": [], "item_id": [], "unit_price": [], "total": []}),
        pd.DataFrame(),
        pd.DataFrame(),
        date(2024, 1, 1),
        pd.Series(dtype="int64"),
    )
    peers = pd.DataFrame({"proponent": projects["proponent"]})
    profile = profile2019.legacy_profile(frames, tables, peers=peers)
    last = profile.loc[n]
    flagged = [m for m, row in last["metrics"].items() if row["is_outlier"]]
    # items_prices and proponent_projects read their own salic-ml values (no lines, one project each).
    expected = sum(declared[row["indicator"]].weight for row in last["metrics"].values() if row["is_outlier"])
    assert flagged and "valor_captado" in flagged and "common_items_ratio" in flagged
    assert last["complexity"] == round(10 * expected / 22, 1)
    assert profile.loc[2, "complexity"] == 0.0
