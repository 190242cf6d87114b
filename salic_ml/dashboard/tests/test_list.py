"""The ranked list: filters and search in the URL, ordering, pagination, band counts, histogram, escaping."""

from __future__ import annotations

import json
import re

import pytest

from model_store.models import ModelVersion
from salic_ml.models import Project, ProjectScore

from . import builders
from .conftest import build_world

pytestmark = pytest.mark.django_db


def pronacs(response) -> list[str]:
    return [s.project.pronac for s in response.context["page"].object_list]


def chart(response) -> dict:
    html = response.content.decode()
    return json.loads(re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html).group(1))


def test_projects_are_ranked_most_complex_first(world, evaluator_client):
    response = evaluator_client.get("/salic/")
    assert response.status_code == 200
    ranked = pronacs(response)
    assert ranked[:3] == ["100009", "100001", "123456"]  # 9.6, 8.4, 7.8
    assert len(ranked) == 11
    assert response.context["columns"]["complexity"]["aria"] == "descending"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("band=muito_complexo", {"100009", "100001", "123456", "100007", "100002"}),
        ("area=2", {"100008", "100009", "100010"}),
        ("segment=S2", {"100005", "100006", "100007"}),
        ("uf=sp", {"100001", "100003", "100005", "100007", "100009", "123456"}),
        ("min_complexity=7", {"100009", "100001", "123456", "100007"}),
        ("search=100004", {"100004"}),
        ("search=evidências", {"123456"}),
        ("segment=S1&band=complexo", {"100003"}),
    ],
)
def test_each_filter_narrows_the_list_like_the_api(world, evaluator_client, query, expected):
    response = evaluator_client.get(f"/salic/?{query}")
    assert set(pronacs(response)) == expected
    assert response.context["total"] == len(expected)


def test_filters_stay_in_the_form_and_in_every_link(world, evaluator_client):
    html = evaluator_client.get("/salic/?segment=S1&uf=SP&search=Festival&ordering=name").content.decode()
    assert '<option value="S1" selected>' in html
    assert '<option value="SP" selected>' in html
    assert 'value="Festival"' in html
    assert 'name="ordering" value="name"' in html
    export = re.search(r'href="(/salic/export\.csv[^"]*)"', html).group(1)
    assert "segment=S1" in export and "uf=SP" in export and "search=Festival" in export
    # Band links keep the other filters and replace only the band.
    assert "?segment=S1&amp;uf=SP&amp;search=Festival&amp;ordering=name&amp;band=complexo" in html


def test_band_counts_ignore_only_the_band_filter(world, evaluator_client):
    response = evaluator_client.get("/salic/?segment=S1&band=muito_complexo")
    counts = {b["code"]: b["count"] for b in response.context["bands"]}
    # S1: 8.4, 6.5, 7.8 muito complexo; 4.2 complexo; 3.0 normal (3 is not above 3).
    assert counts == {"normal": 1, "complexo": 1, "muito_complexo": 3}
    assert response.context["total"] == 3


def test_the_histogram_counts_the_filtered_projects_in_half_point_bins(world, evaluator_client):
    data = chart(evaluator_client.get("/salic/?segment=S1"))["histogram"]
    counts = data["counts"]
    assert len(counts) == 20 and sum(counts) == 5
    # Right-closed bins line up with the bands: 3.0 is in (2.5, 3.0], 6.5 in (6.0, 6.5].
    assert counts[5] == 1 and counts[12] == 1 and counts[8] == 1 and counts[15] == 1 and counts[16] == 1
    assert data["labels"][5] == "2,5 a 3,0"


@pytest.mark.parametrize(
    ("ordering", "first", "aria"),
    [("name", "100001", "ascending"), ("-pronac", "123456", "descending"), ("complexity", "100006", "ascending")],
)
def test_column_headers_sort_and_say_how(world, evaluator_client, ordering, first, aria):
    response = evaluator_client.get(f"/salic/?ordering={ordering}")
    assert pronacs(response)[0] == first
    key = ordering.lstrip("-")
    assert response.context["columns"][key]["aria"] == aria
    assert f'aria-sort="{aria}"' in response.content.decode()


def test_a_sorted_header_link_flips_the_direction(world, evaluator_client):
    response = evaluator_client.get("/salic/?ordering=name")
    assert response.context["columns"]["name"]["next"] == "-name"
    assert "?ordering=-name" in response.content.decode()


def test_pages_hold_fifty_projects_and_keep_the_filters(db, evaluator_client):
    build_world(extra_projects=120)
    first = evaluator_client.get("/salic/?segment=S1")
    assert first.context["total"] == 125
    assert len(pronacs(first)) == 50
    assert first.context["page"].paginator.num_pages == 3
    assert "?segment=S1&amp;page=2" in first.content.decode()
    last = evaluator_client.get("/salic/?segment=S1&page=3")
    assert len(pronacs(last)) == 25
    seen = pronacs(first) + pronacs(evaluator_client.get("/salic/?segment=S1&page=2")) + pronacs(last)
    assert len(set(seen)) == 125  # a stable order: nobody repeated or skipped across pages
    assert evaluator_client.get("/salic/?page=999").context["page"].number == 3
    assert evaluator_client.get("/salic/?page=abc").context["page"].number == 1


def test_invalid_filters_are_reported_not_a_server_error(world, evaluator_client):
    response = evaluator_client.get("/salic/?band=roxo&min_complexity=muito")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alguns filtros foram ignorados" in html
    assert "Faixa" in html and "Complexidade mínima" in html
    assert response.context["total"] == 11


def test_an_empty_result_says_so(world, evaluator_client):
    response = evaluator_client.get("/salic/?search=nada-disso")
    assert "Nenhum projeto corresponde a estes filtros." in response.content.decode()


def test_project_names_are_escaped(world, evaluator_client):
    Project.objects.filter(pronac="100001").update(name="<script>alert(1)</script>")
    html = evaluator_client.get("/salic/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_without_a_production_model_the_page_explains_what_is_missing(db, evaluator_client):
    builders.model_version(1, status="candidate")
    response = evaluator_client.get("/salic/")
    assert response.status_code == 200
    assert "Ainda não há um modelo de complexidade em produção." in response.content.decode()
    assert not ModelVersion.objects.production().exists()


def test_only_the_production_versions_scores_are_listed(world, evaluator_client):
    old = builders.model_version(2, status="archived")
    builders.score(Project.objects.get(pronac="100006"), old, 9.9)
    response = evaluator_client.get("/salic/")
    assert response.context["total"] == 11
    assert pronacs(response)[0] == "100009"


def test_the_salic_ml_2019_column_appears_only_when_toggled(world, evaluator_client, settings):
    settings.SALIC_PROJECT_URL = "https://versalic.example/#/projetos/{pronac}"
    ProjectScore.objects.filter(project__pronac="100009").update(legacy_complexity=4.5)
    plain = evaluator_client.get("/salic/").content.decode()
    assert "col-legacy" not in plain and 'href="https://versalic.example/#/projetos/100009"' in plain
    compared = evaluator_client.get("/salic/?perfil=salic2019").content.decode()
    assert compared.count('<th scope="col" class="num col-legacy"') == 1
    assert '<td class="num col-legacy">4,5</td>' in compared
    assert 'name="perfil" value="salic2019" checked' in compared
