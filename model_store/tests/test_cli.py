from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from conftest import wait_until
from model_store.models import ModelArtifact, ModelVersion
from model_store.serving import clear_cache, get_production_model

from .conftest import make_version

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> str:
    out = StringIO()
    call_command("models", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_list_json_includes_each_production_version():
    make_version("a", {"x": 1})
    make_version("a", {"x": 2}, passed=False)
    rows = json.loads(_run("list", "--json"))
    assert rows == [{"name": "a", "latest_version": 2, "production_version": 1, "versions": 2}]


@pytest.mark.django_db
def test_show_promote_and_rollback(staff_user):
    make_version("a", {"x": 1})
    make_version("a", {"x": 2}, passed=False)
    assert json.loads(_run("show", "a", "2", "--json"))["gate_passed"] is False
    with pytest.raises(CommandError, match="portão"):
        _run("promote", "a", "2")
    _run("promote", "a", "2", "--force", "--reason", "approved", "--user", "staff")
    assert ModelVersion.objects.get(name="a", version=2).status == "production"
    assert "v1" in _run("rollback", "a")


@pytest.mark.django_db
def test_verify_fails_when_an_artifact_was_tampered():
    mv = make_version("a", {"x": 1})
    assert "OK" in _run("verify")
    ModelVersion.objects.filter(pk=mv.pk).update(signature="f" * 64)
    with pytest.raises(CommandError, match=r"reprovado\(s\) na verificação"):
        _run("verify")


def _subprocess_env() -> dict[str, str]:
    from conftest import _database_url

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "VAR_DIR": str(settings.VAR_DIR),
    }


@pytest.mark.django_db(transaction=True)
def test_verify_exit_code_is_nonzero_for_a_tampered_artifact_in_a_real_process():
    mv = make_version("a", {"x": 1})
    ModelArtifact.objects.filter(version=mv).update(data=b"evil")
    result = subprocess.run(
        [sys.executable, "manage.py", "models", "verify"],
        cwd=ROOT,
        env=_subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "FALHA a v1" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_a_promotion_by_another_process_is_picked_up_without_a_restart(staff_user, settings):
    # an hour between periodic checks: only the promotion event (the stamp file) can make this pass
    settings.MODEL_STORE_CHECK_SECONDS = 3600
    clear_cache()
    make_version("a", {"x": 1})
    make_version("a", {"x": 2}, passed=False)
    assert get_production_model("a").version == 1
    subprocess.run(
        [sys.executable, "manage.py", "models", "promote", "a", "2", "--force", "--reason", "r", "--user", "staff"],
        cwd=ROOT,
        env=_subprocess_env(),
        check=True,
        capture_output=True,
        timeout=120,
    )
    wait_until(lambda: get_production_model("a").version == 2, timeout=60, what="the promotion is noticed")
