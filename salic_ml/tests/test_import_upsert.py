"""Re-imports are idempotent upserts; each import records its run, snapshot and touched projects."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from model_store.models import DatasetSnapshot
from salic_ml.ingest import salic_import_run
from salic_ml.models import BudgetLine, ImportRun, Project, Receipt, Segment

from .csv_sets import base_set, table_counts, write_set

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "salic"


def test_an_import_records_its_run_snapshot_and_touched_projects(tmp_path):
    result = salic_import_run(paths=[write_set(tmp_path, base_set())])
    run = ImportRun.objects.get()
    assert run == result.run and run.status == "succeeded" and run.finished_at is not None
    assert run.touched_projects == 2
    assert set(run.touched.values_list("pronac", flat=True)) == {"201001", "201002"}
    assert set(Project.objects.values_list("last_import", flat=True)) == {run.pk}
    assert run.counts["budget_lines"] == {
        "read": 3,
        "valid": 3,
        "rejected": 0,
        "inserted": 3,
        "updated": 0,
        "removed": 0,
    }
    assert run.counts["segments"]["inserted"] == 2
    snapshot = run.snapshot
    assert snapshot.kind == DatasetSnapshot.Kind.SALIC
    assert snapshot.row_counts == {"projects": 2, "budget_lines": 3, "receipts": 2, "fundraising": 1}
    payload = snapshot.canonical_bytes().decode()
    assert payload.startswith("salic-import-csv/1\n## projects\npronac,name,")
    assert "9001,201001,110,Cachê de Músico" in payload
    assert len(snapshot.fingerprint) == 64


def test_importing_the_same_files_again_changes_nothing(tmp_path):
    directory = write_set(tmp_path, base_set())
    first = salic_import_run(paths=[directory])
    before = table_counts()
    stamps = dict(Project.objects.values_list("pronac", "updated_at"))
    second = salic_import_run(paths=[directory])
    after = table_counts()
    assert after == {**before, "ImportRun": before["ImportRun"] + 1}
    assert second.touched == 0 and second.run.touches.count() == 0
    assert all(entry.get("inserted", 0) == 0 and entry.get("updated", 0) == 0 for entry in second.counts.values())
    assert second.run.snapshot_id == first.run.snapshot_id  # same data, same fingerprint
    assert dict(Project.objects.values_list("pronac", "updated_at")) == stamps
    assert set(Project.objects.values_list("last_import", flat=True)) == {first.run.pk}


def test_the_fingerprint_ignores_row_order_and_source_spelling(tmp_path):
    tables = base_set()
    first = salic_import_run(paths=[write_set(tmp_path / "a", tables)])
    shuffled = base_set()
    for rows in shuffled.values():
        rows.reverse()
    line = next(row for row in shuffled["budget_lines.csv"] if row["line_id"] == "9002")
    line["unit_price_approved"] = "2.000,00"  # same value, Brazilian spelling
    second = salic_import_run(paths=[write_set(tmp_path / "b", shuffled, delimiter=";", encoding="latin-1")])
    assert second.run.snapshot_id == first.run.snapshot_id
    assert second.touched == 0


def test_a_changed_row_updates_it_and_touches_only_its_project(tmp_path):
    salic_import_run(paths=[write_set(tmp_path / "a", base_set())])
    tables = base_set()
    tables["budget_lines.csv"][2]["unit_price_approved"] = "950"
    tables["budget_lines.csv"][2]["total_approved"] = "9500"
    result = salic_import_run(paths=[write_set(tmp_path / "b", tables)])
    assert BudgetLine.objects.get(line_id=9003).total_approved == 9500.0
    assert result.counts["budget_lines"]["updated"] == 1 and result.counts["budget_lines"]["inserted"] == 0
    assert list(result.run.touched.values_list("pronac", flat=True)) == ["201002"]
    assert Project.objects.get(pronac="201002").last_import == result.run
    assert Project.objects.get(pronac="201001").last_import != result.run


def test_lines_and_receipts_may_refer_to_data_already_in_the_database(tmp_path):
    salic_import_run(paths=[write_set(tmp_path / "a", base_set())])
    tables = {
        "budget_lines.csv": [{**base_set()["budget_lines.csv"][2], "line_id": "9004"}],
        "receipts.csv": [{**base_set()["receipts.csv"][0], "receipt_id": "502", "line_id": "9003", "pronac": "201002"}],
    }
    # A partial file: without append, 9004 would be 201002's only line and 9003 would be gone.
    result = salic_import_run(paths=[write_set(tmp_path / "b", tables)], append=True)
    assert Receipt.objects.get(receipt_id=502).line.line_id == 9003
    assert list(result.run.touched.values_list("pronac", flat=True)) == ["201002"]


def test_skip_invalid_imports_the_good_rows_and_writes_the_rejects_with_reasons(tmp_path):
    tables = base_set()
    tables["projects.csv"][1]["uf"] = "São Paulo"  # the whole project is refused…
    tables["receipts.csv"][1]["amount"] = "-3"
    directory = write_set(tmp_path, tables)
    result = salic_import_run(paths=[directory], skip_invalid=True)
    assert set(Project.objects.values_list("pronac", flat=True)) == {"201001"}
    assert set(BudgetLine.objects.values_list("line_id", flat=True)) == {9001, 9002}  # …and so is its line
    assert set(Receipt.objects.values_list("receipt_id", flat=True)) == {500}
    assert result.rejected == 3 and result.run.status == "partial" and result.run.rejected_rows == 3
    assert result.rejects_path == directory / "salic-rejects.csv"
    with result.rejects_path.open(newline="", encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    assert [(r["file"], r["line"]) for r in rejects] == [
        ("projects.csv", "3"),
        ("budget_lines.csv", "4"),
        ("receipts.csv", "3"),
    ]
    assert rejects[0]["reason"] == "uf: not a two-letter UF: 'São Paulo'"
    assert rejects[0]["pronac"] == "201002" and rejects[0]["name"] == "Mostra de Teatro de Rua"
    assert rejects[1]["reason"].startswith("pronac: unknown pronac 201002")
    assert rejects[2]["reason"] == "amount: must not be negative: '-3'" and rejects[2]["receipt_id"] == "501"


def test_skip_invalid_honours_an_explicit_rejects_path_and_leaves_none_when_all_is_valid(tmp_path):
    target = tmp_path / "out" / "bad.csv"
    result = salic_import_run(paths=[write_set(tmp_path / "in", base_set())], skip_invalid=True, rejects_path=target)
    assert result.rejected == 0 and result.rejects_path is None and not target.exists()
    tables = base_set()
    tables["fundraising.csv"][0]["pronac"] = "404"
    result = salic_import_run(paths=[write_set(tmp_path / "in2", tables)], skip_invalid=True, rejects_path=target)
    assert result.rejects_path == target and "unknown pronac 404" in target.read_text()


def test_the_sample_fixture_imports_completely_and_twice_identically():
    first = salic_import_run(paths=[FIXTURES])
    counts = table_counts()
    assert counts["Project"] == 60 and counts["BudgetLine"] > 2000 and counts["Receipt"] > 500
    assert Segment.objects.filter(name="").count() == 0
    second = salic_import_run(paths=[FIXTURES])
    assert table_counts() == {**counts, "ImportRun": counts["ImportRun"] + 1}
    assert second.touched == 0 and second.run.snapshot_id == first.run.snapshot_id
