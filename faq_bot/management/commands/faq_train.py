from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from faq_bot.training import faq_retrain_now, faq_train_blocking
from model_store.cli import training_run_queued, training_run_report


def run_summary(run) -> dict[str, Any]:
    """The JSON contract of `faq_train --json` (DESIGN §4)."""
    mv = run.version
    report = mv.report if mv else {}
    return {
        "version": mv.version if mv else None,
        "status": run.status,
        "gate": {"passed": mv.gate_passed if mv else None, "reasons": mv.gate_reasons if mv else []},
        "metrics": {key: report.get(key) for key in ("accuracy", "macro_f1", "weighted_f1")},
        "per_intent": report.get("per_intent", {}),
        "confusions": report.get("confusions", []),
    }


class Command(BaseCommand):
    help = "Treina o classificador de intenções: põe um treino na fila do worker, ou treina aqui e espera."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wait", action="store_true", help="treina neste processo e espera o resultado")
        parser.add_argument("--json", action="store_true", help="mostra o resultado em JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["wait"]:
            training_run_queued(stdout=self.stdout, run=faq_retrain_now(trigger="cli"), as_json=opts["json"])
            return
        run = faq_train_blocking(trigger="cli")
        training_run_report(stdout=self.stdout, run=run, summary=run_summary(run), as_json=opts["json"])
