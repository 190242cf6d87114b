"""salic_import_run refuses bad input with a precise error and leaves the database as it was."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from salic_ml.ingest import SalicImportError, salic_import_run

from .csv_sets import CHANGED_UF, NEW_PRONAC, base_set, database_rows, table_counts, with_new_rows_and_a_change
from .csv_sets import write_set as write_as_given

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing(tmp_path):
    """The database already holds the base set, so "unchanged" means more than "still empty"."""
    salic_import_run(paths=[write_as_given(tmp_path / "base", base_set())])
    return table_counts(), database_rows()


def write_set(directory, tables, **options):
    """Every refused input here also carries valid news next to its bad cell: a new project with a
    budget line and a changed UF (see csv_sets.with_new_rows_and_a_change)."""
    return write_as_given(directory, with_new_rows_and_a_change(tables), **options)


def assert_as_it_was(existing) -> None:
    """Nothing half-imported: no new row, no changed value, not only the same counts."""
    counts, rows = existing
    assert table_counts() == counts
    assert database_rows() == rows
    assert not any(row[0] == NEW_PRONAC or (row[0] == "201001" and row[3] == CHANGED_UF) for row in rows["projects"])


def refused(directory, **options) -> str:
    with pytest.raises(SalicImportError) as caught:
        salic_import_run(paths=[directory], **options)
    return str(caught.value)


def test_a_missing_required_column_is_named(tmp_path, existing):
    headers = {"budget_lines.csv": [h for h in base_set()["budget_lines.csv"][0] if h != "unit_price_approved"]}
    message = refused(write_set(tmp_path / "in", base_set(), headers=headers))
    assert "budget_lines.csv, line 1: missing required column(s): unit_price_approved" in message
    assert_as_it_was(existing)


def test_unknown_columns_are_named(tmp_path, existing):
    tables = base_set()
    headers = {"projects.csv": [*tables["projects.csv"][0], "orcamento", "NomeProjeto"]}
    message = refused(write_set(tmp_path / "in", tables, headers=headers))
    assert "projects.csv, line 1: unknown column(s): orcamento, NomeProjeto" in message
    assert "--dialect salic" in message  # NomeProjeto is a SALIC name
    assert_as_it_was(existing)


@pytest.mark.parametrize(
    ("file", "column", "value", "reason"),
    [
        ("budget_lines.csv", "quantity", "três", "not a number: 'três'"),
        ("budget_lines.csv", "line_id", "9x01", "not a whole number: '9x01'"),
        ("budget_lines.csv", "unit_price_approved", "1e5", "not a number: '1e5'"),
        ("budget_lines.csv", "unit_price_approved", "nan", "not a number: 'nan'"),
        ("projects.csv", "submitted_at", "2020-02-30", "not a date (YYYY-MM-DD or DD/MM/YYYY): '2020-02-30'"),
        ("projects.csv", "execution_end", "31-12-2020", "not a date"),
        ("projects.csv", "uf", "Minas", "not a two-letter UF: 'Minas'"),
        ("receipts.csv", "paid_at", "ontem", "not a date"),
    ],
)
def test_a_value_of_the_wrong_type_is_reported_with_line_and_column(tmp_path, existing, file, column, value, reason):
    tables = base_set()
    tables[file][-1][column] = value
    line = len(tables[file]) + 1
    message = refused(write_set(tmp_path / "in", tables))
    assert f"{file}, line {line}, column {column}: {reason}" in message
    assert_as_it_was(existing)


@pytest.mark.parametrize(
    ("file", "column"),
    [
        ("receipts.csv", "amount"),
        ("budget_lines.csv", "quantity"),
        ("budget_lines.csv", "total_approved"),
        ("fundraising.csv", "amount"),
    ],
)
def test_negative_amounts_and_quantities_are_refused(tmp_path, existing, file, column):
    tables = base_set()
    tables[file][0][column] = "-10,50"
    message = refused(write_set(tmp_path / "in", tables))
    assert f"{file}, line 2, column {column}: must not be negative: '-10,50'" in message
    assert_as_it_was(existing)


def test_an_empty_required_value_is_refused(tmp_path, existing):
    tables = base_set()
    tables["projects.csv"][1]["name"] = "   "
    message = refused(write_set(tmp_path / "in", tables))
    assert "projects.csv, line 3, column name: required value is empty" in message


def test_budget_lines_of_an_unknown_pronac_are_refused(tmp_path, existing):
    tables = base_set()
    tables["budget_lines.csv"][2]["pronac"] = "999999"
    message = refused(write_set(tmp_path / "in", tables))
    assert "budget_lines.csv, line 4, column pronac: unknown pronac 999999" in message
    assert_as_it_was(existing)


def test_a_duplicate_line_id_is_refused_at_its_second_occurrence(tmp_path, existing):
    tables = base_set()
    tables["budget_lines.csv"][2]["line_id"] = "9001"
    message = refused(write_set(tmp_path / "in", tables))
    assert "budget_lines.csv, line 4, column line_id: duplicate line_id 9001" in message
    assert "line 2," not in message
    assert_as_it_was(existing)


def test_a_duplicate_pronac_points_at_the_first_one(tmp_path, existing):
    tables = base_set()
    tables["projects.csv"][1]["pronac"] = "201001"
    message = refused(write_set(tmp_path / "in", tables))
    assert "projects.csv, line 3, column pronac: duplicate pronac 201001 (first at line 2)" in message


def test_a_duplicate_receipt_allocation_is_refused(tmp_path, existing):
    tables = base_set()
    tables["receipts.csv"].append(dict(tables["receipts.csv"][0]))
    message = refused(write_set(tmp_path / "in", tables))
    assert "receipts.csv, line 4, column receipt_id: duplicate receipt 500 for line 9001" in message


def test_an_unknown_payment_type_is_refused(tmp_path, existing):
    tables = base_set()
    tables["receipts.csv"][0]["payment_type"] = "pix"
    message = refused(write_set(tmp_path / "in", tables))
    assert "receipts.csv, line 2, column payment_type: unknown payment type 'pix'" in message
    assert_as_it_was(existing)


def test_a_receipt_for_a_line_of_another_project_is_refused(tmp_path, existing):
    tables = base_set()
    tables["receipts.csv"][0]["line_id"] = "9003"  # belongs to 201002
    message = refused(write_set(tmp_path / "in", tables))
    assert "receipts.csv, line 2, column line_id: line 9003 belongs to pronac 201002, not 201001" in message
    assert_as_it_was(existing)


def test_a_receipt_for_an_unknown_line_is_refused(tmp_path, existing):
    tables = base_set()
    tables["receipts.csv"][1]["line_id"] = "123456"
    message = refused(write_set(tmp_path / "in", tables))
    assert "receipts.csv, line 3, column line_id: unknown line_id 123456" in message


def test_a_segment_cannot_change_area(tmp_path, existing):
    tables = base_set()
    tables["projects.csv"][1]["segment_code"] = "3B"  # 3B is in area 3, this row says area 1
    message = refused(write_set(tmp_path / "in", tables))
    assert "projects.csv, line 3, column segment_code: segment 3B is in area 3 (line 2), not 1" in message


def test_an_empty_file_is_refused(tmp_path, existing):
    directory = write_set(tmp_path / "in", base_set())
    (directory / "receipts.csv").write_bytes(b"")
    message = refused(directory)
    assert "receipts.csv: empty file" in message
    assert_as_it_was(existing)


def test_a_file_with_only_a_header_is_refused(tmp_path, existing):
    tables = base_set()
    tables["fundraising.csv"] = []
    message = refused(write_set(tmp_path / "in", tables))
    assert "fundraising.csv, line 2: no data rows after the header" in message
    assert_as_it_was(existing)


def test_a_huge_field_is_refused(tmp_path, existing):
    tables = base_set()
    tables["projects.csv"][0]["situation"] = "x" * 20_000
    message = refused(write_set(tmp_path / "in", tables))
    assert "projects.csv, line 2, column situation: field longer than 10000 characters (20000)" in message
    assert_as_it_was(existing)


def test_a_field_over_the_column_limit_is_refused(tmp_path, existing):
    tables = base_set()
    tables["projects.csv"][0]["name"] = "Festival " * 60
    message = refused(write_set(tmp_path / "in", tables))
    assert "projects.csv, line 2, column name: longer than 500 characters" in message


def test_nul_bytes_are_refused(tmp_path, existing):
    tables = base_set()
    tables["budget_lines.csv"][1]["item_name"] = "Loca\x00ção"
    message = refused(write_set(tmp_path / "in", tables))
    assert "budget_lines.csv, line 3, column item_name: contains a NUL byte" in message
    assert_as_it_was(existing)


def test_a_row_with_a_wrong_number_of_fields_is_refused(tmp_path, existing):
    directory = write_set(tmp_path / "in", base_set())
    with (directory / "fundraising.csv").open("a") as handle:
        handle.write("201001,1,2,3,4\n")
    message = refused(directory)
    assert "fundraising.csv, line 3: expected 4 fields, found 5" in message


def test_an_unrecognised_file_name_is_refused(tmp_path, existing):
    path = tmp_path / "orcamento.csv"
    path.write_text("a,b\n1,2\n")
    message = refused(path)
    assert "orcamento.csv: unrecognised file name (expected one of projects.csv" in message
    assert_as_it_was(existing)


def test_every_error_is_counted_but_only_the_first_fifty_are_listed(tmp_path, existing):
    tables = base_set()
    template = tables["budget_lines.csv"][0]
    tables["budget_lines.csv"] = [{**template, "line_id": str(20_000 + i), "quantity": "?"} for i in range(120)]
    with pytest.raises(SalicImportError) as caught:
        salic_import_run(paths=[write_set(tmp_path / "in", tables)])
    assert caught.value.count == 120
    assert len(caught.value.errors) == 50
    assert "… and 70 more error(s)" in str(caught.value)
    assert_as_it_was(existing)


def test_the_command_reports_errors_and_exits_with_failure(tmp_path, existing):
    tables = base_set()
    tables["receipts.csv"][0]["amount"] = "-1"
    with pytest.raises(CommandError, match=r"receipts.csv, line 2, column amount: must not be negative"):
        call_command("salic_import", str(write_set(tmp_path / "in", tables)), "--quiet")
    assert_as_it_was(existing)
