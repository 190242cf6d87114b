"""pt-BR text for numbers shown on the dashboards, by indicator unit (the numbers themselves are
written by core.formatting, the project's one place for pt-BR numbers)."""

from __future__ import annotations

from typing import Any

from core.formatting import MISSING, count_range, is_number, money, num, percent, ratio

__all__ = ["MISSING", "by_unit", "expected_range", "is_number", "money", "num", "percent", "ratio"]

# Units that count things: their expected ranges are whole numbers.
COUNT_UNITS = frozenset({"itens", "linhas", "comprovantes"})


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
    if unit in COUNT_UNITS:
        low, high = count_range(low, high)
    if is_number(low) and is_number(high):
        if low == high:
            return by_unit(low, unit)
        return f"{by_unit(low, unit)} a {by_unit(high, unit)}"
    if is_number(high):
        return f"até {by_unit(high, unit)}"
    if is_number(low):
        return f"a partir de {by_unit(low, unit)}"
    return MISSING
