"""The diagnosis page: gauge, indicator cards, segment distributions, evidence, proponent, version changes."""

from __future__ import annotations

import json
import re

import pytest

from salic_ml.dashboard import formatting as fmt
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.models import Project, ProjectScore

from . import builders

pytestmark = pytest.mark.django_db


def chart(response) -> dict:
    html = response.content.decode()
    return json.loads(re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html).group(1))


def test_the_gauge_shows_the_score_and_its_band(world, evaluator_client):
    response = evaluator_client.get("/salic/projects/123456/")
    assert response.status_code == 200
    assert chart(response)["gauge"]["value"] == 7.8
    assert chart(response)["gauge"]["band"] == "muito_complexo"
    html = response.content.decode()
    assert 'aria-label="Medidor: complexidade 7,8 de 10, faixa Muito complexo"' in html
    assert "7 de 15 indicadores com dados estão fora do esperado" in html


def test_one_card_per_indicator_heaviest_first_with_its_sentence(world, evaluator_client):
    response = evaluator_client.get("/salic/projects/123456/")
    cards = response.context["cards"]
    assert [c.name for c in cards][:2] == ["shared_receipts_transfer", "shared_receipts_cash"]
    assert sorted(c.name for c in cards) == sorted(REGISTRY)
    weights = [c.weight for c in cards]
    assert weights == sorted(weights, reverse=True)
    funds = next(c for c in cards if c.name == "funds_to_verify")
    assert funds.is_outlier and funds.status == "incomum"
    assert funds.value_text == "R$ 500,00" and funds.range_text == "R$ 1,00 a R$ 100,00"
    html = response.content.decode()
    score = ProjectScore.objects.get(project__pronac="123456")
    for name, ind in REGISTRY.items():
        assert ind.title in html
        assert ind.sentence(score.indicators[name]) in html


def test_segment_compared_indicators_plot_the_segment_with_this_project_marked(world, evaluator_client):
    distributions = {d["id"]: d for d in chart(evaluator_client.get("/salic/projects/123456/"))["distributions"]}
    assert set(distributions) == {
        "dist-items_count",
        "dist-approved_total",
        "dist-receipts_count",
        "dist-common_items",
        "dist-new_suppliers",
        "dist-raised_total",
        "dist-verified_total",
    }
    items = distributions["dist-items_count"]
    # Segment S1 under v1: four projects with value complexity + 1 and this one with 500.
    assert items["n"] == 5 and items["value"] == 500.0
    assert items["min"] == 4.0 and items["max"] == 500.0
    assert items["log"] is True and items["q1"] <= items["median"] <= items["q3"]
    assert items["expected_min"] == 1.0 and items["expected_max"] == 100.0
    assert distributions["dist-common_items"]["share"] is True


def test_evidence_tables_name_items_suppliers_and_receipt_allocations(world, evaluator_client):
    html = evaluator_client.get("/salic/projects/123456/").content.decode()
    # Overpriced line with the item's segment median and the ratio.
    assert "Cachê de artista 0" in html and "R$ 20,00" in html and "5,00×" in html
    # Receipts over the approved total, uncommon items.
    assert "Cachê de artista 1" in html and "R$ 450,00" in html and "2,25×" in html
    assert "Cachê de artista 2" in html
    # New supplier by CPF/CNPJ and name; shared receipt with its allocations.
    assert "11222333000144 – Fornecedor Único Ltda" in html
    assert "linha 9000 (Cachê de artista 0): R$ 50,00; linha 9001 (Cachê de artista 1): R$ 50,00" in html
    assert "R$ 900,00" in html


def test_an_indicator_unknown_to_this_code_still_shows_its_evidence(world, evaluator_client):
    score = ProjectScore.objects.get(project__pronac="123456")
    score.indicators["future_indicator"] = {
        "value": 3,
        "expected_min": 0,
        "expected_max": 1,
        "is_outlier": True,
        "valid": True,
        "weight": 1,
        "evidence": [{"what": "algo estranho", "amount": 12.5}],
    }
    score.save()
    response = evaluator_client.get("/salic/projects/123456/")
    assert response.context["cards"][-1].name == "future_indicator"
    assert "algo estranho" in response.content.decode()


def test_the_proponents_other_projects_come_with_their_complexity(world, evaluator_client):
    response = evaluator_client.get("/salic/projects/123456/")
    assert [s.project.pronac for s in response.context["others"]] == ["100001", "100002", "100008", "100005"]
    html = response.content.decode()
    assert 'href="/salic/projects/100001/"' in html


def test_without_a_previous_production_version_the_page_says_so(world, evaluator_client):
    html = evaluator_client.get("/salic/projects/123456/").content.decode()
    assert "Não há versão anterior em produção para comparar." in html


def test_changes_since_the_previous_version_list_the_flipped_indicators(world, evaluator_client):
    old = builders.model_version(0, status="archived")
    rows = builders.indicator_rows(outliers=("anomaly_score",))
    builders.score(world.rich, old, 2.0, rows)
    builders.promote(world.version, previous=old)
    response = evaluator_client.get("/salic/projects/123456/")
    change = response.context["change"]
    assert change.previous_version == 0 and change.before == 2.0
    assert change.became_usual == [REGISTRY["anomaly_score"].title]
    assert REGISTRY["item_prices"].title in change.became_unusual
    assert len(change.became_unusual) == 7
    html = response.content.decode()
    assert "Na versão anterior (v0) a complexidade era" in html
    assert "<strong>2,0</strong> (Normal)" in html


def test_a_project_new_since_the_previous_version_is_told_apart(world, evaluator_client):
    old = builders.model_version(0, status="archived")
    builders.promote(world.version, previous=old)
    html = evaluator_client.get("/salic/projects/123456/").content.decode()
    assert "Na versão anterior (v0) este projeto ainda não tinha nota." in html


def test_unknown_or_unscored_pronacs_are_not_found(world, evaluator_client):
    assert evaluator_client.get("/salic/projects/999999/").status_code == 404
    seg = world.rich.segment
    builders.project("555555", seg=seg, prop=world.rich.proponent)
    assert evaluator_client.get("/salic/projects/555555/").status_code == 404


def test_project_names_are_escaped_on_the_diagnosis(world, evaluator_client):
    Project.objects.filter(pronac="123456").update(name="<script>alert('x')</script>")
    Project.objects.filter(pronac="100001").update(name="<img src=x onerror=alert(1)>")
    html = evaluator_client.get("/salic/projects/123456/").content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # a sibling project in the proponent table
    assert "<script>alert" not in html and "<img src=x" not in html


def test_without_a_production_model_the_diagnosis_explains_instead_of_failing(db, evaluator_client):
    response = evaluator_client.get("/salic/projects/123456/")
    assert response.status_code == 200
    assert "Ainda não há um modelo de complexidade em produção." in response.content.decode()


def test_the_diagnosis_shows_the_score_as_arithmetic_in_plain_words(world, evaluator_client, settings):
    settings.SALIC_PROJECT_URL = "https://versalic.example/#/projetos/{pronac}"
    response = evaluator_client.get("/salic/projects/123456/")
    arithmetic = response.context["arithmetic"]
    score = ProjectScore.objects.get(project__pronac="123456")
    unusual = sum(r["weight"] for r in score.indicators.values() if r["valid"] and r["is_outlier"])
    total = sum(r["weight"] for r in score.indicators.values() if r["valid"])
    assert arithmetic.numerator == fmt.num(unusual, 1) and arithmetic.denominator == fmt.num(total, 1)
    assert arithmetic.formula.startswith(f"10 × {fmt.num(unusual, 1)} ÷ {fmt.num(total, 1)} = ")
    by_title = {r.title: r for r in arithmetic.rows}
    assert by_title[REGISTRY["item_prices"].title].contribution == fmt.num(REGISTRY["item_prices"].weight, 1)
    assert by_title[REGISTRY["items_count"].title].contribution == "0"
    html = response.content.decode()
    assert "Como a nota foi calculada" in html and "Total dos pesos com dados (denominador)" in html
    # Statistical indicators explained in words, the admissibility check apart, links to the public page.
    assert REGISTRY["anomaly_score"].explanation() in html.replace("&quot;", '"')
    assert "Como decidimos o que é incomum" in html
    assert "Verificações de admissibilidade" in html and REGISTRY["common_items"].admissibility in html
    assert html.count('href="https://versalic.example/#/projetos/123456"') >= 2  # header + evidence rows


def test_a_proponent_without_a_name_is_shown_by_its_formatted_cnpj(world, evaluator_client):
    from salic_ml.models import Proponent

    Proponent.objects.filter(pk=world.rich.proponent_id).update(proponent_id="12345678000190", name="")
    page = evaluator_client.get(f"/salic/projects/{world.rich.pronac}/").content.decode()
    assert "12.345.678/0001-90" in page and "12345678000190" not in page
    listing = evaluator_client.get("/salic/?search=123456").content.decode()
    assert "12.345.678/0001-90" in listing
