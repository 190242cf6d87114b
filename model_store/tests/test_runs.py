from __future__ import annotations

from datetime import timedelta

import pytest
from celery import shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError

from model_store.models import ModelVersion, TrainingRun
from model_store.pipeline import FitResult, train_and_gate
from model_store.runs import (
    UNSENT,
    training_run_claim,
    training_run_create,
    training_run_enqueue,
    training_run_execute,
    training_runs_resend_unsent,
    training_runs_sweep_stale,
)
from model_store.services import GateResult, dataset_snapshot_create, production_version
from model_store.tasks import sweep_stale_runs

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


def test_a_run_whose_worker_died_does_not_block_the_next_one_without_any_worker_sweeping(settings):
    """No beat, no worker: requesting and claiming the next run notices the dead one by itself."""
    dead = training_run_create(name="toy", trigger="t")
    TrainingRun.objects.filter(pk=dead.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(seconds=settings.MODEL_STORE_HEARTBEAT_TIMEOUT + 5)
    )
    assert TrainingRun.objects.get(pk=dead.pk).is_stale()
    following = training_run_create(name="toy", trigger="t")
    assert TrainingRun.objects.get(pk=dead.pk).status == "failed"
    claimed = training_run_claim(following.pk)  # no Busy
    assert claimed is not None and claimed.status == "running"


def test_a_stale_run_still_marked_running_is_shown_as_such_in_the_admin(client, staff_user, settings):
    run = training_run_create(name="toy", trigger="t")
    TrainingRun.objects.filter(pk=run.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(seconds=settings.MODEL_STORE_HEARTBEAT_TIMEOUT + 120)
    )
    client.force_login(staff_user)
    assert "sem sinal do worker há" in client.get("/admin/model_store/trainingrun/").content.decode()


@shared_task(name="model_store.tests.toy_train", ignore_result=True)
def toy_train(run_id: int, extra: int) -> None:
    """Stands in for an app's training task: records what it was sent."""
    toy_train.calls.append((run_id, extra))


toy_train.calls = []


def broker_refuses(*args, **kwargs):
    """Publishing while the broker refuses connections, as kombu reports it."""
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def enqueue_while_broker_down(monkeypatch, capture, run, args=()):
    with monkeypatch.context() as down:
        down.setattr("celery.canvas.Signature.apply_async", broker_refuses)
        with capture(execute=True):
            training_run_enqueue(run=run, task=toy_train.name, args=args)


def test_a_run_whose_task_cannot_reach_the_broker_stays_queued_says_why_and_the_sweep_sends_it(
    django_capture_on_commit_callbacks, monkeypatch
):
    toy_train.calls.clear()
    run = training_run_create(name="toy", trigger="t", params={"keep": 1})
    enqueue_while_broker_down(monkeypatch, django_capture_on_commit_callbacks, run, args=(7,))
    run.refresh_from_db()
    assert run.status == "queued" and run.task_id == ""
    assert run.message.startswith("broker indisponível") and "Connection refused" in run.message
    assert run.params == {"keep": 1, UNSENT: {"task": "model_store.tests.toy_train", "args": [7]}}

    assert training_runs_resend_unsent() == 1  # the broker is back
    assert toy_train.calls == [(run.pk, 7)]
    run.refresh_from_db()
    assert run.params == {"keep": 1} and run.task_id and run.message == "enviado ao broker"
    assert training_runs_resend_unsent() == 0


def test_the_sweep_keeps_an_unsent_run_while_the_broker_is_still_down(django_capture_on_commit_callbacks, monkeypatch):
    run = training_run_create(name="toy", trigger="t")
    enqueue_while_broker_down(monkeypatch, django_capture_on_commit_callbacks, run)
    monkeypatch.setattr("celery.canvas.Signature.apply_async", broker_refuses)
    assert training_runs_resend_unsent() == 0
    run.refresh_from_db()
    assert run.status == "queued" and UNSENT in run.params


def test_the_sweep_task_fails_stale_runs_and_resends_unsent_ones(django_capture_on_commit_callbacks, monkeypatch):
    toy_train.calls.clear()
    stale = training_run_create(name="toy", trigger="t")
    TrainingRun.objects.filter(pk=stale.pk).update(status="running", heartbeat_at=timezone.now() - timedelta(hours=1))
    unsent = training_run_create(name="other", trigger="t")  # another name: its request sweeps only its own
    enqueue_while_broker_down(monkeypatch, django_capture_on_commit_callbacks, unsent, args=(3,))
    assert sweep_stale_runs() == {"failed": 1, "resent": 1}
    assert toy_train.calls == [(unsent.pk, 3)]
