"""Encodings, delimiters, decimal commas, date formats and SALIC's own column names all import."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from salic_ml.ingest import salic_import_run
from salic_ml.models import BudgetLine, Fundraising, ImportRun, Project, Receipt, Supplier

from .csv_sets import base_set, write_set

pytestmark = pytest.mark.django_db

SALIC_SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "salic" / "salic-dialect"


def test_a_latin1_file_imports_with_its_accents(tmp_path):
    tables = base_set()
    tables["projects.csv"][0]["name"] = "Música e Tradição no Sertão"
    salic_import_run(paths=[write_set(tmp_path, tables, encoding="latin-1")])
    assert Project.objects.get(pronac="201001").name == "Música e Tradição no Sertão"
    assert ImportRun.objects.get().files[0]["encoding"] == "latin-1"


def test_a_utf8_file_with_a_byte_order_mark_imports(tmp_path):
    tables = base_set()
    tables["projects.csv"][0]["name"] = "Ação Cultural"
    directory = write_set(tmp_path, tables, encoding="utf-8-sig")
    salic_import_run(paths=[directory / "projects.csv"])
    assert Project.objects.get(pronac="201001").name == "Ação Cultural"


def test_semicolons_and_decimal_commas_give_the_right_numbers(tmp_path):
    tables = base_set()
    line = tables["budget_lines.csv"][0]
    line.update(quantity="2,5", unit_price_approved="1.234,56", total_approved="3.086,40", unit_price_requested="1.300")
    tables["receipts.csv"][0]["amount"] = "1.000.000,01"
    tables["fundraising.csv"][0]["amount"] = "12.000"
    salic_import_run(paths=[write_set(tmp_path, tables, delimiter=";")])
    stored = BudgetLine.objects.get(line_id=9001)
    assert (stored.quantity, stored.unit_price_approved, stored.total_approved) == (2.5, 1234.56, 3086.40)
    assert stored.unit_price_requested == 1300.0  # "1.300" with ';' is thousands, not 1.3
    assert Receipt.objects.get(receipt_id=500).amount == 1_000_000.01
    assert Fundraising.objects.get().amount == 12_000.0
    assert ImportRun.objects.get().files[0]["delimiter"] == ";"


def test_missing_occurrences_and_total_take_their_defaults(tmp_path):
    salic_import_run(paths=[write_set(tmp_path, base_set())])
    line = BudgetLine.objects.get(line_id=9002)  # quantity 3, unit price 2000, both blanks
    assert (line.occurrences, line.total_approved, line.days) == (1.0, 6000.0, 3)


def test_brazilian_dates_and_salic_payment_codes_are_normalised(tmp_path):
    salic_import_run(paths=[write_set(tmp_path, base_set())])
    receipt = Receipt.objects.get(receipt_id=501)
    assert (receipt.paid_at, receipt.payment_type) == (date(2020, 7, 15), "cheque")


def test_the_salic_dialect_sample_imports_with_exact_values():
    result = salic_import_run(paths=[SALIC_SAMPLE], dialect="salic")
    assert {k: v["valid"] for k, v in result.counts.items() if "valid" in v} == {
        "projects": 3,
        "budget_lines": 6,
        "receipts": 5,
        "fundraising": 3,
    }
    project = Project.objects.select_related("proponent", "segment", "area").get(pronac="211234")
    assert project.name == "Festival de Música Instrumental do Sertão"
    assert project.proponent.proponent_id == "12345678000190"  # punctuation of the CNPJ removed
    assert (project.area.code, project.segment.code, project.uf) == ("3", "32", "PE")
    assert (project.submitted_at, project.execution_end) == (date(2021, 3, 15), date(2021, 11, 30))
    line = BudgetLine.objects.get(line_id=5003)  # QtItem "2,5", VlTotalAprovado blank
    assert (line.quantity, line.unit_price_approved, line.total_approved) == (2.5, 4800.0, 12000.0)
    assert BudgetLine.objects.get(line_id=6001).unit_price_approved == 3650.5
    shared = Receipt.objects.filter(receipt_id=77003).order_by("line__line_id")
    assert [(r.line.line_id, r.amount, r.payment_type) for r in shared] == [
        (5002, 1234.56, "transfer"),
        (5003, 6000.0, "transfer"),
    ]
    assert Receipt.objects.get(receipt_id=88001).payment_type == "cash"
    assert Supplier.objects.get(supplier_id="12345678909").name == "José Antônio Gonçalves"
    assert sorted(Fundraising.objects.values_list("amount", flat=True)) == [15000.0, 40000.0, 52806.0]
    run = ImportRun.objects.get()
    assert run.dialect == "salic" and {f["encoding"] for f in run.files} == {"latin-1"}


def test_salic_names_without_the_dialect_flag_are_refused_with_a_hint():
    with pytest.raises(Exception, match="use --dialect salic"):
        salic_import_run(paths=[SALIC_SAMPLE])
    assert not Project.objects.exists()


def test_the_command_imports_the_salic_sample_and_prints_a_summary():
    out = StringIO()
    call_command("salic_import", str(SALIC_SAMPLE), "--dialect", "salic", "--quiet", stdout=out)
    assert "projects 3 (3 new, 0 changed)" in out.getvalue()
    assert "3 project(s) touched" in out.getvalue()
