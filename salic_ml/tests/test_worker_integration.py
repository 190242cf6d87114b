"""salic training through a real Celery worker: the per-area chord, then an import's incremental rescore."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.management import call_command

from model_store.models import TrainingRun
from salic_ml.ingest import salic_import_run
from salic_ml.modelling.training import salic_train_queue
from salic_ml.models import Project, ProjectScore

pytestmark = pytest.mark.integration


def wait_for_run(run_id: int, timeout: float = 120) -> TrainingRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = TrainingRun.objects.get(pk=run_id)
        if run.status in ("succeeded", "failed", "skipped"):
            return run
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} still {TrainingRun.objects.get(pk=run_id).status}")


def test_full_training_fans_out_in_the_worker_and_an_import_is_rescored(celery_worker_process, tmp_path):
    call_command("salic_generate", "--projects", "300", "--seed", "4", "--out", str(tmp_path), stdout=StringIO())
    call_command("salic_import", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    run = wait_for_run(salic_train_queue(trigger="test").pk)
    assert run.status == "succeeded", run.error
    assert run.version.status == "production"
    assert ProjectScore.objects.filter(model_version=run.version).count() == 300

    project = Project.objects.order_by("pronac").first()
    changed = tmp_path / "change"
    changed.mkdir()
    (changed / "projects.csv").write_text(
        "pronac,name,proponent_id,area_code,segment_code\n"
        f"{project.pronac},Nome revisado,{project.proponent.proponent_id},{project.area.code},{project.segment.code}\n",
        encoding="utf-8",
    )
    rescore = salic_import_run(paths=[changed]).rescore  # the import itself queued it
    assert rescore is not None
    done = wait_for_run(rescore.pk)
    assert done.status in ("succeeded", "skipped"), done.error
