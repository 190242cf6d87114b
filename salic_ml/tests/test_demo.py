"""salic_demo fills an empty database once, quietly."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from salic_ml.models import ImportRun, Project

pytestmark = pytest.mark.django_db


def test_the_demo_generates_and_imports_into_an_empty_database_only(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("salic_demo", "--projects", "40", "--seed", "2", stdout=out)
    assert Project.objects.count() == 40
    assert (tmp_path / "salic-demo" / "planted.csv").exists()
    assert out.getvalue().count("\n") == 1 and out.getvalue().startswith("SALIC demo: Imported projects 40")

    again = StringIO()
    call_command("salic_demo", stdout=again)
    assert "already has 40 projects" in again.getvalue()
    assert ImportRun.objects.count() == 1
