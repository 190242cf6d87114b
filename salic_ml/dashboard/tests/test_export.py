"""CSV export of the filtered list: same rows and order as the page, streamed, formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from salic_ml.dashboard.export import neutralise
from salic_ml.modelling.indicators import REGISTRY
from salic_ml.models import Project, Proponent

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_export_has_the_filtered_rows_in_the_list_order(world, evaluator_client):
    response = evaluator_client.get("/salic/export.csv?segment=S1&ordering=pronac&page=2")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="salic-projetos-v1.csv"'
    rows = rows_of(response)
    assert rows[0][:3] == ["pronac", "nome", "area"]
    assert [r[0] for r in rows[1:]] == ["100001", "100002", "100003", "100004", "123456"]  # no pagination
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["complexidade"] == "8,4" and first["faixa"] == "muito_complexo"
    assert first["segmento_nome"] == "Teatro" and first["uf"] == "SP"


@pytest.mark.parametrize("name", ["=cmd()", "+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_cells_a_spreadsheet_would_run_are_neutralised(world, evaluator_client, name):
    Project.objects.filter(pronac="100001").update(name=name)
    Proponent.objects.filter(proponent_id="111").update(name='=HYPERLINK("http://x")')
    rows = rows_of(evaluator_client.get("/salic/export.csv?search=100001"))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["nome"] == f"'{name}"
    assert record["proponente_nome"] == '\'=HYPERLINK("http://x")'


def test_neutralise_keeps_ordinary_text_and_numbers():
    assert neutralise("Festival de Inverno") == "Festival de Inverno"
    assert neutralise("Mostra = arte") == "Mostra = arte"
    assert neutralise(None) == ""
    assert neutralise(7.5) == "7,5"
    assert neutralise("-") == "'-"


def test_an_export_with_no_match_has_only_the_header(world, evaluator_client):
    rows = rows_of(evaluator_client.get("/salic/export.csv?search=nada-disso"))
    assert len(rows) == 1


def test_the_export_has_every_indicators_value_and_flag_and_the_public_page(world, evaluator_client, settings):
    settings.SALIC_PROJECT_URL = "https://versalic.example/#/projetos/{pronac}"
    rows = rows_of(evaluator_client.get("/salic/export.csv?search=123456"))
    record = dict(zip(rows[0], rows[1], strict=True))
    for name in REGISTRY:
        assert f"{name}_valor" in record and f"{name}_incomum" in record
    assert record["item_prices_incomum"] == "sim" and record["items_count_incomum"] == "não"
    assert record["items_count_valor"] == "500" or record["items_count_valor"] == "500,0"
    assert record["pagina_publica"] == "https://versalic.example/#/projetos/123456"
    assert record["gravidade"] == "0" or record["gravidade"] == "0,0"
