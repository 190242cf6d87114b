"""What the training commands of every app print: one place for the text and the JSON forms."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, OutputWrapper

from core.formatting import num

from .models import TrainingRun


def training_run_report(*, stdout: OutputWrapper, run: TrainingRun, summary: dict[str, Any], as_json: bool) -> None:
    """Print `summary` as JSON, or one line plus the gate's reasons; a failed run ends the command
    with its first error line (exit code 1)."""
    if as_json:
        stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        mv = run.version
        gate = "—" if mv is None else ("passou" if mv.gate_passed else "reprovada")
        version = f"v{mv.version} {mv.get_status_display()}" if mv else "nenhuma versão"
        stdout.write(
            f"treino #{run.pk}: {run.get_status_display()}; {version}; portão: {gate}; {num(run.duration_seconds, 1)} s"
        )
        for reason in mv.gate_reasons if mv else []:
            stdout.write(f"  - {reason}")
    if run.status == TrainingRun.Status.FAILED:
        raise CommandError(run.error.splitlines()[0] if run.error else "o treino falhou")


def training_run_queued(*, stdout: OutputWrapper, run: TrainingRun, as_json: bool) -> None:
    payload = {"run": run.pk, "status": run.status}
    stdout.write(json.dumps(payload) if as_json else f"treino #{run.pk} na fila do worker")
