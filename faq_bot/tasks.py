from __future__ import annotations

import threading

from celery import shared_task
from celery.signals import worker_process_init
from django.utils import timezone

from model_store.models import TrainingRun
from model_store.runs import training_run_or_requeue

from .names import TRAIN_TASK
from .training import faq_train


@worker_process_init.connect
def warm_nlp_tables(**_: object) -> None:
    """Load the tokenizer and lemma table (~3 s cold) as the worker process starts, in the
    background, so the first training after a (re)start does not pay it while an editor waits."""
    from .nlp import warm_up

    threading.Thread(target=warm_up, name="warm-nlp-tables", daemon=True).start()


@shared_task(
    bind=True,
    name=TRAIN_TASK,
    acks_late=True,
    ignore_result=True,  # the TrainingRun row is the result
    soft_time_limit=900,
    time_limit=960,
)
def train_faq_model(self, run_id: int) -> str:
    """Run one FAQ training run; a debounced run that is not due yet is put back on the queue."""
    run = TrainingRun.objects.filter(pk=run_id).only("status", "not_before").first()
    if run is None or run.status != TrainingRun.Status.QUEUED:
        return "nothing to do"
    if run.not_before and not self.request.is_eager:
        wait = (run.not_before - timezone.now()).total_seconds()
        if wait > 0.05:
            self.apply_async(args=[run_id], countdown=wait, queue="training")
            return "not due yet"
    return training_run_or_requeue(self, run_id, faq_train, countdown=2)


@shared_task(name="faq_bot.tasks.purge_conversations", acks_late=False, ignore_result=True)
def purge_conversations() -> int:
    from django.conf import settings

    from .answering import faq_conversations_purge

    return faq_conversations_purge(older_than_days=settings.FAQ_CONVERSATION_RETENTION_DAYS)
