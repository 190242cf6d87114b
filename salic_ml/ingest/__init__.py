"""Validated CSV import of SALIC data (our column names or SALIC's own); see service.py."""

from .errors import RowError, SalicImportError
from .service import ImportResult, salic_import_run

__all__ = ["ImportResult", "RowError", "SalicImportError", "salic_import_run"]
