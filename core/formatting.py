"""pt-BR numbers for people, in one place: 1.234,56 · R$ 1.234,56 · 6,9% · 0,96.

Plain Python (no settings, no locale module) so the ML code's sentences, the gate reasons, the
admin and the dashboards all write the same number the same way. Values are rounded half-up on
their decimal text, never truncated: 2/29 is 6,9%, and R$ 12.877.597,455 is R$ 12.877.597,46.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MISSING = "—"


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and math.isfinite(value)


def _rounded(value: Any, places: int) -> Decimal:
    # str() first: the shortest text that round-trips, so 0.125 rounds to 0,13 as a person expects.
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimal(value: Any, places: int = 2) -> str:
    """Grouped thousands and a decimal comma, rounded to `places` (0 → an integer)."""
    if not is_number(value):
        return MISSING
    text = f"{_rounded(value, places):,.{places}f}"
    if text in ("-0", "-0." + "0" * places):
        text = text[1:]
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def num(value: Any, places: int = 2) -> str:
    """Like `decimal`, but whole numbers are shown without decimals (3, not 3,00)."""
    if not is_number(value):
        return MISSING
    if float(value).is_integer() and places <= 2:
        return decimal(value, 0)
    return decimal(value, places)


def integer(value: Any) -> str:
    return decimal(value, 0)


def money(value: Any) -> str:
    return MISSING if not is_number(value) else f"R$ {decimal(value, 2)}"


def percent(share: Any, places: int = 1) -> str:
    """A share (0–1) as a percentage: 0.0689… → 6,9%."""
    return MISSING if not is_number(share) else f"{decimal(100 * Decimal(str(share)), places)}%"


def ratio(value: Any) -> str:
    return MISSING if not is_number(value) else f"{decimal(value, 2)}×"


def count_range(low: Any, high: Any) -> tuple[int | None, int | None]:
    """The whole counts inside [low, high] (5,09 a 408,93 itens → 6 a 408); None where unbounded."""
    lo = math.ceil(low - 1e-9) if is_number(low) else None
    hi = math.floor(high + 1e-9) if is_number(high) else None
    if lo is not None and hi is not None and lo > hi:  # no whole count inside: show the nearest one
        lo = hi = round((low + high) / 2)
    return lo, hi


def cpf_cnpj(document: Any) -> str:
    """A CPF (11 digits) or CNPJ (14 digits) as people write it: 123.456.789-01, 12.345.678/0001-90.
    Anything else (masked, foreign, empty) is returned unchanged."""
    text = "" if document is None else str(document)
    if text.isdigit() and len(text) == 11:
        return f"{text[:3]}.{text[3:6]}.{text[6:9]}-{text[9:]}"
    if text.isdigit() and len(text) == 14:
        return f"{text[:2]}.{text[2:5]}.{text[5:8]}/{text[8:12]}-{text[12:]}"
    return text
