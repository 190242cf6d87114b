from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from model_store.models import ModelVersion, TrainingRun
from model_store.pipeline import FitResult, train_and_gate
from model_store.runs import training_run_claim, training_run_create, training_run_execute, training_runs_sweep_stale
from model_store.services import GateResult, dataset_snapshot_create, production_version

from .conftest import make_version

pytestmark = pytest.mark.django_db


def _trainer(payload: dict, *, passed: bool = True, calls: list | None = None):
    def trainer(ctx):
        dataset = dataset_snapshot_create(kind="faq", rows=payload, row_counts={"rows": 1}, source="test")

        def fit(ctx):
            if calls is not None:
                calls.append(payload)
            ctx.progress(50, "fitting")
            return FitResult(obj=payload, metrics={"macro_f1": 1.0}, report={})

        return train_and_gate(
            ctx=ctx,
            name="toy",
            dataset=dataset,
            params={"c": 1},
            code_version="1",
            fit=fit,
            gate=lambda cand, prod: GateResult(passed, [] if passed else ["blocked"]),
        )

    return trainer


def test_a_run_trains_registers_and_promotes():
    run = training_run_create(name="toy", trigger="test")
    run = training_run_execute(run.pk, _trainer({"x": 1}))
    assert run.status == "succeeded" and run.progress == 100
    assert run.version.status == "production"


def test_identical_data_params_and_code_are_skipped_pointing_at_the_existing_version():
    calls: list = []
    first = training_run_execute(training_run_create(name="toy", trigger="t").pk, _trainer({"x": 1}, calls=calls))
    again = training_run_execute(training_run_create(name="toy", trigger="t").pk, _trainer({"x": 1}, calls=calls))
    assert again.status == "skipped"
    assert again.version == first.version
    assert len(calls) == 1
    assert ModelVersion.objects.filter(name="toy").count() == 1


def test_a_failing_run_records_the_error_and_leaves_production_unchanged():
    v1 = make_version("toy", {"x": 1})

    def broken(ctx):
        ctx.progress(30, "about to fail")
        raise ValueError("features are empty")

    run = training_run_execute(training_run_create(name="toy", trigger="t").pk, broken)
    assert run.status == "failed"
    assert "ValueError: features are empty" in run.error
    assert production_version("toy") == v1


def test_a_duplicate_delivery_does_nothing():
    run = training_run_create(name="toy", trigger="t")
    assert training_run_claim(run.pk) is not None
    calls: list = []
    assert training_run_execute(run.pk, _trainer({"x": 1}, calls=calls)) is None
    assert calls == []


def test_sweep_marks_runs_with_a_stale_heartbeat_as_failed():
    stale = training_run_create(name="toy", trigger="t")
    fresh = training_run_create(name="toy", trigger="t")
    TrainingRun.objects.filter(pk=stale.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    TrainingRun.objects.filter(pk=fresh.pk).update(status="running", heartbeat_at=timezone.now())
    assert training_runs_sweep_stale(timeout_seconds=60) == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == "failed" and "heartbeat" in stale.error
    assert fresh.status == "running"
