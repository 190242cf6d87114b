from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faq_bot.training import faq_retrain_now, faq_train_blocking


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
    help = "Train the FAQ intent classifier: queue a run for the worker, or run it here and wait."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wait", action="store_true", help="train in this process and wait for the result")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["wait"]:
            run = faq_retrain_now(trigger="cli")
            payload = {"run": run.pk, "status": run.status}
            self.stdout.write(json.dumps(payload) if opts["json"] else f"run #{run.pk} queued for the worker")
            return
        run = faq_train_blocking(trigger="cli")
        summary = run_summary(run)
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            gate = "passed" if summary["gate"]["passed"] else "blocked"
            self.stdout.write(
                f"run #{run.pk}: {run.status}; version v{summary['version']} gate {gate}; "
                f"macro-F1 {summary['metrics']['macro_f1']}"
            )
            for reason in summary["gate"]["reasons"]:
                self.stdout.write(f"  - {reason}")
        if run.status == "failed":
            raise CommandError(run.error.splitlines()[0] if run.error else "training failed")
