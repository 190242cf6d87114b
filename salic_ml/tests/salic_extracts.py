"""SALIC's own extracts, shaped exactly as ../shared/SALIC-EXTRACTS.md describes them.

Every column of each query, in its order, with the quirks real extracts have: float-written codes
(`1.0`), blank payment types, hashed or CPF/CNPJ ids, millisecond datetimes, `00:00:00` dates,
padded and double-spaced text, area/segment codes in the projects file and their names only in
the budget file, the UF of receipts as an IBGE number, DtChegadaRecibo beside DtRecibo. Tests
change a copy of `extract_set()` and write it with `write_extracts`.
"""

from __future__ import annotations

import copy
import csv
import gzip
from pathlib import Path

PROJECTS = "planilha_projetos.csv"
BUDGET = "planilha_orcamentaria.csv"
RECEIPTS = "planilha_comprovacao.csv"
FUNDRAISING = "planilha_captacao.csv"

COLUMNS = {
    PROJECTS: [
        "PRONAC",
        "idPRONAC",
        "UfProjeto",
        "Area",
        "Segmento",
        "NomeProjeto",
        "CgcCpf",
        "Situacao",
        "DtProtocolo",
        "DtSituacao",
        "DtInicioExecucao",
        "DtFimExecucao",
    ],
    BUDGET: [
        "idPronac",
        "PRONAC",
        "idPlanilhaAprovacao",
        "Item",
        "idPlanilhaItens",
        "Unidade",
        "QtDias",
        "QtItem",
        "nrOcorrencia",
        "VlUnitarioSolicitado",
        "VlTotalSolicitado",
        "VlUnitarioAprovado",
        "VlTotalAprovado",
        "UfItem",
        "MunicipioItem",
        "Etapa",
        "idArea",
        "Area",
        "idSegmento",
        "Segmento",
        "idProduto",
        "Produto",
        "DataProjeto",
        "cdEtapa",
        "cdCidade",
    ],
    RECEIPTS: [
        "IdPRONAC",
        "PRONAC",
        "DataProjeto",
        "idPlanilhaAprovacao",
        "idPlanilhaItem",
        "Item",
        "idSegmento",
        "vlComprovacao",
        "idComprovantePagamento",
        "nrCNPJCPF",
        "nmFornecedor",
        "UF",
        "cdProduto",
        "cdCidade",
        "cdEtapa",
        "proponenteCgcCpf",
        "tpFormaDePagamento",
    ],
    FUNDRAISING: [
        "Idcaptacao",
        "Pronac",
        "Segmento",
        "NumeroRecibo",
        "CgcCpfMecena",
        "TipoApoio",
        "MedidaProvisoria",
        "DtChegadaRecibo",
        "DtRecibo",
        "CaptacaoReal",
        "CaptacaoUfir",
        "logon",
        "isBemServico",
    ],
}
# The older receipts query adds these after the 17 columns above.
RECEIPTS_OLDER_EXTRA = [
    "nrComprovante",
    "nrSerie",
    "tpDocumento",
    "dtPagamento",
    "dtEmissao",
    "nrDocumentoDePagamento",
    "idArquivo",
    "dsJustificativaProponente",
    "dsOcorrenciaDoTecnico",
    "stItemAvaliado",
    "stAvaliacao",
]

HASHED_PROPONENT = "-8836266914637154893"
HASHED_SUPPLIER = "-4411593425561232001"
HASHED_SPONSOR = "7723390012446518811"


def _project(pronac, id_pronac, uf, area, segment, name, proponent, situation, protocol, start, end):
    return dict(
        zip(
            COLUMNS[PROJECTS],
            [pronac, id_pronac, uf, area, segment, name, proponent, situation, protocol, start, start, end],
            strict=True,
        )
    )


_PROJECTS = [
    _project(
        "132955",
        "170311",
        "SP",
        "3",
        "31",
        "Festival de Choro  do Vale ",  # double space inside, trailing space
        "12345678000190",  # CNPJ
        "E12",
        "2013-05-09 15:19:34.337",
        "2014-01-07 00:00:00",
        "2014-12-31 00:00:00",
    ),
    _project(
        "1510549",
        "190122",
        "MG",
        "6",
        "6E",
        "Biblioteca Itinerante do Jequitinhonha",
        HASHED_PROPONENT,  # anonymised extract
        "E24",
        "2015-02-11 09:03:12.120",
        "2015-06-01 00:00:00",
        "2016-05-31 00:00:00",
    ),
    _project(
        "141000",
        "181500",
        "BA",
        "1",
        "1A",
        "Circo na Praça",
        "12345678909",  # CPF
        "E10",
        "2014-03-20 10:00:00.000",
        "",
        "",
    ),
]


def _line(pronac, id_pronac, line_id, item, item_id, unit, days, qty, occ, price_req, price, total, uf, city):
    area, area_name, segment, segment_name = {
        "132955": ("3", "Música", "31", "Música Instrumental"),
        "1510549": ("6", "Humanidades", "6E", "Livros ou  obras de referência"),
        "141000": ("1", "Artes Cênicas", "1A", "Circo"),
    }[pronac]
    administration = item.startswith("Coordenação")
    values = [
        id_pronac,
        pronac,
        line_id,
        item,
        item_id,
        unit,
        days,
        qty,
        occ,
        price_req,
        "",  # VlTotalSolicitado
        price,
        total,
        uf,
        {"3550308": "São Paulo", "3106200.0": "Belo Horizonte", "2927408": "Salvador"}[city],
        "4 - Custos / Administrativos" if administration else "2 - Produção / Execução",
        area,
        area_name,
        segment,
        segment_name + "  ",  # padded, as SQL Server's char columns come out
        "0" if administration else "51",  # idProduto 0 = Administração do Projeto
        "Administração do Projeto" if administration else "Espetáculo de Artes Cênicas",
        "2013-05-09 15:19:34.337",
        "4" if administration else "2",
        city,
    ]
    return dict(zip(COLUMNS[BUDGET], values, strict=True))


_BUDGET = [
    _line("132955", "170311", "4556871", "Cachê de Músico", "110", "Cachê", "0", "4.0", "2.0", "1500.00", "1250.5", "10004.00", "SP", "3550308"),
    _line("132955", "170311", "4556872", "Locação de  Som", "245", "Diária ", "3", "3", "1", "", "2000", "6000.0", "SP", "3550308"),
    _line("132955", "170311", "4556873", "Coordenação administrativa", "5249", "Mês", "", "1", "6", "3000.00", "3000.00", "18000.00", "SP", "3550308"),
    _line("1510549", "190122", "5123001", "Impressão de livros", "3327", "Exemplar", "0.0", "1000.0", "1.0", "12.5", "11.75", "11750.00", "MG", "3106200.0"),
    _line("1510549", "190122", "5123002", "Revisão de texto", "412", "Serviço", "", "1", "1", "4000", "3800.00", "3800.00", "MG", "3106200.0"),
    _line("141000", "181500", "6000001", "Lona de circo", "901", "Unidade", "", "1", "1", "25000", "24000", "24000", "BA", "2927408"),
]  # fmt: skip


def _receipt(pronac, id_pronac, line_id, item_id, item, segment, amount, receipt_id, supplier, supplier_name, payment):
    values = [
        id_pronac,
        pronac,
        "2013-05-09 15:19:34.337",
        line_id,
        item_id,
        item,
        segment,
        amount,
        receipt_id,
        supplier,
        supplier_name,
        {"132955": "35", "1510549": "31"}[pronac],  # IBGE state code, not letters
        "51",
        "3550308",
        "2",
        "12345678000190",
        payment,
    ]
    return dict(zip(COLUMNS[RECEIPTS], values, strict=True))


_RECEIPTS = [
    _receipt("132955", "170311", "4556871", "110", "Cachê de Músico", "31", "5000.00", "330001", "11122233344", "Ana Souza  Lima ", "2.0"),
    # one receipt allocated to two lines: two rows, the amount of each allocation
    _receipt("132955", "170311", "4556871", "110", "Cachê de Músico", "31", "1000.00", "330002", HASHED_SUPPLIER, "Som e Luz Ltda", "1.0"),
    _receipt("132955", "170311", "4556872", "245", "Locação de  Som", "31", "2500.5", "330002", HASHED_SUPPLIER, "Som e Luz Ltda", "1.0"),
    _receipt("132955", "170311", "4556873", "5249", "Coordenação administrativa", "31", "300", "330003", "44555666000177", "Escritório Contábil ", "3.0"),
    _receipt("1510549", "190122", "5123001", "3327", "Impressão de livros", "6E", "11750.0", "440001", "44555666000177", "Escritório Contábil", ""),
    _receipt("1510549", "190122", "5123002", "412", "Revisão de texto", "6E", "3800", "440002", "98765432100", "Maria das Dores", "0"),
]  # fmt: skip

_OLDER = {
    "nrComprovante": "000123",
    "nrSerie": "1",
    "tpDocumento": "1",
    "dtPagamento": "2014-03-10 00:00:00",
    "dtEmissao": "2014-03-08 00:00:00",
    "nrDocumentoDePagamento": "850",
    "idArquivo": "99812",
    "dsJustificativaProponente": "Pagamento  do cachê ",
    "dsOcorrenciaDoTecnico": "",
    "stItemAvaliado": "1",
    "stAvaliacao": "1.0",
}


def _funds(id_, pronac, segment, receipt, sponsor, arrived, dated, amount):
    values = [id_, pronac, segment, receipt, sponsor, "1", "0", arrived, dated, amount, "0.0", "2241", "0"]
    return dict(zip(COLUMNS[FUNDRAISING], values, strict=True))


_FUNDRAISING = [
    _funds("700101", "132955", "31", "1", "33000167000101", "2013-09-02 11:12:13.456", "2013-08-30 00:00:00", "15000.00"),
    _funds("700102", "132955", "31", "2", "33000167000101", "2013-10-02 08:00:00.000", "2013-09-30 00:00:00", "15000.00"),
    _funds("700103", "132955", "31", "3", HASHED_SPONSOR, "2013-11-04 17:45:01.001", "2013-11-01 00:00:00", "2500.5"),
    _funds("800201", "1510549", "6E", "1", "00000000000191", "2015-05-05 09:30:00.250", "2015-05-04 00:00:00", "20000"),
]  # fmt: skip

_BASE = {PROJECTS: _PROJECTS, BUDGET: _BUDGET, RECEIPTS: _RECEIPTS, FUNDRAISING: _FUNDRAISING}


def extract_set() -> dict[str, list[dict[str, str]]]:
    """3 projects, 6 budget lines, 6 receipt rows (5 receipts), 4 fundraising rows (a fresh copy)."""
    return copy.deepcopy(_BASE)


MONEY = {
    BUDGET: ("VlUnitarioSolicitado", "VlUnitarioAprovado", "VlTotalAprovado", "QtItem", "nrOcorrencia"),
    RECEIPTS: ("vlComprovacao",),
    FUNDRAISING: ("CaptacaoReal",),
}


def with_decimal_commas(tables: dict[str, list[dict[str, str]]]) -> dict[str, list[dict[str, str]]]:
    """Money and quantities spelled the Brazilian way (`1.234,56`), as in `;`-separated files."""
    for name, columns in MONEY.items():
        for row in tables.get(name, []):
            for column in columns:
                if row[column]:
                    whole, _, cents = f"{float(row[column]):,.2f}".partition(".")
                    row[column] = whole.replace(",", ".") + "," + cents
    return tables


def older_receipts(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows in the older receipts query's shape (with dtPagamento and the other added columns)."""
    return [{**row, **_OLDER} for row in rows]


def write_extracts(
    directory: Path,
    tables: dict[str, list[dict[str, str]]],
    *,
    gz: bool = False,
    older_receipts_columns: bool = False,
    extra_columns: dict[str, list[str]] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write the tables under SALIC's file names (`.csv.gz` with `gz`), as pandas' to_csv writes them
    (or, with `;` and Latin-1, as a Brazilian spreadsheet does)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        header = list(COLUMNS[name])
        if name == RECEIPTS and older_receipts_columns:
            header += RECEIPTS_OLDER_EXTRA
        header += (extra_columns or {}).get(name, [])
        path = directory / (name + ".gz" if gz else name)
        opener = gzip.open if gz else open
        with opener(path, "wt", newline="", encoding=encoding) as handle:
            writer = csv.writer(handle, lineterminator="\n", delimiter=delimiter)
            writer.writerow(header)
            for row in rows:
                writer.writerow([row.get(column, "") for column in header])
    return directory
