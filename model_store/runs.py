"""TrainingRun lifecycle: create and queue, claim once, heartbeat, progress, finish, sweep.

Apps write a trainer `fn(ctx) -> RunOutcome` and a Celery task that calls `training_run_execute`.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import ModelName, ModelVersion, TrainingRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOutcome:
    status: str  # TrainingRun.Status.SUCCEEDED or SKIPPED
    version: ModelVersion | None
    message: str = ""


class RunContext:
    """Handed to a trainer: report progress; every report is also a heartbeat."""

    def __init__(self, run: TrainingRun) -> None:
        self.run = run

    def progress(self, percent: int, message: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        TrainingRun.objects.filter(pk=self.run.pk).update(
            progress=percent, message=message[:255], heartbeat_at=timezone.now()
        )


def training_run_create(
    *, name: str, trigger: str, params: dict | None = None, requested_by: Any = None, not_before=None
) -> TrainingRun:
    # A run whose worker died must not hold the name until some worker's sweep comes round: asking
    # for a new run is a moment to notice it (no live worker needed).
    training_runs_sweep_stale(name=name)
    return TrainingRun.objects.create(
        name=name,
        trigger=trigger[:64],
        params=params or {},
        requested_by=requested_by if getattr(requested_by, "pk", None) else None,
        not_before=not_before,
    )


# Key in TrainingRun.params of a run whose task never reached the broker: what to send again.
UNSENT = "unsent_task"


def training_run_enqueue(*, run: TrainingRun, task: str, countdown: float = 0, args: tuple = ()) -> None:
    """Send the task named `task` (run id first, then `args`) once the run row is committed, so the
    worker finds it. Tasks go by name: no caller imports the task module it is called from.

    When the broker is down the request is not lost: the run stays queued, says why, and remembers
    its task so the beat sweep (`training_runs_resend_unsent`) sends it when the broker is back.
    """

    def send() -> None:
        try:
            task_id = _send(task, [run.pk, *args], countdown=countdown)
        except Exception as exc:
            logger.warning("could not queue %s: %s", run, exc)
            _remember_unsent(run.pk, {"task": task, "args": list(args)}, exc)
            return
        _mark_sent(run.pk, task_id)

    transaction.on_commit(send)


def _send(task: str, args: list, *, countdown: float = 0) -> str:
    """Publish one training task; its result is never stored (the run row is the job's state).

    Not storing results also means publishing never waits on the result backend, which with a
    Redis broker is the same server: when it is down, the send fails in about a second instead of
    retrying the backend for twenty while a web request waits.
    """
    from celery import current_app

    # a signature sends by name, so this works in a process that never imported the task
    signature = current_app.signature(task)
    result = signature.apply_async(args=args, countdown=countdown, queue="training", ignore_result=True)
    return result.id or ""


def _remember_unsent(run_id: int, unsent: dict, exc: Exception) -> None:
    with transaction.atomic():
        run = TrainingRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return
        run.params = {**run.params, UNSENT: unsent}
        run.message = f"broker indisponível; o treino será enviado quando ele voltar ({exc})"[:255]
        run.save(update_fields=["params", "message"])


def _mark_sent(run_id: int, task_id: str) -> None:
    with transaction.atomic():
        run = TrainingRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return
        run.task_id = task_id
        fields = ["task_id"]
        if UNSENT in run.params:
            run.params = {k: v for k, v in run.params.items() if k != UNSENT}
            fields.append("params")
            if run.status == TrainingRun.Status.QUEUED:  # a fast worker may already have said more
                run.message = "enviado ao broker"
                fields.append("message")
        run.save(update_fields=fields)


def training_runs_resend_unsent() -> int:
    """Send again the queued runs whose task never reached the broker; returns how many were sent.

    A duplicate delivery is harmless (a run is claimed once), and a debounced run that is not due
    yet is put back on the queue by its task, so sending early is safe.
    """
    sent = 0
    for run in TrainingRun.objects.filter(status=TrainingRun.Status.QUEUED, params__has_key=UNSENT):
        unsent = run.params[UNSENT]
        try:
            task_id = _send(unsent["task"], [run.pk, *unsent.get("args", [])])
        except Exception as exc:  # still down: the next sweep tries again
            logger.warning("could not re-send %s: %s", run, exc)
            return sent
        _mark_sent(run.pk, task_id)
        sent += 1
    return sent


class _Heartbeat(threading.Thread):
    """Beats while the trainer works inside long library calls; dies with the process."""

    def __init__(self, run_id: int) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{run_id}")
        self.run_id = run_id
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.wait(settings.MODEL_STORE_HEARTBEAT_INTERVAL):
                TrainingRun.objects.filter(pk=self.run_id, status="running").update(heartbeat_at=timezone.now())
        finally:
            connection.close()


class Busy(Exception):
    """Another run of the same model name is running; this one must wait its turn."""


def training_run_claim(run_id: int) -> TrainingRun | None:
    """Move queued → running; a duplicate delivery finds nothing to claim and returns None.

    Runs of one model name never overlap (raises Busy), so two requests for the same content end
    with one new version and one `skipped` run instead of two identical versions.
    """
    with transaction.atomic():
        run = TrainingRun.objects.filter(pk=run_id).first()
        if run is None or run.status != TrainingRun.Status.QUEUED:
            return None
        ModelName.objects.get_or_create(name=run.name)
        ModelName.objects.select_for_update().get(name=run.name)
        training_runs_sweep_stale(name=run.name)
        if TrainingRun.objects.filter(name=run.name, status=TrainingRun.Status.RUNNING).exists():
            raise Busy(run.name)
        now = timezone.now()
        claimed = TrainingRun.objects.filter(pk=run_id, status=TrainingRun.Status.QUEUED).update(
            status=TrainingRun.Status.RUNNING, started_at=now, heartbeat_at=now, message="iniciado"
        )
    return TrainingRun.objects.get(pk=run_id) if claimed else None


def training_run_execute(
    run_id: int, trainer: Callable[[RunContext], RunOutcome], *, wait_if_busy: float = 0
) -> TrainingRun | None:
    """Run `trainer` for a queued run. Failures are recorded, never retried, never touch production.

    Raises Busy when another run of the same name is running (after waiting up to `wait_if_busy` s).
    """
    deadline = time.monotonic() + wait_if_busy
    while True:
        try:
            run = training_run_claim(run_id)
            break
        except Busy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.5)
    if run is None:
        logger.info("run %s already claimed or finished; nothing to do", run_id)
        return None
    heartbeat = _Heartbeat(run.pk)
    heartbeat.start()
    try:
        outcome = trainer(RunContext(run))
    except Exception as exc:
        training_run_fail(run.pk, exc)
    else:
        if outcome is not None:  # None: the trainer handed the run to other tasks (e.g. a chord)
            training_run_finish(run.pk, outcome)
    finally:
        heartbeat.stop.set()
        heartbeat.join(timeout=5)
    return TrainingRun.objects.get(pk=run.pk)


def training_run_or_requeue(
    task: Any, run_id: int, trainer: Callable[[RunContext], RunOutcome], *, args: tuple = (), countdown: float = 5
) -> str:
    """The body of every training task: run it, or put it back on the queue while the name is busy.

    Returns a short status for the worker log; the run row holds the real outcome.
    """
    try:
        run = training_run_execute(run_id, trainer)
    except Busy:
        task.apply_async(args=[run_id, *args], countdown=countdown, queue="training")
        return "busy; requeued"
    return run.status if run else "already claimed"


def training_run_fail(run_id: int, exc: BaseException) -> None:
    """Record a failure; production is never touched here."""
    logger.error("training run %s failed: %s", run_id, exc)
    TrainingRun.objects.filter(pk=run_id).update(
        status=TrainingRun.Status.FAILED,
        error=f"{type(exc).__name__}: {exc}\n\n{''.join(traceback.format_exception(exc, limit=8))}"[:20000],
        message="falhou",
        finished_at=timezone.now(),
    )


def training_run_finish(run_id: int, outcome: RunOutcome) -> None:
    TrainingRun.objects.filter(pk=run_id).update(
        status=outcome.status,
        version=outcome.version,
        progress=100,
        message=(outcome.message or outcome.status)[:255],
        finished_at=timezone.now(),
    )


def training_runs_sweep_stale(*, timeout_seconds: int | None = None, name: str | None = None) -> int:
    """Mark running runs (of `name`, or all) whose heartbeat stopped (worker killed, machine lost) as failed.

    Called by beat's periodic sweep, and whenever a run is requested or claimed.
    """
    timeout_seconds = timeout_seconds or settings.MODEL_STORE_HEARTBEAT_TIMEOUT
    cutoff = timezone.now() - timedelta(seconds=timeout_seconds)
    stale = TrainingRun.objects.filter(status=TrainingRun.Status.RUNNING, heartbeat_at__lt=cutoff)
    if name is not None:
        stale = stale.filter(name=name)
    return stale.update(
        status=TrainingRun.Status.FAILED,
        error=f"Sem sinal de vida (heartbeat) há mais de {timeout_seconds} s: o worker parou durante o treino.",
        message="falhou (heartbeat perdido)",
        finished_at=timezone.now(),
    )
