"""salic_generate: deterministic, realistically shaped, and every planted anomaly is really there."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from salic_ml.demo.generator import KINDS, salic_generate
from salic_ml.demo.generator.vocab import SEGMENTS

from .planted_checks import flagged, load, shape

FILES = ("projects.csv", "budget_lines.csv", "receipts.csv", "fundraising.csv", "planted.csv")
TAIL_KINDS = ("items_count", "approved_total", "item_prices", "common_items", "new_suppliers", "receipts_count")
AT_LEAST_ONE_KINDS = (
    "receipts_over_approved",
    "shared_receipts_transfer",
    "shared_receipts_cash",
    "shared_receipts_cheque",
    "funds_to_verify",
)


def digests(directory: Path) -> dict[str, str]:
    return {name: hashlib.sha256((directory / name).read_bytes()).hexdigest() for name in FILES}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("shape")
    salic_generate(projects=1500, seed=5, out=out)
    return load(out)


def test_the_same_seed_writes_byte_identical_files_and_another_seed_does_not(tmp_path):
    salic_generate(projects=200, seed=3, out=tmp_path / "a")
    salic_generate(projects=200, seed=3, out=tmp_path / "b")
    salic_generate(projects=200, seed=4, out=tmp_path / "c")
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    different = digests(tmp_path / "c")
    assert all(different[name] != digest for name, digest in digests(tmp_path / "a").items())


def test_the_command_writes_the_four_files_and_planted_csv(tmp_path):
    out = StringIO()
    call_command("salic_generate", "--projects", "40", "--seed", "1", "--out", str(tmp_path), stdout=out)
    assert all((tmp_path / name).exists() for name in FILES)
    assert "projects.csv 40" in out.getvalue()
    assert (tmp_path / "planted.csv").read_text().startswith("pronac,indicator\n")


def test_the_command_refuses_too_few_projects_to_plant_every_kind(tmp_path):
    with pytest.raises(CommandError, match="pelo menos"):
        call_command("salic_generate", "--projects", "5", "--out", str(tmp_path), stdout=StringIO())


def test_the_shape_is_realistic(generated):
    measured = shape(generated)
    assert measured["areas"] == 8
    assert sum(len(names) for names in SEGMENTS.values()) >= 100
    assert measured["segments"] >= 90  # a Zipf tail: at 1,500 projects a few tiny segments are still empty
    sizes = generated.projects["segment_code"].value_counts()
    assert sizes.iloc[0] > 10 * sizes.median()  # heavily skewed segment sizes
    assert 30 <= measured["lines_median"] <= 60
    assert measured["lines_mean"] > measured["lines_median"]  # right-skewed
    assert abs(measured["cheque"] - 0.49) < 0.03
    assert abs(measured["transfer"] - 0.48) < 0.03
    assert abs(measured["cash"] - 0.03) < 0.015
    assert measured["single_project_suppliers"] > 0.5
    assert 0.3 <= measured["projects_with_receipts"] <= 0.4
    per_proponent = generated.projects["proponent_id"].value_counts()
    assert per_proponent.max() >= 5 and (per_proponent > 1).any()
    submitted = generated.projects["submitted_at"]
    assert submitted.min() >= "2015-01-01" and generated.projects["execution_end"].max() <= "2025-12-31"


def test_every_kind_is_planted(generated):
    assert set(generated.planted["indicator"]) == set(KINDS)
    assert len(KINDS) == 13


def test_clean_projects_never_break_an_at_least_one_rule(generated):
    rules = flagged(generated)
    for kind in AT_LEAST_ONE_KINDS:
        assert not (rules[kind] & generated.clean), kind


def test_at_least_one_plants_are_all_visible(generated):
    rules = flagged(generated)
    for kind in AT_LEAST_ONE_KINDS:
        assert generated.pronacs(kind) <= rules[kind], kind


def test_shared_receipt_plants_have_a_receipt_on_two_lines_with_that_payment_type(generated):
    receipts = generated.receipts
    for kind in ("transfer", "cash", "cheque"):
        for pronac in generated.pronacs(f"shared_receipts_{kind}"):
            own = receipts[(receipts["pronac"] == pronac) & (receipts["payment_type"] == kind)]
            assert own.groupby("receipt_id")["line_id"].nunique().max() >= 2, (kind, pronac)


def test_tail_plants_stand_out_from_their_segment(generated):
    rules = flagged(generated)
    for kind in TAIL_KINDS:
        planted = generated.pronacs(kind)
        found = len(planted & rules[kind]) / len(planted)
        false_alarms = len(generated.clean & rules[kind]) / len(generated.clean)
        assert found >= 0.8, (kind, found)
        assert false_alarms <= 0.02, (kind, false_alarms)


def test_a_proponent_history_target_has_only_very_complex_other_projects(generated):
    projects = generated.projects.set_index("pronac")
    kinds_per_project = generated.planted.groupby("pronac")["indicator"].nunique()
    for target in generated.pronacs("proponent_history"):
        owner = projects.loc[target, "proponent_id"]
        others = projects.index[(projects["proponent_id"] == owner) & (projects.index != target)]
        assert len(others) >= 3
        assert all(kinds_per_project.get(p, 0) >= 5 for p in others)
        assert target not in set(generated.planted.loc[generated.planted["indicator"] != "proponent_history", "pronac"])


def test_anomaly_score_projects_are_extreme_on_several_dimensions(generated):
    rules = flagged(generated)
    for pronac in generated.pronacs("anomaly_score"):
        hits = [kind for kind, found in rules.items() if pronac in found]
        assert len(hits) >= 4, (pronac, hits)


def test_project_names_match_their_segment(generated):
    projects = generated.projects
    mismatched = projects[
        [seg not in name for name, seg in zip(projects["name"], projects["segment_name"], strict=True)]
    ]
    assert mismatched.empty, mismatched[["name", "segment_name"]].head().to_dict("records")
    heritage = projects[projects["area_code"].isin(["5", "6", "9"])]
    assert not heritage["name"].str.startswith(("Temporada", "Caravana", "Semana", "Oficinas")).any()


def test_no_project_raises_more_than_was_approved(generated):
    raised = generated.fundraising.groupby("pronac")["amount"].sum()
    approved = generated.lines.groupby("pronac")["total_approved"].sum()
    over = raised[raised > approved.reindex(raised.index) + 0.05]
    assert over.empty, over.head().to_dict()
