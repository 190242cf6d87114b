"""demo_setup: one random password per demo user, existing accounts untouched, refused in production."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from core.management.commands import demo_setup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_demo_data(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(demo_setup, "DEMO_COMMANDS", ())  # the users only; demo data has its own tests
    settings.VAR_DIR = tmp_path


def login_ok(username: str, password: str) -> bool:
    return authenticate(RequestFactory().post("/admin/login/"), username=username, password=password) is not None


def test_each_demo_user_gets_its_own_password_kept_in_a_private_file(settings):
    out = StringIO()
    call_command("demo_setup", stdout=out)
    stored = json.loads((settings.VAR_DIR / "demo-passwords.json").read_text())
    assert set(stored) == {"admin", "editor", "avaliador", "cliente-api"}
    assert len(set(stored.values())) == 4
    assert (settings.VAR_DIR / "demo-passwords.json").stat().st_mode & 0o077 == 0
    for username, password in stored.items():
        assert login_ok(username, password) and password in out.getvalue()
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="cliente-api").is_staff
    assert "token da API de cliente-api" in out.getvalue()


def test_an_existing_account_is_never_overwritten():
    User.objects.create_superuser("admin", password="the-real-admin-password-1")
    out = StringIO()
    call_command("demo_setup", stdout=out)
    assert login_ok("admin", "the-real-admin-password-1")
    assert "já existia; senha não alterada" in out.getvalue()
    call_command("demo_setup", stdout=StringIO())  # a second run changes nobody's password either
    assert login_ok("admin", "the-real-admin-password-1")


def test_a_production_configuration_refuses_unless_asked(settings):
    settings.DEBUG, settings.INSECURE_HTTP = False, False
    with pytest.raises(CommandError, match="produção"):
        call_command("demo_setup", stdout=StringIO())
    assert not User.objects.exists()
    call_command("demo_setup", "--allow-production", stdout=StringIO())
    assert User.objects.filter(username="editor").exists()
