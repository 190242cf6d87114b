"""The dashboards in a real browser: log in, filter, open a diagnosis with its charts, send feedback."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from conftest import ARTIFACTS
from salic_ml.modelling.training import salic_train_blocking
from salic_ml.models import EvaluatorFeedback, ProjectScore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trained(tmp_path):
    call_command("salic_generate", "--projects", "400", "--seed", "3", "--out", str(tmp_path), stdout=StringIO())
    call_command("salic_import", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    run = salic_train_blocking()
    assert run.status == "succeeded", run.error
    return run.version


def test_an_evaluator_filters_the_list_reads_a_diagnosis_and_rates_it(browser_page, evaluator_user, trained):
    page = browser_page
    page.goto(page.base_url + "/salic/")
    assert "/salic/entrar/" in page.url  # anonymous: sent to the login page, then back
    page.fill("#id_username", "evaluator")
    page.fill("#id_password", "pw-evaluator-123")
    page.get_by_role("button", name="Entrar").click()
    page.locator("#chart-histogram.js-plotly-plot svg").first.wait_for()

    page.get_by_label("Faixa", exact=True).select_option("muito_complexo")
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_url("**band=muito_complexo**")
    page.locator("#chart-histogram.js-plotly-plot svg").first.wait_for()
    expected = ProjectScore.objects.filter(model_version=trained, band="muito_complexo").count()
    assert expected > 0
    rows = page.locator("table.ranked tbody tr")
    assert rows.count() == min(expected, 50)
    assert page.locator("table.ranked tbody .band-muito").count() == rows.count()
    page.screenshot(path=str(ARTIFACTS / "salic-list.png"), full_page=True)

    pronac = rows.first.locator("td a").first.inner_text()
    rows.first.locator("td a").first.click()
    page.wait_for_url(f"**/salic/projects/{pronac}/")
    page.locator("#chart-gauge.js-plotly-plot svg").first.wait_for()
    page.locator(".chart-distribution.js-plotly-plot svg").first.wait_for()
    assert page.locator(".chart-distribution.js-plotly-plot").count() >= 1
    assert page.locator("article.indicator").count() >= 10
    page.screenshot(path=str(ARTIFACTS / "salic-project.png"), full_page=True)

    page.get_by_label("4 — complexa").check()
    page.get_by_role("radiogroup", name="Preços de itens acima do padrão").get_by_label("útil", exact=True).check()
    page.get_by_label("Comentário (opcional)").fill("Preços conferidos com notas fiscais.")
    page.get_by_role("button", name="Enviar avaliação").click()
    page.get_by_text("Avaliação registrada. Obrigado!").wait_for()
    page.screenshot(path=str(ARTIFACTS / "salic-feedback.png"))

    feedback = EvaluatorFeedback.objects.get()
    assert (feedback.project.pronac, feedback.model_version_id, feedback.user) == (pronac, trained.pk, evaluator_user)
    assert feedback.rating == 4
    assert feedback.indicator_votes == {"item_prices": True}
    assert feedback.comment == "Preços conferidos com notas fiscais."
    # The form comes back filled with what was stored.
    assert page.get_by_label("4 — complexa").is_checked()

    # Narrow screens: the list still works (filters stack, the table scrolls inside its region).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/salic/?band=muito_complexo")
    page.locator("#chart-histogram.js-plotly-plot svg").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "salic-list-mobile.png"), full_page=True)


def test_an_evaluator_compares_with_salic_ml_2019_and_reads_the_score_arithmetic(browser_page, evaluator_user, trained):
    page = browser_page
    page.goto(page.base_url + "/salic/")
    page.fill("#id_username", "evaluator")
    page.fill("#id_password", "pw-evaluator-123")
    page.get_by_role("button", name="Entrar").click()
    page.locator("#chart-histogram.js-plotly-plot svg").first.wait_for()
    assert page.locator("th.col-legacy").count() == 0

    page.get_by_label("Comparar com salic-ml 2019").check()
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_url("**perfil=salic2019**")
    assert page.get_by_role("columnheader", name="salic-ml 2019").is_visible()
    rows = page.locator("table.ranked tbody tr")
    first_pronac = rows.first.locator("td a").first.inner_text()
    top = ProjectScore.objects.get(model_version=trained, project__pronac=first_pronac)
    shown = rows.first.locator("td.col-legacy").inner_text()
    assert shown == f"{top.legacy_complexity:.1f}".replace(".", ",")
    # The page keeps the toggle when paging.
    if page.get_by_role("link", name="Próxima ›").count():
        page.get_by_role("link", name="Próxima ›").click()
        page.wait_for_url("**page=2**")
        assert "perfil=salic2019" in page.url and page.locator("td.col-legacy").count() > 0
    page.screenshot(path=str(ARTIFACTS / "salic-list-salic2019.png"), full_page=True)

    page.goto(page.base_url + f"/salic/projects/{first_pronac}/")
    table = page.locator("#score-arithmetic")
    table.wait_for()
    unusual = sum(r["weight"] for r in top.indicators.values() if r["valid"] and r["is_outlier"])
    total = sum(r["weight"] for r in top.indicators.values() if r["valid"])
    formula = page.locator(".arithmetic .formula").inner_text()
    expected = f"Nota = 10 × {_br(unusual)} ÷ {_br(total)} = {_br(top.complexity)}"
    assert formula == expected
    assert table.locator("tbody tr").count() == len(top.indicators)
    explain = page.locator('article[aria-labelledby="ind-items_count"] details.explain')
    explain.locator("summary").click()
    assert explain.get_by_text("Comparamos este projeto com os projetos do mesmo segmento").is_visible()
    anomaly = page.locator('article[aria-labelledby="ind-anomaly_score"] details.explain')
    anomaly.locator("summary").click()
    assert anomaly.get_by_text("perguntas simples e sorteadas").is_visible()
    assert page.get_by_role("heading", name="Comparação com o salic-ml 2019").is_visible()
    assert page.locator("#legacy-score").inner_text() == f"{top.legacy_complexity:.1f}".replace(".", ",")
    page.screenshot(path=str(ARTIFACTS / "salic-project-arithmetic.png"), full_page=True)


def _br(value: float) -> str:
    """One decimal with a comma, whole numbers without decimals (as the page writes them)."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
