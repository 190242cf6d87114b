"""Every module in this package defines and registers one indicator (see base.py)."""

from __future__ import annotations

import importlib
import pkgutil

from .base import REGISTRY, Indicator, Result, indicator

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["REGISTRY", "Indicator", "Result", "indicator"]
