"""After an import: queue the incremental rescore of the projects it touched.

It lives with the import so every importer (CLI, admin, demo, a future upload page) gets it. The task
goes by name, so the data wing never imports the modelling wing.
"""

from __future__ import annotations

from django.db import transaction

from model_store.models import ModelVersion, TrainingRun
from model_store.runs import training_run_create, training_run_enqueue
from salic_ml.models import ImportRun
from salic_ml.names import MODEL_NAME, RESCORE_TASK


def salic_rescore_queue(*, import_run: ImportRun) -> TrainingRun | None:
    """Queue an incremental rescore when an import changed projects and a model is in production.

    Returns the queued run, or None when there is nothing to rescore.
    """
    if not import_run.touched_projects or not ModelVersion.objects.production().for_name(MODEL_NAME).exists():
        return None
    with transaction.atomic():
        run = training_run_create(
            name=MODEL_NAME, trigger=f"importação #{import_run.pk}", params={"import_run": import_run.pk}
        )
        training_run_enqueue(run=run, task=RESCORE_TASK, args=(import_run.pk,))
    return run
