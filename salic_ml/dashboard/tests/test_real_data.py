"""The pages on generated, imported and trained data: real evidence shapes, real query counts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from salic_ml.dashboard.selectors import histogram_bin
from salic_ml.modelling.training import salic_train_blocking
from salic_ml.models import ProjectScore

from .test_queries import DIAGNOSIS_MAX, LIST_MAX, SEGMENT_MAX

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained(tmp_path):
    call_command("salic_generate", "--projects", "400", "--seed", "3", "--out", str(tmp_path), stdout=StringIO())
    call_command("salic_import", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    run = salic_train_blocking()
    assert run.status == "succeeded", run.error
    return run.version


def test_every_page_renders_within_budget_on_trained_data(trained, evaluator_client, django_assert_max_num_queries):
    scores = ProjectScore.objects.filter(model_version=trained)
    with django_assert_max_num_queries(LIST_MAX):
        listing = evaluator_client.get("/salic/")
    assert listing.context["total"] == scores.count() == 400
    # The database's bins (CEILING) agree with the Python definition used elsewhere.
    expected = [0] * 20
    for c in scores.values_list("complexity", flat=True):
        expected[histogram_bin(c)] += 1
    assert listing.context["chart"]["histogram"]["counts"] == expected

    top = scores.select_related("project", "project__segment").order_by("-complexity").first()
    with django_assert_max_num_queries(DIAGNOSIS_MAX):
        page = evaluator_client.get(f"/salic/projects/{top.project.pronac}/")
    assert page.status_code == 200
    tables = [c.evidence for c in page.context["cards"] if c.evidence]
    assert tables, "the most complex project has evidence"
    cells = [cell.text for table in tables for row in table.rows for cell in row]
    # Every line and supplier in the evidence was found by the lookups.
    assert not any(text.startswith(("item ", "fornecedor #")) for text in cells)

    with django_assert_max_num_queries(SEGMENT_MAX):
        segment = evaluator_client.get(f"/salic/segments/{top.project.segment.code}/")
    assert segment.status_code == 200
    assert segment.context["total"] == scores.filter(project__segment=top.project.segment).count()
