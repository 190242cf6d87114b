from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from core.roles import ROLE_NAMES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_home_page_is_in_portuguese_and_links_every_area(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="pt-BR"' in html
    for href in ('href="/chat/"', 'href="/salic/"', 'href="/admin/"', 'href="/api/docs/"'):
        assert href in html


@pytest.mark.django_db
def test_unknown_url_is_a_clean_404_without_traceback(client):
    response = client.get("/nao-existe/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content
    api = client.get("/api/nao-existe/")
    assert api.status_code == 404
    assert api.json() == {"detail": "Não encontrado."}


@pytest.mark.django_db
def test_healthz_rejects_other_methods(client):
    assert client.post("/healthz").status_code == 405
    assert client.delete("/healthz").status_code == 405


@pytest.mark.django_db
def test_migrations_create_the_three_roles_with_permissions():
    groups = {g.name: g for g in Group.objects.all()}
    assert set(ROLE_NAMES) <= set(groups)
    editor_perms = set(groups["Editors"].permissions.values_list("codename", flat=True))
    assert "view_modelversion" in editor_perms


@pytest.mark.django_db
def test_api_default_permission_denies():
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    class Forgotten(APIView):
        def get(self, request):  # pragma: no cover - must never run
            return None

    request = APIRequestFactory().get("/x")
    response = Forgotten.as_view()(request)
    assert response.status_code in (401, 403)


def test_check_deploy_is_clean_with_debug_off_and_a_real_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("INSECURE_HTTP", "DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="a-real-production-secret-" + "x7Q!p9#Lm2@vB4$zR8^wT1&" * 2,
        VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_a_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr
