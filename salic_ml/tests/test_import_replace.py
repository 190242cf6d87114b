"""Re-imports mean what they say: the same files change nothing; for the projects a file holds,
corrected rows replace and missing rows are removed (per table, counted); --append only adds."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from salic_ml.ingest import SalicImportError, salic_import_run
from salic_ml.models import BudgetLine, Fundraising, ImportRun, Project, Receipt

from .csv_sets import base_set, table_counts, write_set
from .salic_extracts import BUDGET, FUNDRAISING, PROJECTS, RECEIPTS, extract_set, write_extracts

pytestmark = pytest.mark.django_db


def _salic(directory, tables, **options):
    return salic_import_run(paths=[write_extracts(directory, tables)], dialect="salic", **options)


def _touched(result) -> set[str]:
    return set(result.run.touched.values_list("pronac", flat=True))


def _database() -> dict[str, list[tuple]]:
    """Every imported value, to compare the database before and after an import."""
    return {
        "projects": sorted(Project.objects.values_list("pronac", "name", "segment__code", "updated_at")),
        "lines": sorted(BudgetLine.objects.values_list("line_id", "project__pronac", "unit_price_approved")),
        "receipts": sorted(Receipt.objects.values_list("receipt_id", "line__line_id", "amount", "payment_type")),
        "funds": sorted(Fundraising.objects.values_list("row_key", "project__pronac", "amount")),
    }


@pytest.fixture
def extracts(tmp_path):
    _salic(tmp_path / "first", extract_set())
    return tmp_path


def test_importing_the_same_extracts_again_changes_nothing(extracts):
    before, counts = _database(), table_counts()
    again = _salic(extracts / "again", extract_set())
    assert _database() == before and table_counts() == {**counts, "ImportRun": counts["ImportRun"] + 1}
    for kind in ("budget_lines", "receipts", "fundraising"):
        assert {k: again.counts[kind][k] for k in ("inserted", "updated", "removed")} == {
            "inserted": 0,
            "updated": 0,
            "removed": 0,
        }
    assert again.touched == 0 and not again.run.touches.exists()
    assert "receipts 6 (0 new, 0 changed, 0 removed)" in again.summary()


def test_our_own_files_imported_again_change_nothing(tmp_path):
    directory = write_set(tmp_path, base_set())
    salic_import_run(paths=[directory])
    before = _database()
    again = salic_import_run(paths=[directory])
    assert _database() == before and again.touched == 0
    assert again.counts["fundraising"] == {
        "read": 1,
        "valid": 1,
        "rejected": 0,
        "inserted": 0,
        "updated": 0,
        "removed": 0,
    }


def test_corrected_fundraising_with_idcaptacao_replaces_the_three_rows(extracts):
    tables = extract_set()
    for row, amount in zip(tables[FUNDRAISING][:3], ("16000.00", "14000.00", "2600.5"), strict=True):
        row["CaptacaoReal"] = amount
    result = _salic(extracts / "corrected", tables)
    funds = Fundraising.objects.filter(project__pronac="132955")
    assert sorted(funds.values_list("amount", flat=True)) == [2600.5, 14000.0, 16000.0]  # 3, not 6
    assert {k: result.counts["fundraising"][k] for k in ("inserted", "updated", "removed")} == {
        "inserted": 0,
        "updated": 3,
        "removed": 0,
    }
    assert _touched(result) == {"132955"}


def test_corrected_fundraising_without_an_id_replaces_by_content(tmp_path):
    tables = base_set()
    tables["fundraising.csv"] = [
        {"pronac": "201001", "sponsor_id": "33000167000101", "amount": a, "received_at": "2020-04-01"}
        for a in ("1000", "2000", "2000")  # two identical rows are two deposits
    ]
    salic_import_run(paths=[write_set(tmp_path / "a", tables)])
    for row, amount in zip(tables["fundraising.csv"], ("1100", "2100", "2100"), strict=True):
        row["amount"] = amount
    result = salic_import_run(paths=[write_set(tmp_path / "b", tables)])
    assert sorted(Fundraising.objects.values_list("amount", flat=True)) == [1100.0, 2100.0, 2100.0]
    # Without an id a corrected row is a new row, and the old one is gone.
    assert {k: result.counts["fundraising"][k] for k in ("inserted", "updated", "removed")} == {
        "inserted": 3,
        "updated": 0,
        "removed": 3,
    }


def test_a_fundraising_row_missing_from_the_file_is_removed(extracts):
    tables = extract_set()
    del tables[FUNDRAISING][1]
    result = _salic(extracts / "fewer", tables)
    assert sorted(Fundraising.objects.values_list("row_key", flat=True)) == ["id:700101", "id:700103", "id:800201"]
    assert result.counts["fundraising"]["removed"] == 1 and _touched(result) == {"132955"}
    assert "fundraising 3 (0 new, 0 changed, 1 removed)" in result.summary()


def test_a_budget_line_missing_from_the_file_is_removed_with_its_receipts(extracts):
    tables = extract_set()
    tables[BUDGET] = [row for row in tables[BUDGET] if row["idPlanilhaAprovacao"] != "4556872"]
    tables[RECEIPTS] = [row for row in tables[RECEIPTS] if row["idPlanilhaAprovacao"] != "4556872"]
    result = _salic(extracts / "fewer", tables)
    assert not BudgetLine.objects.filter(line_id=4556872).exists()
    assert list(Receipt.objects.filter(receipt_id=330002).values_list("line__line_id", flat=True)) == [4556871]
    assert result.counts["budget_lines"]["removed"] == 1
    assert result.counts["receipts"]["removed"] == 1  # 330002's allocation to the removed line
    assert _touched(result) == {"132955"}
    assert BudgetLine.objects.count() == 5 and Receipt.objects.count() == 5


def test_a_budget_file_alone_removes_the_lines_and_counts_their_receipts(extracts):
    tables = {BUDGET: [row for row in extract_set()[BUDGET] if row["idPlanilhaAprovacao"] != "5123002"]}
    result = _salic(extracts / "lines", tables)
    assert not Receipt.objects.filter(receipt_id=440002).exists()
    assert result.counts["receipts"] == {"removed": 1}
    assert "receipts (1 removed with their budget lines)" in result.summary()
    assert _touched(result) == {"1510549"}


def test_corrected_and_missing_receipts_replace_per_project(extracts):
    tables = extract_set()
    tables[RECEIPTS][0]["vlComprovacao"] = "4500.00"  # corrected
    del tables[RECEIPTS][3]  # 330003 is gone
    result = _salic(extracts / "receipts", tables)
    assert Receipt.objects.get(receipt_id=330001).amount == 4500.0
    assert not Receipt.objects.filter(receipt_id=330003).exists()
    assert {k: result.counts["receipts"][k] for k in ("inserted", "updated", "removed")} == {
        "inserted": 0,
        "updated": 1,
        "removed": 1,
    }
    assert _touched(result) == {"132955"}


def test_projects_a_file_does_not_hold_keep_their_rows(extracts):
    before = _database()
    tables = {
        BUDGET: [row for row in extract_set()[BUDGET] if row["PRONAC"] == "141000"],
        FUNDRAISING: [row for row in extract_set()[FUNDRAISING] if row["Pronac"] == "1510549"],
        RECEIPTS: [row for row in extract_set()[RECEIPTS] if row["PRONAC"] == "1510549"],
    }
    result = _salic(extracts / "one-each", tables)
    assert _database() == before and result.touched == 0


def test_a_project_that_only_lost_rows_is_touched_for_the_rescore(extracts):
    tables = extract_set()
    tables[FUNDRAISING] = [row for row in tables[FUNDRAISING] if row["Pronac"] != "1510549"]
    tables[FUNDRAISING].append({**extract_set()[FUNDRAISING][3], "Idcaptacao": "800202", "CaptacaoReal": "1.0"})
    result = _salic(extracts / "swap", tables)
    # 800201 removed, 800202 added: the project changed although no row of it was "updated".
    assert result.counts["fundraising"]["removed"] == 1 and result.counts["fundraising"]["inserted"] == 1
    project = Project.objects.get(pronac="1510549")
    assert list(result.run.touches.values_list("project_id", flat=True)) == [project.pk]
    assert project.last_import == result.run


def test_append_only_adds_and_updates(extracts):
    tables = {
        BUDGET: [row for row in extract_set()[BUDGET] if row["idPlanilhaAprovacao"] == "4556871"],
        FUNDRAISING: [{**extract_set()[FUNDRAISING][0], "CaptacaoReal": "15500.00"}],
    }
    result = _salic(extracts / "partial", tables, append=True)
    assert BudgetLine.objects.filter(project__pronac="132955").count() == 3  # nothing removed
    assert Fundraising.objects.filter(project__pronac="132955").count() == 3
    assert Fundraising.objects.get(row_key="id:700101").amount == 15500.0
    assert result.counts["fundraising"]["updated"] == 1 and result.counts["fundraising"]["removed"] == 0
    assert "(append: nothing removed)" in result.summary()
    assert {f["mode"] for f in result.run.files} == {"append"}


def test_append_without_ids_keeps_todays_behaviour_of_adding_corrected_rows(tmp_path):
    tables = base_set()
    salic_import_run(paths=[write_set(tmp_path / "a", tables)])
    tables["fundraising.csv"][0]["amount"] = "12500.00"
    salic_import_run(paths=[write_set(tmp_path / "b", {"fundraising.csv": tables["fundraising.csv"]})], append=True)
    assert sorted(Fundraising.objects.values_list("amount", flat=True)) == [12000.0, 12500.0]


def test_the_command_takes_append(extracts):
    out = StringIO()
    directory = write_extracts(extracts / "cmd", {BUDGET: extract_set()[BUDGET][:1]})
    call_command("salic_import", str(directory), "--dialect", "salic", "--append", "--quiet", stdout=out)
    assert "budget_lines 1 (0 new, 0 changed, 0 removed)" in out.getvalue()
    assert BudgetLine.objects.count() == 6
    call_command("salic_import", str(directory), "--dialect", "salic", "--quiet", stdout=out)
    assert "budget_lines 1 (0 new, 0 changed, 2 removed)" in out.getvalue()
    assert BudgetLine.objects.filter(project__pronac="132955").count() == 1


def test_a_receipt_for_a_line_the_budget_file_removes_is_refused(extracts):
    tables = extract_set()
    tables[BUDGET] = [row for row in tables[BUDGET] if row["idPlanilhaAprovacao"] != "4556873"]
    with pytest.raises(SalicImportError) as raised:
        _salic(extracts / "orphan", {BUDGET: tables[BUDGET], RECEIPTS: tables[RECEIPTS]})
    assert (
        "planilha_comprovacao.csv, line 5, column idPlanilhaAprovacao: line 4556873 of pronac 132955 is not in "
        "the budget-line file, which replaces that project's lines"
    ) in raised.value.summary()
    assert BudgetLine.objects.filter(line_id=4556873).exists()


def test_a_bad_cell_beside_new_rows_and_removals_leaves_the_database_as_it_was(extracts):
    before, counts = _database(), table_counts()
    tables = extract_set()
    tables[PROJECTS].append({**tables[PROJECTS][2], "PRONAC": "1699999", "NomeProjeto": "Projeto Novo"})
    tables[BUDGET] = tables[BUDGET][:4]  # two lines (and a receipt) would go
    tables[FUNDRAISING][0]["CaptacaoReal"] = "99999.00"  # a correction
    tables[FUNDRAISING][3]["DtRecibo"] = "2015-02-30 00:00:00"  # the bad cell
    tables[RECEIPTS] = [r for r in tables[RECEIPTS] if r["idPlanilhaAprovacao"] not in ("5123002",)]
    with pytest.raises(
        SalicImportError,
        match=r"line 5, column DtRecibo: not a date \(YYYY-MM-DD or DD/MM/YYYY\): '2015-02-30 00:00:00'",
    ):
        _salic(extracts / "bad", tables)
    assert _database() == before and table_counts() == counts
    assert ImportRun.objects.count() == 1


def test_a_failure_while_writing_rolls_back_the_removals_too(extracts, monkeypatch):
    before = _database()
    tables = extract_set()
    del tables[FUNDRAISING][0]  # a removal runs before the failure below
    from salic_ml.ingest import service

    def broken_snapshot(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "snapshot_store", broken_snapshot)
    with pytest.raises(RuntimeError, match="disk full"):
        _salic(extracts / "broken", tables)
    assert _database() == before and ImportRun.objects.count() == 1


def test_skip_invalid_removes_nothing_of_a_project_with_a_refused_row(extracts, tmp_path):
    tables = extract_set()
    tables[RECEIPTS][0]["vlComprovacao"] = "-5000.00"  # 330001 refused…
    tables[RECEIPTS][4]["vlComprovacao"] = "11000.0"  # another project: corrected as usual
    # …so 330003 of the same project is not removed either; 440002 of the other one is.
    tables[RECEIPTS] = [r for r in tables[RECEIPTS] if r["idComprovantePagamento"] not in ("330003", "440002")]
    result = _salic(extracts / "skip", tables, skip_invalid=True, rejects_path=tmp_path / "rejects.csv")
    assert result.rejected == 1
    assert Receipt.objects.get(receipt_id=330001).amount == 5000.0
    assert Receipt.objects.filter(receipt_id=330003).exists()
    assert Receipt.objects.get(receipt_id=440001).amount == 11000.0
    assert not Receipt.objects.filter(receipt_id=440002).exists()
    assert result.counts["receipts"]["removed"] == 1 and _touched(result) == {"1510549"}


def test_skip_invalid_keeps_the_stored_lines_of_a_project_with_a_refused_line(extracts, tmp_path):
    tables = extract_set()
    tables[BUDGET][0]["VlUnitarioAprovado"] = "muito"  # 4556871 refused: 132955 keeps its stored lines
    tables[BUDGET] = [row for row in tables[BUDGET] if row["idPlanilhaAprovacao"] != "4556873"]
    result = _salic(
        extracts / "skip",
        {BUDGET: tables[BUDGET], RECEIPTS: tables[RECEIPTS]},
        skip_invalid=True,
        rejects_path=tmp_path / "rejects.csv",
    )
    assert result.rejected == 1  # the receipts of the kept lines are still accepted
    assert BudgetLine.objects.filter(project__pronac="132955").count() == 3
    assert Receipt.objects.count() == 6 and result.touched == 0


def test_our_own_fundraising_file_may_carry_its_rows_ids_as_source_id(tmp_path):
    tables = base_set()
    tables["fundraising.csv"] = [
        {"source_id": "F-1", "pronac": "201001", "sponsor_id": "33000167000101", "amount": "1000", "received_at": ""},
        {"source_id": "F-2", "pronac": "201001", "sponsor_id": "33000167000101", "amount": "1000", "received_at": ""},
    ]
    headers = {"fundraising.csv": ["source_id", "pronac", "sponsor_id", "amount", "received_at"]}
    salic_import_run(paths=[write_set(tmp_path / "a", tables, headers=headers)])
    tables["fundraising.csv"][1]["amount"] = "1500"
    result = salic_import_run(paths=[write_set(tmp_path / "b", tables, headers=headers)])
    assert dict(Fundraising.objects.values_list("row_key", "amount")) == {"id:F-1": 1000.0, "id:F-2": 1500.0}
    assert result.counts["fundraising"]["updated"] == 1 and result.counts["fundraising"]["inserted"] == 0
