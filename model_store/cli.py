"""What the training commands of every app print: one place for the text and the JSON forms."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, OutputWrapper

from .models import TrainingRun


def training_run_report(*, stdout: OutputWrapper, run: TrainingRun, summary: dict[str, Any], as_json: bool) -> None:
    """Print `summary` as JSON, or one line plus the gate's reasons; a failed run ends the command
    with its first error line (exit code 1)."""
    if as_json:
        stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        mv = run.version
        gate = "—" if mv is None else ("passed" if mv.gate_passed else "blocked")
        version = f"v{mv.version} {mv.status}" if mv else "no version"
        stdout.write(f"run #{run.pk}: {run.status}; {version}; gate {gate}; {run.duration_seconds} s")
        for reason in mv.gate_reasons if mv else []:
            stdout.write(f"  - {reason}")
    if run.status == TrainingRun.Status.FAILED:
        raise CommandError(run.error.splitlines()[0] if run.error else "training failed")


def training_run_queued(*, stdout: OutputWrapper, run: TrainingRun, as_json: bool) -> None:
    payload = {"run": run.pk, "status": run.status}
    stdout.write(json.dumps(payload) if as_json else f"run #{run.pk} queued for the worker")
