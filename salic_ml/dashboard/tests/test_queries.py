"""Bounded SQL per page: the count does not grow with projects, evidence or indicators."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from . import builders
from .conftest import add_projects

pytestmark = pytest.mark.django_db

LIST_MAX = 12
DIAGNOSIS_MAX = 15
SEGMENT_MAX = 10

URLS = {
    "list": "/salic/?segment=S1&uf=SP&min_complexity=1&ordering=name",
    "diagnosis": "/salic/projects/123456/",
    "segment": "/salic/segments/S1/",
    "export": "/salic/export.csv?segment=S1",
}


def count(client: Client, url: str, *, cold: bool = True) -> int:
    if cold:  # worst case: the segment summaries are not cached yet
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(ctx.captured_queries)


@pytest.fixture
def counts(world, evaluator_client):
    """Queries per page, then again after 150 more projects in the segment and for the proponent."""
    old = builders.model_version(0, status="archived")
    builders.score(world.rich, old, 2.0)
    builders.promote(world.version, previous=old)
    small = {name: count(evaluator_client, url) for name, url in URLS.items()}
    add_projects(world.version, seg=world.rich.segment, prop=world.rich.proponent, n=150)
    large = {name: count(evaluator_client, url) for name, url in URLS.items()}
    return small, large


def test_query_counts_do_not_grow_with_the_number_of_projects(counts):
    small, large = counts
    assert small == large, (small, large)
    print("queries per page:", large)


def test_the_list_stays_within_its_query_budget(world, evaluator_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIST_MAX):
        evaluator_client.get(URLS["list"])


def test_the_diagnosis_stays_within_its_query_budget(world, evaluator_client, django_assert_max_num_queries):
    # The project has evidence of every kind, a proponent with other projects and a previous version.
    with django_assert_max_num_queries(DIAGNOSIS_MAX):
        evaluator_client.get(URLS["diagnosis"])


def test_the_segment_page_stays_within_its_query_budget(world, evaluator_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(SEGMENT_MAX):
        evaluator_client.get(URLS["segment"])


def test_no_page_reads_model_artifacts_or_the_listing_json(world, evaluator_client):
    """Artifacts are megabytes of model bytes; the list needs no indicators JSON either."""
    for name, url in URLS.items():
        with CaptureQueriesContext(connection) as ctx:
            response = evaluator_client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "artifact" not in sql, name
        if name == "list":
            assert '"salic_ml_projectscore"."indicators"' not in sql, name
        if name == "export":  # one scalar per indicator value and flag, never the whole JSON with evidence
            # SQLite extracts with JSON_EXTRACT(column, path), PostgreSQL with column -> / #> path.
            column = re.escape('"salic_ml_projectscore"."indicators"')
            pattern = rf"JSON_EXTRACT\({column}|\({column}\)\s*(?:->>?|#>>?)|{column}\s*(?:->>?|#>>?)"
            extractions = re.findall(pattern, sql)
            assert extractions, sql[:500]
            whole = re.sub(pattern, "", sql)
            assert '"salic_ml_projectscore"."indicators"' not in whole, name


def test_segment_summaries_are_cached_per_model_version(world, evaluator_client):
    for url in (URLS["diagnosis"], URLS["segment"]):
        cold = count(evaluator_client, url)
        assert count(evaluator_client, url, cold=False) == cold - 1
    # A new production version has its own summaries: nothing stale is served.
    newer = builders.model_version(2, status="candidate")
    builders.score(world.rich, newer, 5.0, builders.indicator_rows(value=42.0))
    builders.score(world.scores[0].project, newer, 5.0, builders.indicator_rows(value=44.0))
    builders.promote(newer, previous=world.version)
    response = evaluator_client.get(URLS["diagnosis"])
    items = next(d for d in response.context["chart"]["distributions"] if d["id"] == "dist-items_count")
    assert items["n"] == 2 and items["median"] == pytest.approx((42 * 44) ** 0.5, rel=1e-4)  # on the log scale
