"""salic_demo fills an empty database once, quietly, and leaves a production model."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from model_store.services import production_version
from salic_ml.models import ImportRun, Project

pytestmark = pytest.mark.django_db


def test_the_demo_generates_and_imports_into_an_empty_database_only(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("salic_demo", "--projects", "40", "--seed", "2", stdout=out)
    assert Project.objects.count() == 40
    assert (tmp_path / "salic-demo" / "planted.csv").exists()
    lines = out.getvalue().splitlines()
    assert (
        lines[0].startswith("demonstração SALIC: Imported projects 40") and "treino do modelo concluído, v1" in lines[1]
    )
    assert production_version("salic_complexity").version == 1

    again = StringIO()
    call_command("salic_demo", stdout=again)
    assert "o banco já tem 40 projetos" in again.getvalue()
    assert ImportRun.objects.count() == 1
    assert "treino do modelo" not in again.getvalue()  # already in production: no second training
