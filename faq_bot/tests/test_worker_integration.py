"""Content edits retrain in a real Celery worker process and the new model is served."""

from __future__ import annotations

import time

import pytest

from conftest import wait_until
from faq_bot.content import faq_example_add
from faq_bot.models import Intent
from faq_bot.names import MODEL_NAME
from faq_bot.training import faq_retrain_schedule, faq_train_blocking
from model_store.models import TrainingRun
from model_store.services import production_version

from .conftest import build_content

pytestmark = pytest.mark.integration


def wait_for(predicate, timeout: float = 90.0):
    return wait_until(predicate, timeout=timeout, interval=0.2)


def test_an_edit_is_trained_by_the_worker_and_promoted(celery_worker_process, settings):
    settings.FAQ_RETRAIN_DEBOUNCE_SECONDS = 1
    build_content()
    v1 = faq_train_blocking().version
    faq_example_add(intent=Intent.objects.get(name="ingressos"), text="meia entrada para estudantes no show")
    v2 = wait_for(lambda: (p := production_version(MODEL_NAME)) and p.version > v1.version and p)
    run = TrainingRun.objects.get(version=v2)
    assert run.status == "succeeded" and run.task_id and run.trigger == "example added"


def test_a_burst_of_edits_trains_once_in_the_worker(celery_worker_process, settings):
    settings.FAQ_RETRAIN_DEBOUNCE_SECONDS = 1
    build_content()
    intent = Intent.objects.get(name="saudacao")
    for text in ("oi oi", "olá olá", "bom diaaa", "boa tardeee", "oie"):
        faq_retrain_schedule(trigger="burst")
        faq_example_add(intent=intent, text=text)
    wait_for(lambda: TrainingRun.objects.filter(status__in=["succeeded", "failed", "skipped"]).exists())
    time.sleep(2)  # a second run, if any, would have been queued by now
    assert TrainingRun.objects.count() == 1
    assert TrainingRun.objects.get().status == "succeeded"
