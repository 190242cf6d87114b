"""The Celery application: `celery -A config worker` consumes the `default` and `training` queues."""

from __future__ import annotations

import os

from celery import Celery
from kombu import Queue

import core.broker  # noqa: F401  (registers the atomicfs:// transport)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
# The default app in every thread too (live-server and ASGI worker threads), not only the importing one:
# otherwise `current_app` there is a bare Celery() that publishes to amqp://localhost.
app.set_default()
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("training"))
app.conf.task_routes = {"*.train_*": {"queue": "training"}, "salic_ml.tasks.*": {"queue": "training"}}
# The beat schedule is CELERY_BEAT_SCHEDULE in config/settings.py.
app.autodiscover_tasks()


@app.task(name="config.ping", acks_late=False)
def ping() -> str:
    """Round trip used by /healthz to prove a live worker consumes the broker."""
    return "pong"
