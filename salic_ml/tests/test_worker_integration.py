"""salic training through a real Celery worker: the per-area chord, its failure path, then an import's
incremental rescore."""

from __future__ import annotations

import csv
import sys
from io import StringIO

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command

from conftest import CELERY_WORKER_ARGS, start_celery_worker, wait_until
from model_store.models import ModelVersion, TrainingRun
from salic_ml.ingest import salic_import_run
from salic_ml.modelling.analysis.frames import load_frames
from salic_ml.modelling.fanout import area_ids
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.modelling.scoring import default_weights, score_frames
from salic_ml.modelling.training import salic_train_queue
from salic_ml.models import Project, ProjectScore
from salic_ml.names import MODEL_NAME

pytestmark = pytest.mark.integration

# The forest is refit only by a full training, so anomaly_score is the one indicator an incremental
# rescore does not share with a full recompute.
COMPARED = sorted(set(REGISTRY) - {"anomaly_score"})


def wait_for_run(run_id: int, timeout: float = 180) -> TrainingRun:
    return wait_until(
        lambda: TrainingRun.objects.filter(pk=run_id, status__in=("succeeded", "failed", "skipped")).first(),
        timeout=timeout,
        interval=0.3,
        what=f"run {run_id} finishes",
    )


def _pricier_lines(source, target, pronac: str) -> None:
    """budget_lines.csv with three of `pronac`'s lines 40× more expensive."""
    with open(source / "budget_lines.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["pronac"] == pronac]
        fields = reader.fieldnames
    for row in rows[:3]:
        row["unit_price_approved"] = f"{float(row['unit_price_approved']) * 40:.2f}"
        row["total_approved"] = ""
    target.mkdir()
    with open(target / "budget_lines.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_the_chord_in_a_worker_scores_like_one_machine_and_an_import_rescores_what_changed(
    celery_worker_process, spawn, tmp_path
):
    data = tmp_path / "data"
    call_command("salic_generate", "--projects", "300", "--seed", "4", "--out", str(data), stdout=StringIO())
    call_command("salic_import", str(data), stdout=StringIO(), stderr=StringIO())
    run = wait_for_run(salic_train_queue(trigger="test").pk)
    assert run.status == "succeeded", run.error
    v1 = run.version
    assert v1.status == "production"

    # The fan-out really happened in the worker: one fit task per area, then the chord callback.
    log = spawn.log("worker")
    areas = area_ids()
    assert len(areas) > 1
    assert log.count("salic_ml.tasks.fit_salic_area[") >= 2 * len(areas), log[-3000:]  # received + succeeded
    assert "salic_ml.tasks.assemble_salic_model[" in log
    # ... and gave the one-machine result for every project.
    stored = pd.Series(dict(ProjectScore.objects.filter(model_version=v1).values_list("project_id", "complexity")))
    local = score_frames(load_frames(), fitted=None, weights=default_weights()).complexity
    assert len(stored) == len(local) == 300
    assert np.allclose(stored.sort_index().to_numpy(), local.sort_index().to_numpy())

    # An import that makes three of one project's budget lines 40× dearer: the rescore the import
    # itself queued (nobody else asks for one) must move that project's scores as a full recompute would.
    target = Project.objects.order_by("pronac")[10]
    before = ProjectScore.objects.get(model_version=v1, project=target)
    _pricier_lines(data, tmp_path / "change", target.pronac)
    rescore = salic_import_run(paths=[tmp_path / "change"], append=True).rescore
    assert rescore is not None
    done = wait_for_run(rescore.pk)
    assert done.status == "succeeded", done.error
    assert done.version.status == "production" and done.version.metrics["incremental"]
    assert done.version.metrics["rows_changed"] >= 1
    after = ProjectScore.objects.get(model_version=done.version, project=target)
    assert after.indicators["item_prices"]["value"] != before.indicators["item_prices"]["value"]
    full = score_frames(load_frames(), fitted=None, weights=default_weights())
    for name in COMPARED:
        expected = full.tables[name].loc[target.pk]
        got = after.indicators[name]
        assert bool(expected["is_outlier"]) == got["is_outlier"], name
        if got["value"] is None:
            assert expected["value"] != expected["value"], name  # NaN both ways
        else:
            assert got["value"] == pytest.approx(float(expected["value"]), abs=1e-3), name
    assert TrainingRun.objects.filter(name=MODEL_NAME).count() == 2  # the training and the import's rescore


# A worker whose fit of one area raises: the fault is injected in the test's worker process only.
BROKEN_AREA_WORKER = """
import sys
import django

django.setup()
from salic_ml.modelling import fanout

broken, real = int(sys.argv[1]), fanout.fit_area_part


def fit_area_part(*, run_id, area_id):
    if area_id == broken:
        raise RuntimeError("área quebrada de propósito pelo teste")
    return real(run_id=run_id, area_id=area_id)


fanout.fit_area_part = fit_area_part
from celery.__main__ import main

sys.argv = ["celery", *sys.argv[2:]]
main()
"""


def test_when_one_area_fails_in_the_worker_the_chord_fails_the_run_and_registers_nothing(
    transactional_db, spawn, tmp_path
):
    from config.celery import app

    call_command("salic_generate", "--projects", "200", "--seed", "6", "--out", str(tmp_path), stdout=StringIO())
    call_command("salic_import", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    areas = area_ids()
    assert len(areas) > 1
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        argv = [sys.executable, "-c", BROKEN_AREA_WORKER, str(areas[-1]), *CELERY_WORKER_ARGS[2:]]
        start_celery_worker(spawn, "broken-worker", argv=argv)
        run = wait_for_run(salic_train_queue(trigger="test").pk)
    finally:
        app.conf.task_always_eager = previous
    assert run.status == "failed"
    assert "uma das tarefas por área falhou" in run.error  # fail_salic_run, the chord's error callback
    assert ModelVersion.objects.filter(name=MODEL_NAME).count() == 0
    assert not ProjectScore.objects.exists()
