from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from model_store.cli import training_run_queued, training_run_report
from salic_ml.modelling.training import salic_train_blocking, salic_train_queue


class Command(BaseCommand):
    help = "Treina e calcula as notas de salic_complexity: põe um treino na fila do worker, ou treina aqui e espera."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wait", action="store_true", help="treina neste processo e espera o resultado")
        parser.add_argument("--json", action="store_true", help="mostra o resultado em JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["wait"]:
            training_run_queued(stdout=self.stdout, run=salic_train_queue(trigger="cli"), as_json=opts["json"])
            return
        run = salic_train_blocking(trigger="cli")
        mv = run.version
        summary = {
            "run": run.pk,
            "status": run.status,
            "version": mv.version if mv else None,
            "model_status": mv.status if mv else None,
            "gate": {"passed": mv.gate_passed if mv else None, "reasons": mv.gate_reasons if mv else []},
            "metrics": mv.metrics if mv else {},
            "seconds": run.duration_seconds,
        }
        training_run_report(stdout=self.stdout, run=run, summary=summary, as_json=opts["json"])
