"""Each indicator on tiny hand-built data whose expected value and flag are worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from salic_ml.modelling.analysis import robust
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.scoring import band_of, complexity_of, default_weights, score_frames

from .frames_builder import build, lines_for, segment_of


def compute(name, frames, earlier=None):
    result, _ = REGISTRY[name].compute(frames, None, earlier=earlier)
    return result


def test_the_registry_holds_every_design_indicator_with_its_weight():
    expected = {
        "items_count": 1,
        "approved_total": 1,
        "item_prices": 2,
        "common_items": 1,
        "new_suppliers": 1,
        "receipts_over_approved": 2,
        "shared_receipts_transfer": 5,
        "shared_receipts_cash": 5,
        "shared_receipts_cheque": 1,
        "funds_to_verify": 3,
        "receipts_count": 1,
        "proponent_history": 2,
        "anomaly_score": 2,
        # salic-ml's valor_captado / valor_comprovado (docs/salic-ml-parity.md)
        "raised_total": 1,
        "verified_total": 1,
    }
    assert default_weights() == {k: float(v) for k, v in expected.items()}
    assert all(REGISTRY[n].title and REGISTRY[n].description for n in expected)


def test_modified_z_matches_the_formula():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 100.0])
    median, spread = robust._scale(values)
    assert median == 3.0
    assert spread == pytest.approx(1.0 / 0.6745)  # MAD = median(|x - 3|) = 1
    z = robust.modified_z(pd.Series([100.0]), pd.Series([median]), pd.Series([spread]))
    assert z.iloc[0] == pytest.approx(0.6745 * 97)


def test_items_count_flags_a_project_far_above_its_segment():
    projects = segment_of(21)
    lines = [row for i, p in enumerate(projects[:-1]) for row in lines_for(p["id"], 8 + i % 5)]
    lines += lines_for(21, 300)
    table = compute("items_count", build(projects, lines)).table
    assert table.at[21, "value"] == 300 and table.at[21, "is_outlier"]
    assert not table.loc[1:20, "is_outlier"].any()
    # log1p counts 9..13 → median log1p(11); the upper bound is expm1(median + 3.5 · spread).
    assert table.at[1, "expected_min"] < 8 < 12 < table.at[1, "expected_max"] < 300


def test_a_small_segment_borrows_its_areas_distribution():
    big = segment_of(25, segment=1, area=7)
    small = segment_of(3, segment=2, area=7, start=100)
    lines = [row for i, p in enumerate(big) for row in lines_for(p["id"], 10 + i % 3)]
    lines += lines_for(100, 11) + lines_for(101, 10) + lines_for(102, 400)
    table = compute("items_count", build(big + small, lines)).table
    assert table.at[102, "is_outlier"] and not table.at[100, "is_outlier"]
    assert table.at[100, "expected_max"] == table.at[1, "expected_max"]  # same (area) reference


def test_item_prices_flags_more_than_ten_percent_overpriced_lines_with_the_median_as_evidence():
    projects = segment_of(6)
    lines = []
    for p in projects[:5]:
        lines += lines_for(p["id"], 5, item_id=7, price=100.0 + p["id"])  # prices 101..105
    lines += lines_for(6, 8, item_id=7, price=103.0, start=0) + lines_for(6, 2, item_id=7, price=2000.0, start=8)
    result = compute("item_prices", build(projects, lines))
    assert result.table.at[6, "value"] == 2  # 2 of 10 lines = 20% > 10%
    assert result.table.at[6, "is_outlier"] and not result.table.loc[1:5, "is_outlier"].any()
    evidence = result.evidence[6][0]
    assert evidence["unit_price"] == 2000.0 and evidence["median_price"] == pytest.approx(103.0, rel=0.01)


def test_item_prices_is_not_valid_without_comparable_items():
    projects = segment_of(2)
    lines = lines_for(1, 3, item_id=1) + lines_for(2, 3, item_id=2)  # 3 observations per item: too few
    table = compute("item_prices", build(projects, lines)).table
    assert not table["valid"].any()


def test_common_items_flags_a_budget_made_of_rare_items():
    projects = segment_of(24)
    lines = []
    for p in projects[:23]:
        lines += lines_for(p["id"], 9, item_id=1) + lines_for(p["id"], 1, item_id=100 + p["id"], start=9)
    lines += lines_for(24, 10, item_id=999)
    result = compute("common_items", build(projects, lines))
    assert result.table.at[24, "value"] == 0.0 and result.table.at[24, "is_outlier"]
    # 25 items → the top 10% is 3 items: item 1 and, on ties, the lowest ids (101, 102).
    assert result.table.at[5, "value"] == pytest.approx(0.9) and not result.table.at[5, "is_outlier"]
    assert result.table.at[1, "value"] == 1.0
    assert {row["item_id"] for row in result.evidence[24]} == {999}


def _receipt(rid, line, project, supplier, amount, kind="transfer"):
    return {
        "receipt_id": rid,
        "line_id": line,
        "project": project,
        "supplier": supplier,
        "amount": amount,
        "payment_type": kind,
    }


def test_receipts_over_approved_needs_one_line_paid_above_150_percent():
    projects = segment_of(2)
    lines = lines_for(1, 2) + lines_for(2, 1)
    receipts = [_receipt(1, 1000, 1, 1, 100.0), _receipt(2, 1001, 1, 1, 160.0), _receipt(3, 2000, 2, 2, 150.0)]
    result = compute("receipts_over_approved", build(projects, lines, receipts))
    assert result.table.at[1, "value"] == 1 and result.table.at[1, "is_outlier"]
    assert result.table.at[2, "value"] == 0 and not result.table.at[2, "is_outlier"]  # exactly 150% is allowed
    assert result.evidence[1][0]["ratio"] == 1.6


def test_shared_receipts_are_counted_by_payment_type():
    projects = segment_of(3)
    lines = lines_for(1, 2) + lines_for(2, 2) + lines_for(3, 1)
    receipts = [
        _receipt(10, 1000, 1, 1, 50.0, "transfer"),
        _receipt(10, 1001, 1, 1, 50.0, "transfer"),
        _receipt(20, 2000, 2, 2, 50.0, "cash"),
        _receipt(20, 2001, 2, 2, 50.0, "cash"),
        _receipt(30, 3000, 3, 3, 50.0, "transfer"),
    ]
    frames = build(projects, lines, receipts)
    transfer = compute("shared_receipts_transfer", frames).table
    cash = compute("shared_receipts_cash", frames).table
    cheque = compute("shared_receipts_cheque", frames).table
    assert list(transfer["value"]) == [1, 0, 0] and list(transfer["is_outlier"]) == [True, False, False]
    assert list(cash["value"]) == [0, 1, 0] and list(cash["is_outlier"]) == [False, True, False]
    assert not cheque["is_outlier"].any() and cheque["valid"].all()


def test_funds_to_verify_counts_only_after_execution_ended():
    projects = [
        {"id": 1, "segment": 1, "execution_end": "2024-12-31"},
        {"id": 2, "segment": 1, "execution_end": "2026-12-31"},
        {"id": 3, "segment": 1, "execution_end": "2024-12-31"},
        {"id": 4, "segment": 1},
    ]
    lines = lines_for(1, 1) + lines_for(2, 1) + lines_for(3, 1)
    receipts = [_receipt(1, 1000, 1, 1, 800.0), _receipt(2, 2000, 2, 1, 100.0), _receipt(3, 3000, 3, 1, 950.0)]
    funds = [{"project": 1, "amount": 1000.0}, {"project": 2, "amount": 1000.0}, {"project": 3, "amount": 1000.0}]
    table = compute("funds_to_verify", build(projects, lines, receipts, funds)).table
    assert table.at[1, "value"] == 200.0 and table.at[1, "is_outlier"]  # 20% missing, ended
    assert table.at[2, "value"] == 900.0 and not table.at[2, "is_outlier"]  # still running
    assert not table.at[3, "is_outlier"]  # 5% missing
    assert not table.at[4, "valid"]  # nothing raised


def test_new_suppliers_is_the_share_of_suppliers_no_other_project_uses():
    projects = segment_of(22)
    lines, receipts, rid = [], [], 0
    for p in projects[:21]:
        lines += lines_for(p["id"], 4)
        for k in range(4):  # suppliers 1..3 shared by everyone, one of their own
            rid += 1
            supplier = k + 1 if k < 3 else 1000 + p["id"]
            receipts.append(_receipt(rid, p["id"] * 1000 + k, p["id"], supplier, 10.0))
    lines += lines_for(22, 30)
    for k in range(30):
        rid += 1
        receipts.append(_receipt(rid, 22000 + k, 22, 5000 + k, 10.0))
    result = compute("new_suppliers", build(projects, lines, receipts))
    assert result.table.at[1, "value"] == pytest.approx(0.25) and not result.table.at[1, "is_outlier"]
    assert result.table.at[22, "value"] == 1.0 and result.table.at[22, "is_outlier"]
    assert len(result.evidence[22]) == 25  # capped evidence rows


def test_proponent_history_is_the_mean_complexity_of_the_other_projects():
    projects = [{"id": i, "segment": 1, "proponent": 9} for i in (1, 2, 3)] + [{"id": 4, "segment": 1, "proponent": 8}]
    base = pd.DataFrame({"proponent": [9, 9, 9, 8], "base_complexity": [0.0, 7.0, 6.0, 9.0]}, index=[1, 2, 3, 4])
    result = compute("proponent_history", build(projects), earlier=base)
    table = result.table
    assert table.at[1, "value"] == 6.5 and table.at[1, "is_outlier"]
    assert table.at[2, "value"] == 3.0 and not table.at[2, "is_outlier"]
    assert not table.at[4, "valid"]  # no other project
    assert [row["project"] for row in result.evidence[1]] == [2, 3]


def test_complexity_formula_counts_only_valid_indicators():
    index = pd.Index([1, 2])
    tables = {
        "shared_receipts_transfer": pd.DataFrame({"is_outlier": [True, False], "valid": [True, True]}, index=index),
        "items_count": pd.DataFrame({"is_outlier": [False, True], "valid": [True, True]}, index=index),
        "funds_to_verify": pd.DataFrame({"is_outlier": [False, False], "valid": [False, True]}, index=index),
    }
    score = complexity_of(tables, default_weights(), list(tables))
    assert score[1] == round(10 * 5 / 6, 1)  # 5 of (5 + 1); funds_to_verify not valid
    assert score[2] == round(10 * 1 / 9, 1)  # 1 of (5 + 1 + 3)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "normal"),
        (3.0, "normal"),
        (3.1, "complexo"),
        (6.0, "complexo"),
        (6.1, "muito_complexo"),
        (10, "muito_complexo"),
    ],
)
def test_bands(value, band):
    assert band_of(value) == band


def test_scoring_all_indicators_together_gives_finite_scores():
    projects = segment_of(30)
    lines = [row for p in projects for row in lines_for(p["id"], 5 + p["id"] % 4, item_id=p["id"] % 3)]
    frames = build(projects, lines)
    scored = score_frames(frames, fitted=None, weights=default_weights())
    assert set(scored.tables) == set(REGISTRY)
    assert scored.complexity.between(0, 10).all() and not scored.complexity.isna().any()
    again = score_frames(frames, fitted=scored.fitted, weights=default_weights())
    assert np.array_equal(again.complexity.to_numpy(), scored.complexity.to_numpy())
    assert math.isfinite(float(scored.tables["anomaly_score"]["expected_max"].iloc[0]))
