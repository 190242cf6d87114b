"""SALIC's own extracts (../shared/SALIC-EXTRACTS.md) import as they are with --dialect salic."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from salic_ml.ingest import SalicImportError, salic_import_run
from salic_ml.ingest.values import (
    parse_date,
    parse_document,
    parse_payment_type,
    parse_salic_code,
    parse_uf,
)
from salic_ml.models import Area, BudgetLine, Fundraising, ImportRun, Project, Receipt, Segment, Supplier

from .csv_sets import table_counts
from .salic_extracts import (
    BUDGET,
    FUNDRAISING,
    HASHED_PROPONENT,
    HASHED_SPONSOR,
    HASHED_SUPPLIER,
    PROJECTS,
    RECEIPTS,
    extract_set,
    older_receipts,
    with_decimal_commas,
    write_extracts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path):
    return salic_import_run(paths=[write_extracts(tmp_path / "extracts", extract_set())], dialect="salic")


def test_the_four_extracts_import_by_their_own_names_with_every_row(imported):
    assert {kind: c["valid"] for kind, c in imported.counts.items() if "valid" in c} == {
        "projects": 3,
        "budget_lines": 6,
        "receipts": 6,
        "fundraising": 4,
    }
    assert {f["name"] for f in ImportRun.objects.get().files} == {PROJECTS, BUDGET, RECEIPTS, FUNDRAISING}


def test_area_and_segment_codes_of_the_projects_are_named_from_the_budget_lines(imported):
    project = Project.objects.select_related("area", "segment").get(pronac="1510549")
    assert (project.area.code, project.segment.code) == ("6", "6E")
    assert dict(Area.objects.values_list("code", "name")) == {"1": "Artes Cênicas", "3": "Música", "6": "Humanidades"}
    # padded and double-spaced in the extract
    assert dict(Segment.objects.values_list("code", "name")) == {
        "1A": "Circo",
        "31": "Música Instrumental",
        "6E": "Livros ou obras de referência",
    }


def test_hashed_and_cpf_cnpj_ids_are_kept_as_opaque_text(imported):
    proponents = dict(Project.objects.values_list("pronac", "proponent__proponent_id"))
    assert proponents == {"132955": "12345678000190", "1510549": HASHED_PROPONENT, "141000": "12345678909"}
    assert Supplier.objects.filter(supplier_id=HASHED_SUPPLIER).get().name == "Som e Luz Ltda"
    assert Fundraising.objects.filter(sponsor_id=HASHED_SPONSOR).count() == 1


def test_pronacs_of_six_and_seven_digits_are_kept_as_written(imported):
    assert set(Project.objects.values_list("pronac", flat=True)) == {"132955", "1510549", "141000"}


def test_millisecond_datetimes_and_midnight_timestamps_become_dates(imported):
    project = Project.objects.get(pronac="132955")
    assert (project.submitted_at, project.execution_start, project.execution_end) == (
        date(2013, 5, 9),  # "2013-05-09 15:19:34.337"
        date(2014, 1, 7),  # "2014-01-07 00:00:00"
        date(2014, 12, 31),
    )
    assert Project.objects.get(pronac="141000").execution_start is None


def test_padded_and_double_spaced_text_is_trimmed_to_single_spaces(imported):
    assert Project.objects.get(pronac="132955").name == "Festival de Choro do Vale"
    line = BudgetLine.objects.get(line_id=4556872)
    assert (line.item_name, line.unit) == ("Locação de Som", "Diária")
    assert Supplier.objects.get(supplier_id="11122233344").name == "Ana Souza Lima"


def test_float_written_numbers_and_codes_are_read_as_their_values(imported):
    line = BudgetLine.objects.get(line_id=4556871)  # QtItem 4.0, nrOcorrencia 2.0, QtDias 0
    assert (line.quantity, line.occurrences, line.unit_price_approved, line.total_approved) == (4.0, 2.0, 1250.5, 10004)
    books = BudgetLine.objects.get(line_id=5123001)  # cdCidade "3106200.0", QtDias "0.0"
    assert (books.city_code, books.days, books.quantity) == ("3106200", 0, 1000.0)


def test_budget_lines_keep_stage_product_and_city(imported):
    admin = BudgetLine.objects.get(line_id=4556873)
    assert (admin.stage, admin.product_id, admin.city_code, admin.uf) == (
        "4 - Custos / Administrativos",
        0,
        "3550308",
        "SP",
    )
    assert admin.total_approved == 18000.0 and admin.unit_price_requested == 3000.0


def test_payment_codes_written_as_floats_and_blank_ones_are_read(imported):
    kinds = {(r.receipt_id, r.line.line_id): r.payment_type for r in Receipt.objects.select_related("line")}
    assert kinds == {
        (330001, 4556871): "transfer",  # "2.0"
        (330002, 4556871): "cheque",  # "1.0"
        (330002, 4556872): "cheque",
        (330003, 4556873): "cash",  # "3.0"
        (440001, 5123001): "unknown",  # blank
        (440002, 5123002): "unknown",  # "0"
    }


def test_a_receipt_allocated_to_two_lines_keeps_each_allocation(imported):
    shared = Receipt.objects.filter(receipt_id=330002).order_by("line__line_id")
    assert [(r.line.line_id, r.amount) for r in shared] == [(4556871, 1000.0), (4556872, 2500.5)]


def test_fundraising_takes_dt_recibo_as_its_date_and_idcaptacao_as_its_key(imported):
    rows = dict(Fundraising.objects.values_list("row_key", "received_at"))
    assert rows["id:700101"] == date(2013, 8, 30)  # DtRecibo, not DtChegadaRecibo (2013-09-02)
    assert sorted(Fundraising.objects.filter(project__pronac="132955").values_list("amount", flat=True)) == [
        2500.5,
        15000.0,
        15000.0,
    ]


def test_unused_columns_are_listed_in_the_summary_never_refused(imported):
    assert imported.unused[FUNDRAISING] == [
        "Segmento",
        "NumeroRecibo",
        "TipoApoio",
        "MedidaProvisoria",
        "DtChegadaRecibo",
        "CaptacaoUfir",
        "logon",
        "isBemServico",
    ]
    assert "VlTotalSolicitado" in imported.unused[BUDGET] and "UF" in imported.unused[RECEIPTS]
    assert "Area" not in imported.unused[BUDGET]  # read for the area names
    summary = imported.summary()
    assert "Unused columns (accepted, not imported)" in summary
    assert "planilha_projetos.csv: idPRONAC, DtSituacao" in summary
    run = ImportRun.objects.get()
    assert next(f for f in run.files if f["name"] == PROJECTS)["unused"] == ["idPRONAC", "DtSituacao"]


def test_a_column_a_newer_query_adds_is_accepted_and_listed(tmp_path):
    directory = write_extracts(tmp_path, extract_set(), extra_columns={PROJECTS: ["Mecanismo", "vlAprovado2027"]})
    result = salic_import_run(paths=[directory], dialect="salic")
    assert result.unused[PROJECTS] == ["idPRONAC", "DtSituacao", "Mecanismo", "vlAprovado2027"]
    assert Project.objects.count() == 3


def test_the_older_receipts_query_gives_the_payment_date(tmp_path):
    tables = extract_set()
    tables[RECEIPTS] = older_receipts(tables[RECEIPTS])
    result = salic_import_run(paths=[write_extracts(tmp_path, tables, older_receipts_columns=True)], dialect="salic")
    assert set(Receipt.objects.values_list("paid_at", flat=True)) == {date(2014, 3, 10)}  # dtPagamento
    assert result.counts["receipts"]["valid"] == 6
    assert "dtEmissao" in result.unused[RECEIPTS] and "stAvaliacao" in result.unused[RECEIPTS]


def test_gzipped_extracts_give_the_same_data_and_snapshot(tmp_path):
    plain = salic_import_run(paths=[write_extracts(tmp_path / "plain", extract_set())], dialect="salic")
    counts = table_counts()
    gzipped_dir = write_extracts(tmp_path / "gz", extract_set(), gz=True)
    assert sorted(p.name for p in gzipped_dir.iterdir())[0] == "planilha_captacao.csv.gz"
    again = salic_import_run(paths=[gzipped_dir], dialect="salic")
    assert again.run.snapshot_id == plain.run.snapshot_id and again.touched == 0
    assert table_counts() == {**counts, "ImportRun": counts["ImportRun"] + 1}


def test_a_gzipped_extract_imports_on_an_empty_database(tmp_path):
    directory = write_extracts(tmp_path, extract_set(), gz=True)
    result = salic_import_run(paths=sorted(directory.iterdir()), dialect="salic")
    assert result.counts["budget_lines"]["inserted"] == 6
    assert Segment.objects.get(code="6E").name == "Livros ou obras de referência"


def test_a_broken_gzip_file_is_refused_by_name(tmp_path):
    directory = write_extracts(tmp_path, extract_set())
    (directory / PROJECTS).unlink()
    (directory / (PROJECTS + ".gz")).write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(SalicImportError, match="planilha_projetos.csv.gz: unreadable compressed file"):
        salic_import_run(paths=[directory], dialect="salic")
    assert not Project.objects.exists()


def test_a_parquet_extract_is_named_as_unsupported(tmp_path):
    directory = write_extracts(tmp_path, extract_set())
    (directory / FUNDRAISING).unlink()
    (directory / "planilha_captacao.parquet").write_bytes(b"PAR1")
    with pytest.raises(SalicImportError, match="planilha_captacao.parquet: Parquet is not supported"):
        salic_import_run(paths=[directory], dialect="salic")
    with pytest.raises(SalicImportError, match="planilha_captacao.parquet: Parquet is not supported"):
        salic_import_run(paths=[directory / "planilha_captacao.parquet"], dialect="salic")


def test_the_extracts_without_the_dialect_flag_are_refused_with_the_hint(tmp_path):
    with pytest.raises(SalicImportError, match="use --dialect salic"):
        salic_import_run(paths=[write_extracts(tmp_path, extract_set())])
    assert not Project.objects.exists()


def test_a_blank_payment_type_stays_an_error_in_our_own_dialect(tmp_path):
    from .csv_sets import base_set, write_set

    tables = base_set()
    tables["receipts.csv"][0]["payment_type"] = ""
    with pytest.raises(SalicImportError, match="payment_type: required value is empty"):
        salic_import_run(paths=[write_set(tmp_path, tables)])


def test_a_bad_value_in_an_extract_names_the_file_line_and_salic_column(tmp_path):
    tables = extract_set()
    tables[RECEIPTS][3]["tpFormaDePagamento"] = "4.0"
    tables[FUNDRAISING][1]["CaptacaoReal"] = "quinze mil"
    with pytest.raises(SalicImportError) as raised:
        salic_import_run(paths=[write_extracts(tmp_path, tables)], dialect="salic")
    message = raised.value.summary()
    assert "planilha_comprovacao.csv, line 5, column tpFormaDePagamento: unknown payment type '4.0'" in message
    assert "planilha_captacao.csv, line 3, column CaptacaoReal: not a number: 'quinze mil'" in message
    assert not Project.objects.exists()


def test_a_repeated_idcaptacao_is_refused(tmp_path):
    tables = extract_set()
    tables[FUNDRAISING][2]["Idcaptacao"] = "700101"
    with pytest.raises(SalicImportError, match="column Idcaptacao: duplicate id 700101 \\(first at line 2\\)"):
        salic_import_run(paths=[write_extracts(tmp_path, tables)], dialect="salic")


def test_the_command_imports_the_extracts_and_prints_counts_and_unused_columns(tmp_path):
    out = StringIO()
    directory = write_extracts(tmp_path, extract_set(), gz=True)
    call_command("salic_import", str(directory), "--dialect", "salic", "--quiet", stdout=out)
    text = out.getvalue()
    assert "budget_lines 6 (6 new, 0 changed, 0 removed)" in text
    assert "fundraising 4 (4 new, 0 changed, 0 removed)" in text
    assert "planilha_captacao.csv.gz: Segmento, NumeroRecibo" in text


@pytest.mark.parametrize(
    ("parse", "raw", "expected"),
    [
        (parse_document, "-8836266914637154893", "-8836266914637154893"),  # a hash keeps its sign
        (parse_document, "8836266914637154893", "8836266914637154893"),
        (parse_document, "123.456.789-09", "12345678909"),  # a formatted CPF loses its punctuation
        (parse_document, "12.345.678/0001-90", "12345678000190"),
        (parse_uf, "35", "SP"),  # IBGE's state code
        (parse_uf, "53.0", "DF"),
        (parse_uf, "ba", "BA"),
        (parse_date, "2011-05-09 15:19:34.337", "2011-05-09"),
        (parse_date, "2014-01-07 00:00:00", "2014-01-07"),
        (parse_payment_type, "2.0", "transfer"),
        (parse_payment_type, "0.0", "unknown"),
        (parse_salic_code, "3550308.0", "3550308"),
        (parse_salic_code, "6E", "6E"),
    ],
)
def test_single_values_of_the_extracts_are_read_as_salic_means_them(parse, raw, expected):
    assert parse(raw) == expected


@pytest.mark.parametrize(
    ("parse", "raw"), [(parse_uf, "99"), (parse_uf, "3"), (parse_document, "12;3"), (parse_document, "José")]
)
def test_values_that_are_neither_are_still_refused(parse, raw):
    with pytest.raises(ValueError):
        parse(raw)


def test_a_parquet_extract_beside_its_csv_is_left_alone(tmp_path):
    directory = write_extracts(tmp_path, extract_set())
    (directory / "planilha_captacao.parquet").write_bytes(b"PAR1")
    result = salic_import_run(paths=[directory], dialect="salic")
    assert result.counts["fundraising"]["valid"] == 4


def test_a_second_spelling_of_a_column_is_listed_not_refused(tmp_path):
    tables = extract_set()
    for row in tables[PROJECTS]:
        row["idArea"] = "99"  # an older export's duplicate of Area
    result = salic_import_run(
        paths=[write_extracts(tmp_path, tables, extra_columns={PROJECTS: ["idArea"]})], dialect="salic"
    )
    assert "idArea" in result.unused[PROJECTS]
    assert set(Project.objects.values_list("area__code", flat=True)) == {"1", "3", "6"}


def test_semicolon_latin1_extracts_with_decimal_commas_give_the_same_data(tmp_path):
    plain = salic_import_run(paths=[write_extracts(tmp_path / "plain", extract_set())], dialect="salic")
    tables = with_decimal_commas(extract_set())
    assert tables[BUDGET][3]["VlTotalAprovado"] == "11.750,00"
    directory = write_extracts(tmp_path / "br", tables, delimiter=";", encoding="latin-1")
    again = salic_import_run(paths=[directory], dialect="salic")
    assert again.touched == 0 and again.run.snapshot_id == plain.run.snapshot_id
    assert {f["delimiter"] for f in again.run.files} == {";"}
    assert "latin-1" in {f["encoding"] for f in again.run.files}  # an all-ASCII file reads as UTF-8


def test_a_segment_named_only_on_a_later_line_still_gets_its_name(tmp_path):
    tables = extract_set()
    tables[BUDGET][0]["Segmento"] = "   "
    tables[BUDGET][0]["Area"] = ""
    salic_import_run(paths=[write_extracts(tmp_path, tables)], dialect="salic")
    assert Segment.objects.get(code="31").name == "Música Instrumental"
    assert Area.objects.get(code="3").name == "Música"
