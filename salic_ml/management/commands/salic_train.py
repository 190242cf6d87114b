from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from salic_ml.training import salic_train_blocking, salic_train_queue


class Command(BaseCommand):
    help = "Train and score salic_complexity: queue a run for the worker, or run it here and wait."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wait", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["wait"]:
            run = salic_train_queue(trigger="cli")
            self.stdout.write(
                json.dumps({"run": run.pk, "status": run.status}) if opts["json"] else f"run #{run.pk} queued"
            )
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
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"run #{run.pk}: {run.status}; v{summary['version']} {summary['model_status']} "
                f"in {summary['seconds']} s"
            )
            for reason in summary["gate"]["reasons"]:
                self.stdout.write(f"  - {reason}")
        if run.status == "failed":
            raise CommandError(run.error.splitlines()[0] if run.error else "training failed")
