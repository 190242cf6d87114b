from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from salic_ml.modelling.incremental import salic_rescore_blocking
from salic_ml.models import ImportRun


class Command(BaseCommand):
    help = "Incrementally rescore the projects an import touched (default: the latest import), here and now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--import-run", type=int, default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        run_id = opts["import_run"] or ImportRun.objects.order_by("-pk").values_list("pk", flat=True).first()
        if run_id is None:
            raise CommandError("no import to rescore")
        run = salic_rescore_blocking(import_run_id=run_id, trigger="cli")
        version = run.version
        self.stdout.write(
            f"run #{run.pk}: {run.status}; v{version.version if version else '-'} "
            f"{version.status if version else ''} in {run.duration_seconds} s"
        )
        if run.status == "failed":
            raise CommandError(run.error.splitlines()[0])
