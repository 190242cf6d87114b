from __future__ import annotations

from celery import shared_task

from model_store.runs import Busy, training_run_execute

from .training import salic_train


@shared_task(bind=True, name="salic_ml.tasks.train_salic_model", acks_late=True, soft_time_limit=1800, time_limit=1900)
def train_salic_model(self, run_id: int) -> str:
    try:
        result = training_run_execute(run_id, salic_train)
    except Busy:
        self.apply_async(args=[run_id], countdown=5, queue="training")
        return "busy; requeued"
    return result.status if result else "already claimed"
