"""Small SALIC CSV sets written on the fly for import tests."""

from __future__ import annotations

import copy
import csv
from pathlib import Path

from salic_ml.ingest.columns import SPECS
from salic_ml.models import (
    Area,
    BudgetLine,
    Fundraising,
    ImportRun,
    ImportTouch,
    Project,
    Proponent,
    Receipt,
    Segment,
    Supplier,
)

HEADERS = {spec.file_name: [c.name for c in spec.columns if c.name != "row_key"] for spec in SPECS}

_BASE = {
    "projects.csv": [
        {
            "pronac": "201001",
            "name": "Festival de Choro do Vale",
            "proponent_id": "12345678000190",
            "area_code": "3",
            "area_name": "Música",
            "segment_code": "3B",
            "segment_name": "Choro e Samba",
            "uf": "MG",
            "situation": "E24",
            "submitted_at": "2020-02-03",
            "execution_start": "2020-05-01",
            "execution_end": "2020-12-31",
        },
        {
            "pronac": "201002",
            "name": "Mostra de Teatro de Rua",
            "proponent_id": "98765432100",
            "area_code": "1",
            "area_name": "Artes Cênicas",
            "segment_code": "19",
            "segment_name": "Teatro de Rua",
            "uf": "SP",
            "situation": "E12",
            "submitted_at": "2020-03-04",
            "execution_start": "",
            "execution_end": "",
        },
    ],
    "budget_lines.csv": [
        {
            "line_id": "9001",
            "pronac": "201001",
            "item_id": "110",
            "item_name": "Cachê de Músico",
            "stage": "Produção / Execução",
            "unit": "Cachê",
            "quantity": "4",
            "occurrences": "2",
            "days": "",
            "unit_price_requested": "1500.00",
            "unit_price_approved": "1250.50",
            "total_approved": "10004.00",
            "uf": "MG",
            "city_code": "3106200",
            "product_id": "51",
        },
        {
            "line_id": "9002",
            "pronac": "201001",
            "item_id": "245",
            "item_name": "Locação de Som",
            "stage": "Produção / Execução",
            "unit": "Diária",
            "quantity": "3",
            "occurrences": "",
            "days": "3",
            "unit_price_requested": "",
            "unit_price_approved": "2000",
            "total_approved": "",
            "uf": "MG",
            "city_code": "3106200",
            "product_id": "51",
        },
        {
            "line_id": "9003",
            "pronac": "201002",
            "item_id": "110",
            "item_name": "Cachê de Músico",
            "stage": "Produção / Execução",
            "unit": "Cachê",
            "quantity": "10",
            "occurrences": "1",
            "days": "",
            "unit_price_requested": "900",
            "unit_price_approved": "900",
            "total_approved": "9000",
            "uf": "SP",
            "city_code": "3550308",
            "product_id": "12",
        },
    ],
    "receipts.csv": [
        {
            "receipt_id": "500",
            "line_id": "9001",
            "pronac": "201001",
            "supplier_id": "11122233344",
            "supplier_name": "Ana Souza Lima",
            "amount": "5000.00",
            "payment_type": "transfer",
            "paid_at": "2020-06-10",
        },
        {
            "receipt_id": "501",
            "line_id": "9002",
            "pronac": "201001",
            "supplier_id": "44555666000177",
            "supplier_name": "Som e Luz Ltda",
            "amount": "6000",
            "payment_type": "1",
            "paid_at": "15/07/2020",
        },
    ],
    "fundraising.csv": [
        {"pronac": "201001", "sponsor_id": "33000167000101", "amount": "12000.00", "received_at": "2020-04-01"},
    ],
}


def base_set() -> dict[str, list[dict[str, str]]]:
    """A valid set: 2 projects, 3 budget lines, 2 receipts, 1 fundraising row (a fresh copy)."""
    return copy.deepcopy(_BASE)


def write_set(
    directory: Path,
    tables: dict[str, list[dict[str, str]]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    headers: dict[str, list[str]] | None = None,
) -> Path:
    """Write the tables as CSV files into `directory` (created) and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        header = (headers or {}).get(name) or HEADERS[name]
        with (directory / name).open("w", newline="", encoding=encoding) as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(header)
            for row in rows:
                writer.writerow([row.get(column, "") for column in header])
    return directory


MODELS = (Area, Segment, Proponent, Project, BudgetLine, Supplier, Receipt, Fundraising, ImportRun, ImportTouch)


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def database_rows() -> dict[str, list[tuple]]:
    """Every imported value that matters, to compare the database before and after a refused import."""
    return {
        "projects": sorted(Project.objects.values_list("pronac", "name", "segment__code", "uf", "updated_at")),
        "lines": sorted(
            BudgetLine.objects.values_list("line_id", "project__pronac", "quantity", "unit_price_approved")
        ),
        "receipts": sorted(Receipt.objects.values_list("receipt_id", "line__line_id", "amount", "payment_type")),
        "funds": sorted(Fundraising.objects.values_list("row_key", "project__pronac", "amount")),
        "proponents": sorted(Proponent.objects.values_list("proponent_id", flat=True)),
    }


NEW_PRONAC = "201099"
CHANGED_UF = "RJ"  # project 201001 is stored with MG


def with_new_rows_and_a_change(tables: dict[str, list[dict[str, str]]]) -> dict[str, list[dict[str, str]]]:
    """`tables` plus valid news: a new project (new proponent) with a budget line of its own, and a
    changed value (the UF) of a stored project. A refused import must store none of it."""
    tables = copy.deepcopy(tables)
    projects = tables.get("projects.csv")
    if projects:
        first = next(row for row in projects if row.get("pronac") == "201001")
        first["uf"] = CHANGED_UF
        projects.append(
            {**_BASE["projects.csv"][0], "pronac": NEW_PRONAC, "name": "Projeto Novo", "proponent_id": "11122233344"}
        )
        if "budget_lines.csv" in tables:
            tables["budget_lines.csv"].append({**_BASE["budget_lines.csv"][0], "line_id": "9099", "pronac": NEW_PRONAC})
    return tables
