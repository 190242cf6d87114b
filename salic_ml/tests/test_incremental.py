"""After an import that touched one project, only its scope is recomputed, with full-recompute results."""

from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from salic_ml.modelling.analysis.frames import load_frames
from salic_ml.modelling.incremental import salic_rescore_blocking
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.scoring import default_weights, score_frames
from salic_ml.modelling.training import salic_train_blocking
from salic_ml.models import ImportRun, Project, ProjectScore

pytestmark = pytest.mark.django_db

# The forest is refit only by a full training, so anomaly_score is the one indicator not compared.
COMPARED = sorted(set(REGISTRY) - {"anomaly_score"})


def _changed_lines(source, target, pronac: str) -> None:
    with open(source / "budget_lines.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["pronac"] == pronac]
        fields = reader.fieldnames
    for row in rows[:3]:  # three lines become 40× more expensive
        price = float(row["unit_price_approved"]) * 40
        row["unit_price_approved"] = f"{price:.2f}"
        row["total_approved"] = ""
    target.mkdir()
    with open(target / "budget_lines.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_incremental_rescore_matches_a_full_recompute_for_the_affected_projects(tmp_path):
    data = tmp_path / "data"
    call_command("salic_generate", "--projects", "600", "--seed", "5", "--out", str(data), stdout=StringIO())
    call_command("salic_import", str(data), stdout=StringIO(), stderr=StringIO())
    full_v1 = salic_train_blocking().version
    target = Project.objects.order_by("pronac")[10]
    _changed_lines(data, tmp_path / "change", target.pronac)
    call_command("salic_import", str(tmp_path / "change"), stdout=StringIO(), stderr=StringIO())
    import_run = ImportRun.objects.order_by("-pk").first()
    assert list(import_run.touches.values_list("project_id", flat=True)) == [target.pk]

    run = salic_rescore_blocking(import_run_id=import_run.pk)
    assert run.status == "succeeded", run.error
    incremental = run.version
    assert incremental.metrics["incremental"] and incremental.metrics["rescored"] < Project.objects.count()
    assert ProjectScore.objects.filter(model_version=incremental).count() == Project.objects.count()

    full = score_frames(load_frames(), fitted=None, weights=default_weights())
    area_ids = set(incremental.metrics["areas"])
    scope = list(Project.objects.filter(area_id__in=area_ids).values_list("pk", flat=True))
    rows = dict(
        ProjectScore.objects.filter(model_version=incremental, project_id__in=scope).values_list(
            "project_id", "indicators"
        )
    )
    mismatches = []
    for pid in scope:
        for name in COMPARED:
            expected = full.tables[name].loc[pid]
            got = rows[pid][name]
            same_flag = bool(expected["is_outlier"]) == got["is_outlier"] and bool(expected["valid"]) == got["valid"]
            value = expected["value"]
            same_value = (got["value"] is None and (value != value)) or (
                got["value"] is not None and abs(float(value) - got["value"]) < 1e-3
            )
            if not (same_flag and same_value):
                mismatches.append((pid, name, got["value"], float(value)))
    peers = Project.objects.filter(proponent_id=target.proponent_id).exclude(area_id__in=area_ids)
    peer_rows = dict(
        ProjectScore.objects.filter(model_version=incremental, project__in=peers).values_list(
            "project_id", "indicators"
        )
    )
    for pid, indicators in peer_rows.items():
        expected = full.tables["proponent_history"].loc[pid]
        if bool(expected["is_outlier"]) != indicators["proponent_history"]["is_outlier"]:
            mismatches.append((pid, "proponent_history (peer)"))
    assert not mismatches, mismatches[:5]
    unchanged = ProjectScore.objects.filter(model_version=full_v1).exclude(project__area_id__in=area_ids).count()
    copied = ProjectScore.objects.filter(model_version=incremental).exclude(project__area_id__in=area_ids).count()
    assert unchanged == copied
