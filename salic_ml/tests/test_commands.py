"""`salic_train` and `salic_rescore` from a terminal: what they print, store and refuse."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from model_store.models import ModelVersion, TrainingRun
from salic_ml.models import ImportRun, Project, ProjectScore
from salic_ml.names import MODEL_NAME

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_salic_train_and_salic_rescore_commands(tmp_path):
    with pytest.raises(CommandError, match="nenhuma importação para recalcular"):
        _run("salic_rescore")
    with pytest.raises(CommandError, match="salic_import"):
        _run("salic_train", "--wait")  # nothing imported: the run fails and the command says why
    assert TrainingRun.objects.get().status == "failed"

    call_command("salic_generate", "--projects", "200", "--seed", "3", "--out", str(tmp_path), stdout=StringIO())
    _run("salic_import", str(tmp_path))
    summary = json.loads(_run("salic_train", "--wait", "--json"))
    assert summary["status"] == "succeeded" and summary["version"] == 1 and summary["model_status"] == "production"
    assert summary["gate"]["passed"] is True
    assert ProjectScore.objects.filter(model_version__version=1).count() == Project.objects.count() == 200

    # The same data again: an identical training makes no new version.
    again = json.loads(_run("salic_train", "--wait", "--json"))
    assert again["status"] == "skipped" and again["version"] == 1

    project = Project.objects.select_related("proponent", "area", "segment").order_by("pronac").first()
    change = tmp_path / "change"
    change.mkdir()
    (change / "projects.csv").write_text(
        "pronac,name,proponent_id,area_code,segment_code\n"
        f"{project.pronac},Nome revisado,{project.proponent.proponent_id},{project.area.code},{project.segment.code}\n",
        encoding="utf-8",
    )
    # The import's own rescore is queued on commit, which a test transaction never reaches.
    _run("salic_import", str(change), "--append")
    latest = ImportRun.objects.order_by("-pk").first()
    out = _run("salic_rescore", "--import-run", str(latest.pk))
    assert out.startswith("treino #") and ": concluído; v2 produção em " in out, out
    assert ModelVersion.objects.filter(name=MODEL_NAME).count() == 2
    assert ModelVersion.objects.get(name=MODEL_NAME, version=2).metrics["incremental"] is True
