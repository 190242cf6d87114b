"""Passwords cannot be guessed by brute force on either login page (django-axes)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = {"admin": "/admin/login/", "dashboards": "/salic/entrar/"}


def attempt(client: Client, page: str, username: str, password: str, **meta: str):
    return client.post(PAGES[page], {"username": username, "password": password}, **meta)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_after_the_failure_limit_even_the_right_password_is_refused_for_a_while(page, settings, staff_user):
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, page, "staff", f"wrong-{i}", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        assert response.status_code == (200 if i < settings.AXES_FAILURE_LIMIT - 1 else 429)
    locked = attempt(client, page, "staff", "pw-staff-123")
    assert locked.status_code == 429
    assert "Muitas tentativas de entrada" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    # The lock is per account and per address and lasts the cool-off; lifting it (as the cool-off
    # does) lets the right password in again.
    AccessAttempt.objects.all().delete()
    assert attempt(Client(), page, "staff", "pw-staff-123").status_code == 302


def test_failures_spread_over_accounts_from_one_address_lock_that_address(settings, staff_user, editor_user):
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "admin", f"guess{i}", "x", REMOTE_ADDR="203.0.113.5")
    assert attempt(client, "admin", "editor", "pw-editor-123", REMOTE_ADDR="203.0.113.5").status_code == 429
    # another address is not locked, and the account itself had no failures
    assert attempt(Client(), "admin", "editor", "pw-editor-123", REMOTE_ADDR="203.0.113.6").status_code == 302


def test_attempts_are_listed_for_staff_in_the_admin(client, settings, staff_user):
    attempt(Client(), "admin", "staff", "wrong")
    client.force_login(staff_user)
    page = client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "staff" in page.content.decode()
