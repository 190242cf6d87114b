"""The Celery fan-out (one task per area + chord callback) gives the one-machine results."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command

from model_store.runs import training_run_create
from salic_ml.modelling.analysis.frames import load_frames
from salic_ml.modelling.scoring import default_weights, score_frames
from salic_ml.models import ProjectScore
from salic_ml.names import MODEL_NAME
from salic_ml.tasks import train_salic_model

pytestmark = pytest.mark.django_db


def test_fanned_out_training_scores_like_the_one_machine_path(tmp_path):
    call_command("salic_generate", "--projects", "500", "--seed", "9", "--out", str(tmp_path), stdout=StringIO())
    call_command("salic_import", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    run = training_run_create(name=MODEL_NAME, trigger="test")
    train_salic_model.apply(args=[run.pk])  # eager: the group and the chord callback run inline
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    stored = pd.Series(
        dict(ProjectScore.objects.filter(model_version=run.version).values_list("project_id", "complexity"))
    )
    local = score_frames(load_frames(), fitted=None, weights=default_weights()).complexity
    assert len(stored) == len(local) == 500
    assert np.allclose(stored.sort_index().to_numpy(), local.sort_index().to_numpy())
