"""Parsing of single CSV values: ids, numbers with `.` or `,` decimals, dates, payment types.

Each parser takes a stripped, non-empty string and returns the normalised value or raises
ValueError with a reason meant for the user. They run millions of times per import, so the
common spelling is tried first and anything unusual takes the slower path.
"""

from __future__ import annotations

import re
from datetime import date

# Numbers: "1234.56", "1234,56", "1.234,56", "1.234.567". Signs, exponents, spaces, "nan" and
# "inf" are refused on purpose: float() would accept them and silently import nonsense.
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_COMMA_DECIMAL = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_NEGATIVE = re.compile(r"-\s*\d[\d.,]*")


def _show(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


def parse_int(value: str) -> int:
    """A non-negative integer id or count ("0012" is 12)."""
    if value.isascii() and value.isdigit():
        return int(value)
    if value.endswith(".0") and value[:-2].isascii() and value[:-2].isdigit():
        return int(value[:-2])  # spreadsheets like to write ids as 123.0
    if _NEGATIVE.fullmatch(value):
        raise ValueError(f"must not be negative: {_show(value)}")
    raise ValueError(f"not a whole number: {_show(value)}")


def parse_number(value: str, *, comma_decimal: bool) -> float:
    """A non-negative decimal number.

    A comma always marks the decimals (Brazilian "1.234,56"). With `comma_decimal` (files
    separated by `;`, as Brazilian spreadsheets export them) a value like "1.234" is read as
    thousands; otherwise a single dot is the decimal point.
    """
    if "," in value:
        if _COMMA_DECIMAL.fullmatch(value):
            return float(value.replace(".", "").replace(",", "."))
    elif comma_decimal and _THOUSANDS.fullmatch(value):
        return float(value.replace(".", ""))
    elif _PLAIN.fullmatch(value):
        return float(value)
    if _NEGATIVE.fullmatch(value):
        raise ValueError(f"must not be negative: {_show(value)}")
    raise ValueError(f"not a number: {_show(value)}")


_DATE_CACHE: dict[str, str] = {}


def parse_date(value: str) -> str:
    """A date as ISO `YYYY-MM-DD`; accepts `YYYY-MM-DD` and `DD/MM/YYYY`, a time part is ignored.

    The time may carry milliseconds (SQL Server's `2011-05-09 15:19:34.337`); such values are
    nearly all distinct, so the cache is keyed by the date part.
    """
    head, rest = value[:10], value[10:]
    if rest and rest[0] not in " T":
        raise ValueError(f"not a date (YYYY-MM-DD or DD/MM/YYYY): {_show(value)}")
    cached = _DATE_CACHE.get(head)
    if cached is not None:
        return cached
    try:
        if len(head) == 10 and head[4] == "-" and head[7] == "-":
            y, m, d = int(head[:4]), int(head[5:7]), int(head[8:])
        elif len(head) == 10 and head[2] == "/" and head[5] == "/":
            d, m, y = int(head[:2]), int(head[3:5]), int(head[6:])
        else:
            raise ValueError
        parsed = date(y, m, d)
    except ValueError:
        raise ValueError(f"not a date (YYYY-MM-DD or DD/MM/YYYY): {_show(value)}") from None
    if not 1900 <= parsed.year <= 2100:
        raise ValueError(f"date out of range: {_show(value)}")
    iso = parsed.isoformat()
    if len(_DATE_CACHE) < 200_000:  # there are few distinct dates; cap it anyway
        _DATE_CACHE[head] = iso
    return iso


PAYMENT_TYPES: dict[str, str] = {
    "cheque": "cheque",
    "1": "cheque",
    "transfer": "transfer",
    "2": "transfer",
    "transferência": "transfer",
    "transferencia": "transfer",
    "transferência bancária": "transfer",
    "transferencia bancaria": "transfer",
    "cash": "cash",
    "3": "cash",
    "saque": "cash",
    "dinheiro": "cash",
    "saque/dinheiro": "cash",
    "espécie": "cash",
    "unknown": "unknown",
    "0": "unknown",
    "desconhecido": "unknown",
    # SALIC extracts written by pandas, where the column was float because of blanks
    "1.0": "cheque",
    "2.0": "transfer",
    "3.0": "cash",
    "0.0": "unknown",
}


def parse_payment_type(value: str) -> str:
    """`cheque`, `transfer`, `cash` or `unknown`; SALIC codes 1, 2, 3, 0 and pt-BR names accepted."""
    found = PAYMENT_TYPES.get(value) or PAYMENT_TYPES.get(value.lower())
    if found is None:
        raise ValueError(
            f"unknown payment type {_show(value)} (expected cheque, transfer, cash, unknown or 1, 2, 3, 0)"
        )
    return found


# IBGE's numeric state codes, as SALIC writes UF in some extracts (`35` for SP).
IBGE_UF = {
    "11": "RO", "12": "AC", "13": "AM", "14": "RR", "15": "PA", "16": "AP", "17": "TO",
    "21": "MA", "22": "PI", "23": "CE", "24": "RN", "25": "PB", "26": "PE", "27": "AL", "28": "SE", "29": "BA",
    "31": "MG", "32": "ES", "33": "RJ", "35": "SP",
    "41": "PR", "42": "SC", "43": "RS",
    "50": "MS", "51": "MT", "52": "GO", "53": "DF",
}  # fmt: skip


def parse_uf(value: str) -> str:
    """A two-letter state code (upper-cased); IBGE's numeric code (`35`, `35.0`) is translated."""
    if len(value) == 2 and value.isascii() and value.isalpha():
        return value.upper()
    found = IBGE_UF.get(value[:-2] if value.endswith(".0") else value)
    if found:
        return found
    raise ValueError(f"not a two-letter UF: {_show(value)}")


_DOCUMENT_PUNCTUATION = str.maketrans("", "", ".-/ ")


def parse_document(value: str) -> str:
    """A CPF/CNPJ or an opaque id: punctuation of a formatted CPF/CNPJ removed, anything else kept.

    Published extracts replace CPF/CNPJ with signed 64-bit hashes (`-8836266914637154893`); the
    sign is part of the key, so a value of digits with a leading minus is kept as it is.
    """
    if value.isalnum() or (value[0] == "-" and value[1:].isdigit()):
        if value.isascii():
            return value
    else:
        cleaned = value.translate(_DOCUMENT_PUNCTUATION)
        if cleaned.isascii() and cleaned.isalnum():
            return cleaned
    raise ValueError(f"not a CPF/CNPJ or code: {_show(value)}")


def parse_code(value: str) -> str:
    """A short code (PRONAC, area, segment, municipality): letters, digits, `-`, `.` and `/`."""
    if value.isascii() and value.replace("-", "").replace(".", "").replace("/", "").isalnum():
        return value
    raise ValueError(f"not a valid code: {_show(value)}")


def parse_salic_code(value: str) -> str:
    """A code of a SALIC extract: a number written as float by pandas (`3550308.0`) loses the `.0`."""
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]
    return parse_code(value)


_SPACES = re.compile(" {2,}")


def collapse_spaces(value: str) -> str:
    """SALIC's text columns are padded and double-spaced (`Livros ou  obras`): one space between words."""
    return _SPACES.sub(" ", value) if "  " in value else value
