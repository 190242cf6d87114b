from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from conftest import kept_for_the_module
from salic_ml.modelling.training import salic_train_blocking
from salic_ml.models import Project, ProjectScore

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scored(django_db_setup, django_db_blocker, tmp_path_factory):
    """Generated, imported and trained once for the module: every test here only reads."""
    out = tmp_path_factory.mktemp("salic-api")
    with kept_for_the_module(django_db_blocker):
        call_command("salic_generate", "--projects", "300", "--seed", "8", "--out", str(out), stdout=StringIO())
        call_command("salic_import", str(out), stdout=StringIO(), stderr=StringIO())
        yield salic_train_blocking().version


@pytest.fixture
def reader(api_client, api_client_user):
    token = Token.objects.create(user=api_client_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


def test_detail_has_exactly_the_documented_shape(reader, scored):
    score = ProjectScore.objects.filter(model_version=scored).order_by("-complexity").first()
    body = reader.get(f"/api/salic/projects/{score.project.pronac}/").json()
    assert set(body) == {
        "pronac",
        "name",
        "area",
        "segment",
        "proponent_id",
        "complexity",
        "band",
        "band_label",
        "indicators",
        "model",
        "severity",
        "salic_ml_2019",
        "public_url",
    }
    assert set(body["area"]) == {"code", "name"} and set(body["segment"]) == {"code", "name"}
    assert body["model"] == {
        "name": "salic_complexity",
        "version": scored.version,
        "population_fit_version": scored.version,
    }
    assert body["band"] == score.band and body["band_label"] in {"Normal", "Complexo", "Muito complexo"}
    assert len(body["indicators"]) == 15
    for row in body["indicators"].values():
        assert set(row) == {
            "value",
            "expected_min",
            "expected_max",
            "is_outlier",
            "valid",
            "weight",
            "excess",
            "evidence",
        }
    assert set(body["salic_ml_2019"]) == {"complexity", "metrics"}
    assert 0 <= body["salic_ml_2019"]["complexity"] <= 10
    assert body["public_url"].endswith(score.project.pronac)


def test_unknown_pronac_is_404(reader, scored):
    assert reader.get("/api/salic/projects/000000/").status_code == 404


def test_list_filters_search_and_ordering(reader, scored):
    project = Project.objects.select_related("area", "segment").first()
    by_area = reader.get(f"/api/salic/projects/?area={project.area.code}").json()
    assert by_area["count"] == Project.objects.filter(area=project.area).count()
    assert all(row["area"]["code"] == project.area.code for row in by_area["results"])
    found = reader.get(f"/api/salic/projects/?search={project.pronac}").json()
    assert [row["pronac"] for row in found["results"]] == [project.pronac]
    ordered = reader.get("/api/salic/projects/?ordering=-complexity").json()["results"]
    assert [r["complexity"] for r in ordered] == sorted((r["complexity"] for r in ordered), reverse=True)
    high = reader.get("/api/salic/projects/?min_complexity=3.1").json()
    assert all(row["complexity"] >= 3.1 for row in high["results"])
    assert high["count"] == ProjectScore.objects.filter(model_version=scored, complexity__gte=3.1).count()


def test_band_is_the_code_and_band_label_the_name_in_both_list_and_detail(reader, scored):
    row = reader.get("/api/salic/projects/?ordering=-complexity").json()["results"][0]
    detail = reader.get(f"/api/salic/projects/{row['pronac']}/").json()
    assert row["band"] == detail["band"] and row["band"] in {"normal", "complexo", "muito_complexo"}
    assert row["band_label"] == detail["band_label"] != row["band"]
    assert reader.get(f"/api/salic/projects/?band={detail['band']}").json()["count"] >= 1


@pytest.mark.parametrize("query", ["band=enorme", "min_complexity=abc", "min_complexity=11", "ordering=senha"])
def test_bad_filter_values_are_400(reader, scored, query):
    assert reader.get(f"/api/salic/projects/?{query}").status_code == 400


def test_list_query_count_does_not_grow_with_the_page(reader, scored, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = reader.get("/api/salic/projects/?page=1")
    assert response.status_code == 200 and len(response.json()["results"]) == 50


def test_segments_and_indicator_catalog(reader, scored):
    segments = reader.get("/api/salic/segments/").json()["results"]
    code = segments[0]["code"]
    detail = reader.get(f"/api/salic/segments/{code}/").json()
    assert detail["code"] == code and sum(detail["bands"].values()) == detail["projects"]
    catalog = reader.get("/api/salic/indicators/").json()
    assert {row["name"] for row in catalog} >= {"item_prices", "shared_receipts_cash", "anomaly_score"}
    assert all(row["description"] for row in catalog)
    assert reader.get("/api/salic/segments/XYZ/").status_code == 404


def test_permissions(api_client, scored, evaluator_user, editor_user):
    assert api_client.get("/api/salic/projects/").status_code in (401, 403)
    api_client.force_authenticate(editor_user)
    assert api_client.get("/api/salic/projects/").status_code == 403
    api_client.force_authenticate(evaluator_user)
    assert api_client.get("/api/salic/projects/").status_code == 200
    assert api_client.post("/api/salic/projects/", {}).status_code in (403, 405)
