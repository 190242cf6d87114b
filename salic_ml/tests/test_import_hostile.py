"""Hostile SALIC files: refused with a clear error and nothing half-imported, or neutralised on export."""

from __future__ import annotations

import pytest

from salic_ml.ingest import SalicImportError, salic_import_run
from salic_ml.models import BudgetLine, Project

from .csv_sets import base_set, table_counts, write_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing(tmp_path):
    salic_import_run(paths=[write_set(tmp_path / "base", base_set())])
    return table_counts()


def refused(directory) -> str:
    with pytest.raises(SalicImportError) as caught:
        salic_import_run(paths=[directory])
    return str(caught.value)


def test_a_ten_megabyte_field_is_refused_without_importing_anything(tmp_path, existing):
    tables = base_set()
    tables["projects.csv"][0]["situation"] = "x" * 10_000_000
    message = refused(write_set(tmp_path / "in", tables))
    assert "projects.csv, line 2, column situation: field longer than 10000 characters (10000000)" in message
    assert table_counts() == existing


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_wide_encoding_is_refused_at_the_header(tmp_path, existing, encoding):
    directory = write_set(tmp_path / "in", base_set())
    path = directory / "projects.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    message = refused(directory)
    assert "projects.csv, line 1" in message and "nothing was imported" in message
    assert table_counts() == existing


def test_binary_garbage_is_refused(tmp_path, existing):
    directory = write_set(tmp_path / "in", base_set())
    (directory / "budget_lines.csv").write_bytes(bytes(range(256)) * 64)
    message = refused(directory)
    assert "budget_lines.csv, line 1" in message
    assert table_counts() == existing


@pytest.mark.parametrize(
    ("file", "column", "value", "reason"),
    [
        ("budget_lines.csv", "quantity", "1000000000000000", "too large"),  # a quadrillion units
        ("budget_lines.csv", "unit_price_approved", "9" * 400, "too large"),  # float() would give inf
        ("budget_lines.csv", "item_id", "99999999999", "too large"),  # beyond the 32-bit column
        ("budget_lines.csv", "line_id", "9" * 30, "too large"),  # beyond even a 64-bit id
        ("budget_lines.csv", "unit_price_approved", "1e309", "not a number"),
        ("budget_lines.csv", "unit_price_approved", "NaN", "not a number"),
        ("budget_lines.csv", "unit_price_approved", "-inf", "not a number"),
    ],
)
def test_absurd_numbers_are_refused_by_name(tmp_path, existing, file, column, value, reason):
    tables = base_set()
    tables[file][0][column] = value
    message = refused(write_set(tmp_path / "in", tables))
    assert f"{file}, line 2, column {column}: {reason}" in message
    assert table_counts() == existing


def test_big_but_plausible_numbers_still_import(tmp_path, existing):
    tables = base_set()
    tables["budget_lines.csv"][0]["quantity"] = "250000"  # e.g. printed copies of a book
    tables["budget_lines.csv"][0]["unit_price_approved"] = "1500000.00"
    tables["budget_lines.csv"][0]["total_approved"] = ""
    salic_import_run(paths=[write_set(tmp_path / "in", tables)])
    line = BudgetLine.objects.get(line_id=int(tables["budget_lines.csv"][0]["line_id"]))
    assert (line.quantity, line.unit_price_approved) == (250000, 1500000.0)
    assert table_counts()["BudgetLine"] == existing["BudgetLine"]


def test_formula_cells_import_as_text_and_are_neutralised_in_the_csv_export(tmp_path, client, evaluator_user):
    from salic_ml.dashboard.tests.builders import model_version, score

    tables = base_set()
    tables["projects.csv"][0]["name"] = '=HYPERLINK("http://exemplo.invalid","clique")'
    tables["projects.csv"][1]["name"] = "+SOMA(1;2)"
    salic_import_run(paths=[write_set(tmp_path / "in", tables)])
    assert Project.objects.get(pronac="201001").name.startswith("=HYPERLINK")  # stored as the text it is

    version = model_version()
    for n, project in enumerate(Project.objects.all()):
        score(project, version, 5.0 + n)
    client.force_login(evaluator_user)
    export = b"".join(client.get("/salic/export.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in export and "'+SOMA(1;2)" in export
    assert "\n=HYPERLINK" not in export and ",=HYPERLINK" not in export


def test_a_utf8_file_with_one_latin1_line_is_refused_naming_the_line(tmp_path, existing):
    tables = base_set()
    tables["projects.csv"][0]["name"] = "Ação Cultural no Sertão"  # UTF-8, like the rest of the file
    directory = write_set(tmp_path / "in", tables)
    path = directory / "projects.csv"
    lines = path.read_bytes().split(b"\n")
    # the second project's line as a spreadsheet saved it in Latin-1
    lines[2] = lines[2].decode("utf-8").replace(",", ",Exposição de Música ", 1).encode("latin-1")
    path.write_bytes(b"\n".join(lines))
    message = refused(directory)
    assert "projects.csv, line 3" in message and "mixed encodings" in message
    assert table_counts() == existing
    assert not Project.objects.filter(name__contains="Ã§").exists()


def test_a_file_wholly_in_latin1_still_imports(tmp_path):
    tables = base_set()
    tables["projects.csv"][0]["name"] = "Ação Cultural no Sertão"
    salic_import_run(paths=[write_set(tmp_path / "in", tables, encoding="latin-1")])
    assert Project.objects.filter(name="Ação Cultural no Sertão").exists()
