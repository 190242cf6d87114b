from __future__ import annotations

from celery import shared_task

from .runs import training_runs_sweep_stale


@shared_task(name="model_store.tasks.sweep_stale_runs", acks_late=False)
def sweep_stale_runs() -> int:
    return training_runs_sweep_stale()
