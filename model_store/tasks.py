from __future__ import annotations

from celery import shared_task

from .runs import training_runs_resend_unsent, training_runs_sweep_stale


@shared_task(name="model_store.tasks.sweep_stale_runs", acks_late=False, ignore_result=True)
def sweep_stale_runs() -> dict[str, int]:
    """Beat's periodic sweep: fail runs whose worker died, send runs that never reached the broker."""
    return {"failed": training_runs_sweep_stale(), "resent": training_runs_resend_unsent()}
