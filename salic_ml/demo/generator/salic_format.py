"""The generated tables in the shape of SALIC's own extracts (../shared/SALIC-EXTRACTS.md).

Same data as the standard files, spelled as an evaluator's export spells it: SALIC's file and
column names (every column of each query, in order), codes written as floats by pandas (`2.0`),
millisecond datetimes and `00:00:00` dates, padded and double-spaced text, area and segment names
only on the budget lines, the receipts' UF as an IBGE number, fundraising with its own id
(Idcaptacao) and arrival date beside the receipt date. Importing these with `--dialect salic` gives
the same rows as importing the standard files, except receipts' paid_at (the current receipts query
has no payment date) and the stage, which SALIC numbers (`2 - Produção / Execução`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .vocab import STAGES, UFS

IBGE = {letters: code for letters, _, code in UFS}
PAYMENT_CODES = {"cheque": "1.0", "transfer": "2.0", "cash": "3.0", "unknown": ""}


def _timestamps(rng: np.random.Generator, days: pd.Series, *, milliseconds: bool) -> pd.Series:
    """`YYYY-MM-DD HH:MM:SS.mmm` at a random time of each day, or `YYYY-MM-DD 00:00:00`; blank stays blank."""
    blank = days == ""
    if not milliseconds:
        return days.where(blank, days + " 00:00:00")
    when = pd.to_datetime(days.where(~blank, "2000-01-01")) + pd.to_timedelta(
        rng.integers(8 * 3600_000, 19 * 3600_000, len(days)), unit="ms"
    )
    text = when.dt.strftime("%Y-%m-%d %H:%M:%S.%f").str[:-3]
    return text.where(~blank, "")


def _floats(values: pd.Series, *, blank: str) -> pd.Series:
    """Numbers as pandas writes a float column that has blanks (`3.0`); missing ones as `blank`."""
    numbers = pd.to_numeric(values).astype(float)
    return numbers.map("{:.1f}".format).where(numbers.notna(), blank)


def _padded(rng: np.random.Generator, text: pd.Series, share: float) -> pd.Series:
    """A share of values with a trailing space and the first space doubled, as SQL Server exports have."""
    hit = rng.random(len(text)) < share
    return text.where(~hit, text.str.replace(" ", "  ", n=1) + " ")


def salic_extracts(tables: dict[str, pd.DataFrame], *, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """The four standard tables (projects.csv, …) as planilha_projetos.csv, … frames of strings."""
    projects, lines = tables["projects.csv"], tables["budget_lines.csv"]
    receipts, funds = tables["receipts.csv"], tables["fundraising.csv"]
    categorical = [c for c in lines.columns if isinstance(lines[c].dtype, pd.CategoricalDtype)]
    lines = lines.astype(dict.fromkeys(categorical, str))
    id_pronac = pd.Series(np.arange(100_001, 100_001 + len(projects)).astype(str), index=projects.index)
    by_pronac = projects.assign(id_pronac=id_pronac).set_index("pronac")

    planilha_projetos = pd.DataFrame(
        {
            "PRONAC": projects["pronac"],
            "idPRONAC": id_pronac,
            "UfProjeto": projects["uf"],
            "Area": projects["area_code"],
            "Segmento": projects["segment_code"],
            "NomeProjeto": _padded(rng, projects["name"], 0.1),
            "CgcCpf": projects["proponent_id"],
            "Situacao": projects["situation"],
            "DtProtocolo": _timestamps(rng, projects["submitted_at"], milliseconds=True),
            "DtSituacao": _timestamps(rng, projects["submitted_at"], milliseconds=True),
            "DtInicioExecucao": _timestamps(rng, projects["execution_start"], milliseconds=False),
            "DtFimExecucao": _timestamps(rng, projects["execution_end"], milliseconds=False),
        }
    )

    owner = by_pronac.loc[lines["pronac"]]
    stage_code = lines["stage"].map({name: str(i + 1) for i, name in enumerate(STAGES)}).fillna("0")
    administration = lines["product_id"].astype(str) == "0"
    total_requested = (lines["quantity"] * lines["occurrences"].fillna(1) * lines["unit_price_requested"]).round(2)
    planilha_orcamentaria = pd.DataFrame(
        {
            "idPronac": owner["id_pronac"].to_numpy(),
            "PRONAC": lines["pronac"],
            "idPlanilhaAprovacao": lines["line_id"],
            "Item": _padded(rng, lines["item_name"], 0.05),
            "idPlanilhaItens": lines["item_id"],
            "Unidade": lines["unit"],
            "QtDias": _floats(lines["days"], blank=""),
            "QtItem": _floats(lines["quantity"], blank=""),
            "nrOcorrencia": _floats(lines["occurrences"], blank="1.0"),
            "VlUnitarioSolicitado": lines["unit_price_requested"],
            "VlTotalSolicitado": total_requested,
            "VlUnitarioAprovado": lines["unit_price_approved"],
            "VlTotalAprovado": lines["total_approved"],
            "UfItem": lines["uf"],
            "MunicipioItem": "",
            "Etapa": stage_code + " - " + lines["stage"],
            "idArea": owner["area_code"].to_numpy(),
            "Area": owner["area_name"].to_numpy(),
            "idSegmento": owner["segment_code"].to_numpy(),
            "Segmento": owner["segment_name"].to_numpy() + "  ",  # char columns come out padded
            "idProduto": lines["product_id"],
            "Produto": np.where(administration, "Administração do Projeto", ""),
            "DataProjeto": _timestamps(rng, owner["submitted_at"].reset_index(drop=True), milliseconds=True),
            "cdEtapa": stage_code,
            "cdCidade": _floats(pd.to_numeric(lines["city_code"].replace("", None)), blank=""),
        }
    )

    payer = by_pronac.loc[receipts["pronac"]]
    planilha_comprovacao = pd.DataFrame(
        {
            "IdPRONAC": payer["id_pronac"].to_numpy(),
            "PRONAC": receipts["pronac"],
            "DataProjeto": "",
            "idPlanilhaAprovacao": receipts["line_id"],
            "idPlanilhaItem": "",
            "Item": "",
            "idSegmento": payer["segment_code"].to_numpy(),
            "vlComprovacao": receipts["amount"],
            "idComprovantePagamento": receipts["receipt_id"],
            "nrCNPJCPF": receipts["supplier_id"],
            "nmFornecedor": _padded(rng, receipts["supplier_name"].fillna(""), 0.1),
            "UF": payer["uf"].map(IBGE).fillna("").to_numpy(),
            "cdProduto": "",
            "cdCidade": "",
            "cdEtapa": "",
            "proponenteCgcCpf": payer["proponent_id"].to_numpy(),
            "tpFormaDePagamento": receipts["payment_type"].map(PAYMENT_CODES),
        }
    )

    sponsor_segment = by_pronac.loc[funds["pronac"], "segment_code"].to_numpy()
    received = funds["received_at"].fillna("")
    arrived = pd.to_datetime(received.where(received != "", "2000-01-01")) + pd.to_timedelta(
        rng.integers(1, 10, len(funds)), unit="D"
    )
    planilha_captacao = pd.DataFrame(
        {
            "Idcaptacao": np.arange(500_001, 500_001 + len(funds)),
            "Pronac": funds["pronac"],
            "Segmento": sponsor_segment,
            "NumeroRecibo": np.arange(1, len(funds) + 1),
            "CgcCpfMecena": funds["sponsor_id"].fillna(""),
            "TipoApoio": "1",
            "MedidaProvisoria": "0",
            "DtChegadaRecibo": _timestamps(
                rng, arrived.dt.strftime("%Y-%m-%d").where(received != "", ""), milliseconds=True
            ),
            "DtRecibo": _timestamps(rng, received, milliseconds=False),
            "CaptacaoReal": funds["amount"],
            "CaptacaoUfir": "0.0",
            "logon": "2241",
            "isBemServico": "0",
        }
    )
    return {
        "planilha_projetos.csv": planilha_projetos,
        "planilha_orcamentaria.csv": planilha_orcamentaria,
        "planilha_comprovacao.csv": planilha_comprovacao,
        "planilha_captacao.csv": planilha_captacao,
    }
