"""The data admin is searchable, read-only and never counts a big table in full."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salic_ml.admin import CappedCountPaginator
from salic_ml.ingest import salic_import_run
from salic_ml.models import ImportRun, Project

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "salic"


@pytest.fixture
def admin_client_with_data(client, staff_user):
    salic_import_run(paths=[FIXTURES])
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize(
    "page", ["area", "segment", "proponent", "project", "budgetline", "supplier", "receipt", "fundraising", "importrun"]
)
def test_every_list_opens_and_offers_no_add_button(admin_client_with_data, page):
    response = admin_client_with_data.get(f"/admin/salic_ml/{page}/")
    assert response.status_code == 200
    assert f"/admin/salic_ml/{page}/add/" not in response.content.decode()
    assert admin_client_with_data.get(f"/admin/salic_ml/{page}/add/").status_code == 403


def test_a_project_can_be_viewed_but_not_changed_or_deleted(admin_client_with_data):
    project = Project.objects.first()
    page = admin_client_with_data.get(f"/admin/salic_ml/project/{project.pk}/change/")
    assert page.status_code == 200 and "linhas orçamentárias" in page.content.decode()
    admin_client_with_data.post(f"/admin/salic_ml/project/{project.pk}/change/", {"name": "outro"})
    assert Project.objects.get(pk=project.pk).name == project.name
    assert admin_client_with_data.get(f"/admin/salic_ml/project/{project.pk}/delete/").status_code == 403


def test_projects_are_found_by_pronac_name_and_proponent(admin_client_with_data):
    project = Project.objects.select_related("proponent").first()
    for term in (project.pronac, project.name.split()[0], project.proponent.proponent_id):
        response = admin_client_with_data.get("/admin/salic_ml/project/", {"q": term})
        assert project.pronac in response.content.decode(), term


def test_budget_lines_are_found_by_pronac_without_counting_the_whole_table(admin_client_with_data):
    project = Project.objects.first()
    with CaptureQueriesContext(connection) as queries:
        response = admin_client_with_data.get("/admin/salic_ml/budgetline/", {"q": project.pronac})
    assert response.status_code == 200
    lines = project.budget_lines.order_by("line_id")
    assert str(lines.first().line_id) in response.content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts if "salic_ml_budgetline" in sql)


def test_the_capped_paginator_stops_counting_at_its_cap(admin_client_with_data):
    from salic_ml.models import BudgetLine

    paginator = CappedCountPaginator(BudgetLine.objects.order_by("line_id"), 50)
    paginator.CAP = 100
    assert paginator.count == 100


def test_the_import_run_page_links_to_the_projects_it_touched(admin_client_with_data):
    run = ImportRun.objects.get()
    listing = admin_client_with_data.get("/admin/salic_ml/importrun/").content.decode()
    assert f"import_run={run.pk}" in listing
    touched = admin_client_with_data.get("/admin/salic_ml/project/", {"import_run": run.pk})
    assert touched.status_code == 200 and "60 projetos" in touched.content.decode()
