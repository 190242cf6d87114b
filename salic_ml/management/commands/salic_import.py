"""`manage.py salic_import FILES_OR_DIR… [--dialect salic] [--append] [--skip-invalid] [--rejects PATH]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from salic_ml.ingest import SalicImportError, salic_import_run
from salic_ml.ingest.columns import DIALECTS


class Command(BaseCommand):
    help = (
        "Import SALIC CSV files (projects.csv, budget_lines.csv, receipts.csv, fundraising.csv; with --dialect "
        "salic also SALIC's planilha_projetos.csv, planilha_orcamentaria.csv, planilha_comprovacao.csv, "
        "planilha_captacao.csv; each may be .csv.gz; or a directory holding them). Every row is validated; by "
        "default any error aborts and nothing changes. For the projects a file holds, it replaces their rows of "
        "that kind (rows it lacks are removed) unless --append."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="CSV files and/or directories")
        parser.add_argument(
            "--dialect",
            choices=DIALECTS,
            default="standard",
            help="'salic': SALIC's own extracts as exported (their names and quirks; unused columns are listed)",
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid rows; write the others to a rejects CSV"
        )
        parser.add_argument("--rejects", type=Path, default=None, help="rejects CSV (default: next to the first input)")
        parser.add_argument(
            "--append",
            action="store_true",
            help="partial files: add and update rows, never remove the ones a file lacks",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")
        parser.add_argument(
            "--no-rescore", action="store_true", help="do not queue the incremental rescore of the touched projects"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = salic_import_run(
                paths=opts["paths"],
                dialect=opts["dialect"],
                skip_invalid=opts["skip_invalid"],
                rejects_path=opts["rejects"],
                progress=not opts["quiet"] and sys.stderr.isatty(),
                rescore=not opts["no_rescore"],
                append=opts["append"],
            )
        except SalicImportError as exc:
            raise CommandError(exc.summary()) from None
        self.stdout.write(result.summary())
        if result.rescore is not None:
            self.stdout.write(f"incremental rescore queued: training run #{result.rescore.pk}")
