"""The generator's SALIC-format output holds the same data as its standard files."""

from __future__ import annotations

import pytest

from salic_ml.demo.generator import salic_generate
from salic_ml.ingest import salic_import_run
from salic_ml.models import Area, BudgetLine, Fundraising, Project, Proponent, Receipt, Segment, Supplier

pytestmark = pytest.mark.django_db


def _contents() -> dict[str, list[tuple]]:
    return {
        "areas": sorted(Area.objects.values_list("code", "name")),
        "segments": sorted(Segment.objects.values_list("code", "name", "area__code")),
        "projects": sorted(
            Project.objects.values_list(
                "pronac",
                "name",
                "proponent__proponent_id",
                "area__code",
                "segment__code",
                "uf",
                "situation",
                "submitted_at",
                "execution_start",
                "execution_end",
            )
        ),
        # the stage is numbered in SALIC's spelling ("2 - Produção / Execução")
        "lines": sorted(
            BudgetLine.objects.values_list(
                "line_id",
                "project__pronac",
                "item_id",
                "item_name",
                "unit",
                "quantity",
                "occurrences",
                "days",
                "unit_price_requested",
                "unit_price_approved",
                "total_approved",
                "uf",
                "city_code",
                "product_id",
            )
        ),
        # the current receipts query has no payment date
        "receipts": sorted(
            Receipt.objects.values_list(
                "receipt_id", "line__line_id", "supplier__supplier_id", "supplier__name", "amount", "payment_type"
            )
        ),
        "funds": sorted(Fundraising.objects.values_list("project__pronac", "sponsor_id", "amount", "received_at")),
    }


def _empty_the_database() -> None:
    for model in (Receipt, Fundraising, BudgetLine, Supplier, Project, Proponent, Segment, Area):
        model.objects.all().delete()


def test_generated_salic_extracts_import_to_the_same_data_as_the_standard_files(tmp_path):
    salic = salic_generate(projects=200, seed=11, out=tmp_path / "salic", dialect="salic")
    assert sorted(salic.counts) == [
        "planilha_captacao.csv",
        "planilha_comprovacao.csv",
        "planilha_orcamentaria.csv",
        "planilha_projetos.csv",
        "planted.csv",
    ]
    result = salic_import_run(paths=[tmp_path / "salic"], dialect="salic", rescore=False)
    assert result.rejected == 0 and result.counts["budget_lines"]["valid"] > 5000
    from_salic = _contents()
    assert "2 - Produção / Execução" in set(BudgetLine.objects.values_list("stage", flat=True))
    _empty_the_database()
    salic_generate(projects=200, seed=11, out=tmp_path / "standard")
    salic_import_run(paths=[tmp_path / "standard"], rescore=False)
    from_standard = _contents()
    for table, rows in from_standard.items():
        assert from_salic[table] == rows, table


def test_generated_salic_extracts_import_again_without_changes(tmp_path):
    salic_generate(projects=120, seed=2, out=tmp_path, dialect="salic")
    first = salic_import_run(paths=[tmp_path], dialect="salic", rescore=False)
    again = salic_import_run(paths=[tmp_path], dialect="salic", rescore=False)
    assert again.touched == 0 and again.run.snapshot_id == first.run.snapshot_id
    assert all(c.get("inserted", 0) == c.get("updated", 0) == c.get("removed", 0) == 0 for c in again.counts.values())
