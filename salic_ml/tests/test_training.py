"""Training on generated data: planted anomalies are found, scores are stored, the gate works."""

from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from conftest import kept_for_the_module
from model_store.models import ModelVersion
from salic_ml.modelling.training import salic_train_blocking
from salic_ml.models import Project, ProjectScore
from salic_ml.names import MODEL_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def trained(django_db_setup, django_db_blocker, tmp_path_factory):
    """3,000 generated projects imported and trained once for the module: (data folder, the training run)."""
    out = tmp_path_factory.mktemp("salic")
    with kept_for_the_module(django_db_blocker):
        call_command("salic_generate", "--projects", "3000", "--seed", "11", "--out", str(out), stdout=StringIO())
        call_command("salic_import", str(out), stdout=StringIO(), stderr=StringIO())
        yield out, salic_train_blocking()


def test_every_planted_kind_is_found_and_rarely_flags_clean_projects(trained):
    imported, run = trained
    assert run.status == "succeeded", run.error
    version = run.version
    assert version.status == "production"
    with open(imported / "planted.csv", newline="") as handle:
        planted = list(csv.DictReader(handle))
    ids = dict(Project.objects.values_list("pronac", "id"))
    rows = dict(ProjectScore.objects.filter(model_version=version).values_list("project_id", "indicators"))
    assert len(rows) == Project.objects.count()
    planted_ids = {ids[row["pronac"]] for row in planted}
    clean = [pid for pid in rows if pid not in planted_ids]
    kinds = sorted({row["indicator"] for row in planted})
    assert len(kinds) == 13
    report = {}
    for kind in kinds:
        pids = [ids[row["pronac"]] for row in planted if row["indicator"] == kind]
        recall = sum(rows[p][kind]["is_outlier"] for p in pids) / len(pids)
        clean_rate = sum(rows[p][kind]["is_outlier"] for p in clean) / len(clean)
        report[kind] = (round(recall, 2), round(clean_rate, 3))
    weak = {k: v for k, v in report.items() if v[0] < 0.9 or v[1] > 0.05}
    assert not weak, report


def test_scores_have_the_documented_shape_and_a_second_identical_run_is_skipped(trained):
    first = trained[1]
    score = ProjectScore.objects.filter(model_version=first.version).first()
    indicator = next(iter(score.indicators.values()))
    assert set(indicator) == {
        "value",
        "expected_min",
        "expected_max",
        "is_outlier",
        "valid",
        "weight",
        "excess",
        "evidence",
    }
    assert 0 <= score.complexity <= 10
    again = salic_train_blocking()
    assert again.status == "skipped" and again.version == first.version


def test_the_gate_blocks_when_too_many_projects_change_band(trained, settings):
    first = trained[1].version
    # Same data, other weights: a new training key; every flagged project now counts double.
    settings.SALIC_GATE_MAX_BAND_CHANGE = 0.0
    ModelVersion.objects.filter(pk=first.pk).update(params={**first.params, "weights": {"items_count": 50.0}})
    second = salic_train_blocking().version
    assert second.pk != first.pk
    assert second.status == "rejected"
    assert "mudariam de faixa" in second.gate_reasons[0]
    assert ModelVersion.objects.production().get(name=MODEL_NAME) == first
    assert ProjectScore.objects.filter(model_version=second).count() == Project.objects.count()


def test_an_artifact_pickled_before_the_modelling_wing_still_loads(monkeypatch):
    """Signed versions stored by earlier releases name `salic_ml.training.SalicModel`."""
    import pickle
    from datetime import date

    from salic_ml.modelling.artifact import SalicModel

    monkeypatch.setattr(SalicModel, "__module__", "salic_ml.training")
    blob = pickle.dumps(SalicModel(fitted={"x": 1}, weights={"x": 2.0}, today=date(2020, 1, 2)))
    monkeypatch.undo()
    assert b"salic_ml.training" in blob
    model = pickle.loads(blob)
    assert isinstance(model, SalicModel) and model.weights == {"x": 2.0}
