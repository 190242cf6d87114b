from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.formatting import num
from salic_ml.modelling.incremental import salic_rescore_blocking
from salic_ml.models import ImportRun


class Command(BaseCommand):
    help = "Recalcula agora as notas dos projetos que uma importação alterou (padrão: a última importação)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--import-run", type=int, default=None, help="número da importação (padrão: a última)")

    def handle(self, *args: Any, **opts: Any) -> None:
        run_id = opts["import_run"] or ImportRun.objects.order_by("-pk").values_list("pk", flat=True).first()
        if run_id is None:
            raise CommandError("nenhuma importação para recalcular")
        run = salic_rescore_blocking(import_run_id=run_id, trigger="cli")
        version = run.version
        self.stdout.write(
            f"treino #{run.pk}: {run.get_status_display()}; v{version.version if version else '-'} "
            f"{version.get_status_display() if version else ''} em {num(run.duration_seconds, 1)} s"
        )
        if run.status == "failed":
            raise CommandError(run.error.splitlines()[0])
