"""The four import files: their columns (DESIGN §5), SALIC's names for them, and header mapping.

A normalised row is a tuple in the order of `FileSpec.columns`; every later stage (validation,
snapshot, database staging) relies on that order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Kinds of values; parsing lives in values.py and validation.py.
TEXT, CODE, DOCUMENT, UF, INT, NUMBER, DATE, PAYMENT = (
    "text",
    "code",
    "document",
    "uf",
    "int",
    "number",
    "date",
    "payment",
)

# Any single field longer than this is refused before it is looked at (the model limits are lower).
MAX_FIELD_CHARS = 10_000
# Largest accepted values: integer columns must fit their database column (32-bit unless marked
# big); no amount or quantity in SALIC comes near a trillion, so anything above is a broken file.
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
NUMBER_MAX = 1e12


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    max_length: int = 0  # text kinds only; mirrors the model field
    max_value: float = 0  # numeric kinds; 0 means the kind's default (INT32_MAX or NUMBER_MAX)
    default: str = ""  # the value of an empty field, when it has one (SALIC's blank payment type)

    @property
    def upper_bound(self) -> float:
        return self.max_value or (INT32_MAX if self.kind == INT else NUMBER_MAX)


@dataclass(frozen=True)
class FileSpec:
    kind: str  # "projects", "budget_lines", "receipts", "fundraising"
    file_name: str
    columns: tuple[Column, ...]
    # SALIC's own header names (lower-case) → our column name, accepted with --dialect salic.
    salic_names: dict[str, str] = field(default_factory=dict)
    # SALIC columns we knowingly do not import. With --dialect salic every other unknown column is
    # accepted too; all of them are listed as unused in the import summary.
    salic_ignored: frozenset[str] = frozenset()
    # The file name of SALIC's own extract of this table (`planilha_*.csv`).
    salic_file_name: str = ""
    # SALIC columns read beside the row, not into it: header (lower-case) → name in `SIDE_COLUMNS`.
    salic_side: dict[str, str] = field(default_factory=dict)
    # Optional names of our own dialect for a column (fundraising's `source_id` → row_key).
    aliases: dict[str, str] = field(default_factory=dict)
    # Columns that the salic dialect reads differently (blank payment type = unknown).
    salic_columns: tuple[Column, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def index(self, name: str) -> int:
        return self.names.index(name)


PROJECTS = FileSpec(
    kind="projects",
    file_name="projects.csv",
    columns=(
        Column("pronac", CODE, required=True, max_length=20),
        Column("name", TEXT, required=True, max_length=500),
        Column("proponent_id", DOCUMENT, required=True, max_length=20),
        Column("area_code", CODE, required=True, max_length=20),
        Column("area_name", TEXT, max_length=200),
        Column("segment_code", CODE, required=True, max_length=20),
        Column("segment_name", TEXT, max_length=200),
        Column("uf", UF, max_length=2),
        Column("situation", TEXT, max_length=200),
        Column("submitted_at", DATE),
        Column("execution_start", DATE),
        Column("execution_end", DATE),
    ),
    salic_names={
        "pronac": "pronac",
        "nomeprojeto": "name",
        "cgccpf": "proponent_id",
        "area": "area_code",
        "idarea": "area_code",
        "codarea": "area_code",
        "nomearea": "area_name",
        "descricaoarea": "area_name",
        "segmento": "segment_code",
        "idsegmento": "segment_code",
        "codsegmento": "segment_code",
        "nomesegmento": "segment_name",
        "descricaosegmento": "segment_name",
        "ufprojeto": "uf",
        "situacao": "situation",
        "dtprotocolo": "submitted_at",
        "dtiniciodeexecucao": "execution_start",
        "dtinicioexecucao": "execution_start",
        "dtfimdeexecucao": "execution_end",
        "dtfimexecucao": "execution_end",
    },
    salic_ignored=frozenset(
        {
            "idpronac",
            "dtsituacao",
            "anoprojeto",
            "sequencial",
            "mecanismo",
            "processo",
            "nomeproponente",
            "enquadramento",
        }
    ),
    salic_file_name="planilha_projetos.csv",
)

BUDGET_LINES = FileSpec(
    kind="budget_lines",
    file_name="budget_lines.csv",
    columns=(
        Column("line_id", INT, required=True, max_value=INT64_MAX),
        Column("pronac", CODE, required=True, max_length=20),
        Column("item_id", INT, required=True),
        Column("item_name", TEXT, required=True, max_length=500),
        Column("stage", TEXT, max_length=200),
        Column("unit", TEXT, max_length=100),
        Column("quantity", NUMBER, required=True),
        Column("occurrences", NUMBER),
        Column("days", INT),
        Column("unit_price_requested", NUMBER),
        Column("unit_price_approved", NUMBER, required=True),
        Column("total_approved", NUMBER),
        Column("uf", UF, max_length=2),
        Column("city_code", CODE, max_length=20),
        Column("product_id", INT),
    ),
    salic_names={
        "idplanilhaaprovacao": "line_id",
        "pronac": "pronac",
        "idplanilhaitens": "item_id",
        "idplanilhaitem": "item_id",
        "item": "item_name",
        "etapa": "stage",
        "unidade": "unit",
        "qtitem": "quantity",
        "nrocorrencia": "occurrences",
        "qtdias": "days",
        "vlunitariosolicitado": "unit_price_requested",
        "vlunitarioaprovado": "unit_price_approved",
        "vltotalaprovado": "total_approved",
        "ufdespesa": "uf",
        "ufitem": "uf",
        "idmunicipiodespesa": "city_code",
        "idmunicipio": "city_code",
        "cdcidade": "city_code",
        "idproduto": "product_id",
    },
    # The project's segment is authoritative; SALIC repeats it (and names of ids) on every line.
    salic_ignored=frozenset(
        {
            "idpronac",
            "idetapa",
            "cdetapa",
            "idunidade",
            "produto",
            "municipiodespesa",
            "municipioitem",
            "idplanilhaproposta",
            "idplanilhaprojeto",
            "vltotalsolicitado",
            "dataprojeto",
        }
    ),
    salic_file_name="planilha_orcamentaria.csv",
    # The projects extract gives areas and segments by code only; their names come with the lines.
    salic_side={"idarea": "area_code", "area": "area_name", "idsegmento": "segment_code", "segmento": "segment_name"},
)

RECEIPTS = FileSpec(
    kind="receipts",
    file_name="receipts.csv",
    columns=(
        Column("receipt_id", INT, required=True),
        Column("line_id", INT, required=True, max_value=INT64_MAX),
        Column("pronac", CODE, required=True, max_length=20),
        Column("supplier_id", DOCUMENT, required=True, max_length=20),
        Column("supplier_name", TEXT, max_length=300),
        Column("amount", NUMBER, required=True),
        Column("payment_type", PAYMENT, required=True),
        Column("paid_at", DATE),
    ),
    salic_names={
        "idcomprovantepagamento": "receipt_id",
        "idplanilhaaprovacao": "line_id",
        "pronac": "pronac",
        "nrcnpjcpf": "supplier_id",
        "nmfornecedor": "supplier_name",
        "nomefornecedor": "supplier_name",
        "vlcomprovacao": "amount",
        "tpformadepagamento": "payment_type",
        "dtpagamento": "paid_at",
    },
    salic_ignored=frozenset(
        {
            "idpronac",
            "dataprojeto",
            "idplanilhaitens",
            "idplanilhaitem",
            "item",
            "idsegmento",
            "uf",  # the IBGE code of the supplier's state; the line has its own UF
            "cdproduto",
            "cdcidade",
            "cdetapa",
            "proponentecgccpf",
            # the older 29-column variant
            "nrcomprovante",
            "nrserie",
            "tpdocumento",
            "dtemissao",
            "nrdocumentodepagamento",
            "idarquivo",
            "dsjustificativa",
            "dsjustificativaproponente",
            "dsocorrenciadotecnico",
            "stitemavaliado",
            "stavaliacao",
        }
    ),
    salic_file_name="planilha_comprovacao.csv",
    # SALIC leaves the payment type blank when it was not recorded: that is "unknown", not an error.
    salic_columns=(Column("payment_type", PAYMENT, default="unknown"),),
)

FUNDRAISING = FileSpec(
    kind="fundraising",
    file_name="fundraising.csv",
    columns=(
        # Computed (see Fundraising.row_key) from the row's own id when the file has one
        # (SALIC's Idcaptacao, our source_id), else from the row's content.
        Column("row_key", CODE, max_length=40),
        Column("pronac", CODE, required=True, max_length=20),
        Column("sponsor_id", DOCUMENT, max_length=20),
        Column("amount", NUMBER, required=True),
        Column("received_at", DATE),
    ),
    salic_names={
        "pronac": "pronac",
        "cgccpf": "sponsor_id",
        "cgccpfmecena": "sponsor_id",
        "captacaoreal": "amount",
        "dtrecibo": "received_at",  # the receipt's date; DtChegadaRecibo is when it reached the ministry
        "idcaptacao": "row_key",
    },
    salic_ignored=frozenset(
        {
            "idpronac",
            "segmento",
            "anoprojeto",
            "sequencial",
            "nomemecena",
            "numerorecibo",
            "tipoapoio",
            "medidaprovisoria",
            "dtchegadarecibo",
            "captacaoufir",
            "logon",
            "isbemservico",
        }
    ),
    salic_file_name="planilha_captacao.csv",
    aliases={"source_id": "row_key"},
)

COMPUTED_COLUMNS = {"row_key"}

# Import order matters: lines refer to projects, receipts to lines.
SPECS: tuple[FileSpec, ...] = (PROJECTS, BUDGET_LINES, RECEIPTS, FUNDRAISING)
SPEC_BY_FILE_NAME = {name: spec for spec in SPECS for name in (spec.file_name, spec.salic_file_name)}
# Extensions an input may have besides plain CSV.
GZIP_SUFFIX = ".gz"
PARQUET_SUFFIX = ".parquet"

# Values some files carry beside their rows: the names of areas and segments in SALIC's budget lines.
SIDE_COLUMNS = ("area_code", "area_name", "segment_code", "segment_name")

DIALECTS = ("standard", "salic")


@dataclass(frozen=True)
class HeaderMap:
    """Where each of our columns sits in the file's rows (None when the column is absent)."""

    positions: tuple[int | None, ...]  # parallel to spec.columns
    labels: tuple[str, ...]  # the file's own header name for each of our columns, for messages
    width: int  # number of fields a row must have
    ignored: tuple[str, ...]  # the file's columns that are not imported (listed in the summary)
    side: dict[str, int] = field(default_factory=dict)  # SIDE_COLUMNS name → position


def spec_for_dialect(spec: FileSpec, dialect: str) -> FileSpec:
    """The spec as a dialect reads it: --dialect salic swaps in its `salic_columns`."""
    if dialect != "salic" or not spec.salic_columns:
        return spec
    swapped = {c.name: c for c in spec.salic_columns}
    return replace(spec, columns=tuple(swapped.get(c.name, c) for c in spec.columns))


def map_header(spec: FileSpec, header: list[str], *, dialect: str) -> tuple[HeaderMap | None, list[str]]:
    """Match a header row to the spec. Returns the map, or None and the reasons it does not fit."""
    problems: list[str] = []
    ours = {c.name for c in spec.columns} - COMPUTED_COLUMNS
    found: dict[str, tuple[int, str]] = {}
    unknown: list[str] = []
    ignored: list[str] = []
    side: dict[str, int] = {}
    salic = dialect == "salic"
    for position, raw in enumerate(header):
        label = raw.strip()
        key = label.lower()
        if key in ours:
            target = key
        elif key in spec.aliases:
            target = spec.aliases[key]
        elif salic and key in spec.salic_names:
            target = spec.salic_names[key]
        elif salic and key in spec.salic_side and spec.salic_side[key] not in side:
            side[spec.salic_side[key]] = position
            continue
        elif salic:
            # SALIC's queries change over the years: a column we do not use is listed, never refused.
            ignored.append(label or f"(empty header at position {position + 1})")
            continue
        else:
            unknown.append(label or f"(empty header at position {position + 1})")
            continue
        if target in found and salic:
            ignored.append(label)  # two spellings of one column (Area and idArea): the first is read
        elif target in found:
            problems.append(f"columns {found[target][1]!r} and {label!r} both give {target}")
        else:
            found[target] = (position, label)
    if unknown:
        hint = ""
        if dialect != "salic" and any(
            u.lower() in spec.salic_names or u.lower() in spec.salic_ignored or u.lower() in spec.salic_side
            for u in unknown
        ):
            hint = " (these look like SALIC names: use --dialect salic)"
        problems.append(f"unknown column(s): {', '.join(unknown)}{hint}")
    missing = [c.name for c in spec.columns if c.required and c.name not in found]
    if missing:
        problems.append(f"missing required column(s): {', '.join(missing)}")
    if problems:
        return None, problems
    positions = tuple(found[c.name][0] if c.name in found else None for c in spec.columns)
    labels = tuple(found[c.name][1] if c.name in found else c.name for c in spec.columns)
    for prefix in ("area_", "segment_"):  # a code without its name (or the reverse) is of no use
        pair = [k for k in side if k.startswith(prefix)]
        if len(pair) == 1:
            ignored.append(header[side.pop(pair[0])].strip())
    hmap = HeaderMap(positions=positions, labels=labels, width=len(header), ignored=tuple(ignored), side=side)
    return hmap, []
