"""pt-BR text for numbers shown on the dashboards (1.234,56; R$; %)."""

from __future__ import annotations

import math
from typing import Any

from django.utils.formats import number_format

MISSING = "—"


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def num(value: Any, decimals: int = 2) -> str:
    """Grouped thousands, comma decimals; integers are shown without decimals."""
    if not is_number(value):
        return MISSING
    if float(value).is_integer() and decimals <= 2:
        return number_format(int(value), use_l10n=True, force_grouping=True)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def money(value: Any) -> str:
    if not is_number(value):
        return MISSING
    return f"R$ {number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)}"


def percent(value: Any) -> str:
    if not is_number(value):
        return MISSING
    return f"{number_format(100 * value, decimal_pos=1, use_l10n=True, force_grouping=True)}%"


def ratio(value: Any) -> str:
    if not is_number(value):
        return MISSING
    return f"{number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)}×"


def by_unit(value: Any, unit: str) -> str:
    """An indicator value in its own unit (see Indicator.unit)."""
    if unit == "R$":
        return money(value)
    if unit == "proporção":
        return percent(value)
    if unit == "pontuação":
        return num(value, 3)
    if unit == "complexidade média":
        return num(value, 1) if is_number(value) else MISSING
    return num(value)


def expected_range(low: Any, high: Any, unit: str) -> str:
    if is_number(low) and is_number(high):
        if low == high:
            return by_unit(low, unit)
        return f"{by_unit(low, unit)} a {by_unit(high, unit)}"
    if is_number(high):
        return f"até {by_unit(high, unit)}"
    if is_number(low):
        return f"a partir de {by_unit(low, unit)}"
    return MISSING
