"""Who gets in: evaluators and model-operating staff; anonymous users log in first; others get 403."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/salic/?band=normal&uf=SP", "/salic/export.csv", "/salic/projects/123456/", "/salic/segments/S1/"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page_with_the_way_back(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/salic/entrar/?next={quote(url, safe='/')}"


@pytest.mark.parametrize("url", PAGES)
def test_editors_are_staff_but_cannot_read_project_data(world, editor_user, url):
    assert editor_user.is_staff
    assert client_for(editor_user).get(url).status_code == 403


def test_api_clients_use_the_api_not_the_dashboards(world, api_client_user):
    assert client_for(api_client_user).get("/salic/").status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_evaluators_and_staff_open_every_page(world, evaluator_user, staff_user, url):
    assert client_for(evaluator_user).get(url).status_code == 200
    assert client_for(staff_user).get(url).status_code == 200


def test_an_inactive_evaluator_is_refused(world, evaluator_user):
    client = client_for(evaluator_user)
    evaluator_user.is_active = False
    evaluator_user.save()
    assert client.get("/salic/").status_code in (302, 403)


def test_an_evaluator_who_is_not_staff_can_log_in_through_the_dashboard_login(client, world, evaluator_user):
    assert not evaluator_user.is_staff
    response = client.post(
        "/salic/entrar/", {"username": "evaluator", "password": "pw-evaluator-123", "next": "/salic/segments/S1/"}
    )
    assert response.status_code == 302 and response["Location"] == "/salic/segments/S1/"
    assert client.get("/salic/segments/S1/").status_code == 200


def test_the_login_page_rejects_a_wrong_password_and_ignores_foreign_next_urls(client, evaluator_user):
    response = client.post("/salic/entrar/", {"username": "evaluator", "password": "nope"})
    assert response.status_code == 200
    assert "Por favor, entre com um usuário" in response.content.decode()
    response = client.post(
        "/salic/entrar/", {"username": "evaluator", "password": "pw-evaluator-123", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/salic/"


def test_only_get_reaches_the_list_and_export(world, evaluator_user):
    client = client_for(evaluator_user)
    assert client.post("/salic/").status_code == 405
    assert client.post("/salic/export.csv").status_code == 405


def test_an_editor_sent_to_the_dashboards_gets_a_portuguese_page_with_a_way_back(editor_user):
    page = client_for(editor_user).get("/salic/")
    text = page.content.decode()
    assert page.status_code == 403
    assert "Acesso restrito" in text and "Forbidden" not in text
    assert 'href="/"' in text and "/admin/" in text  # editors are staff: the admin link is offered
