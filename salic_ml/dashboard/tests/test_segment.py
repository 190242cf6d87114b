"""The segment page: band counts, complexity histogram, per-indicator summary, most complex projects."""

from __future__ import annotations

import pytest

from salic_ml.modelling.indicators import REGISTRY
from salic_ml.models import ProjectScore

from .conftest import build_world

pytestmark = pytest.mark.django_db


def test_the_segment_page_summarises_its_projects(world, evaluator_client):
    response = evaluator_client.get("/salic/segments/S1/")
    assert response.status_code == 200
    assert response.context["total"] == 5
    assert {b["code"]: b["count"] for b in response.context["bands"]} == {
        "normal": 1,
        "complexo": 1,
        "muito_complexo": 3,
    }
    assert sum(response.context["chart"]["histogram"]["counts"]) == 5
    assert [s.project.pronac for s in response.context["top"]] == ["100001", "123456", "100002", "100003", "100004"]


def test_per_indicator_the_share_of_outliers_and_the_median(world, evaluator_client):
    rows = {r["name"]: r for r in evaluator_client.get("/salic/segments/S1/").context["summary"]}
    assert set(rows) == set(REGISTRY)
    # Only the project with evidence is unusual on item_prices: 1 of 5 valid.
    assert (rows["item_prices"]["valid"], rows["item_prices"]["outliers"]) == (5, 1)
    assert rows["item_prices"]["share"] == "20,0%"
    assert rows["anomaly_score"]["share"] == "0,0%"
    # items_count values in S1: 4.0, 5.2, 7.5, 9.4 (complexity + 1) and 500 → median 7.5.
    assert rows["items_count"]["median"] == "7,50"
    assert rows["common_items"]["median"] == "50,0%"


def test_only_the_twenty_most_complex_are_listed(db, evaluator_client):
    build_world(extra_projects=40)
    top = evaluator_client.get("/salic/segments/S1/").context["top"]
    assert len(top) == 20
    complexities = [s.complexity for s in top]
    assert complexities == sorted(complexities, reverse=True)
    best = ProjectScore.objects.filter(project__segment__code="S1").order_by("-complexity").first()
    assert top[0].complexity == best.complexity


def test_the_most_complex_list_is_not_padded_with_zero_complexity_projects(world, evaluator_client):
    response = evaluator_client.get("/salic/segments/S2/")
    assert [s.project.pronac for s in response.context["top"]] == ["100007", "100005"]  # 100006 scores 0,0
    assert "Os 2 projetos mais complexos" in response.content.decode()


def test_unknown_segments_are_not_found(world, evaluator_client):
    assert evaluator_client.get("/salic/segments/NOPE/").status_code == 404


def test_segment_names_are_escaped(world, evaluator_client):
    world.rich.segment.__class__.objects.filter(code="S1").update(name="<b>Teatro</b>")
    html = evaluator_client.get("/salic/segments/S1/").content.decode()
    assert "&lt;b&gt;Teatro&lt;/b&gt;" in html and "<b>Teatro</b>" not in html
