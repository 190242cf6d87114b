"""Celery tasks for salic_complexity: full training fanned out per area, and incremental rescoring."""

from __future__ import annotations

from celery import chord, shared_task

from model_store.models import TrainingRun
from model_store.runs import (
    RunContext,
    training_run_fail,
    training_run_finish,
    training_run_or_requeue,
)

from .modelling import fanout
from .modelling.incremental import salic_rescore
from .names import RESCORE_TASK, TRAIN_TASK


@shared_task(bind=True, name=TRAIN_TASK, acks_late=True, soft_time_limit=1800, time_limit=1900)
def train_salic_model(self, run_id: int) -> str:
    """Claim the run and fan the per-area fitting out as a chord; the callback finishes the run."""

    def dispatch(ctx: RunContext):
        areas = fanout.area_ids()
        if not areas:
            raise ValueError("Não há projetos importados; rode salic_import primeiro.")
        ctx.progress(10, f"ajustando {len(areas)} área(s) em paralelo")
        header = [fit_salic_area.s(run_id, area) for area in areas]
        chord(header)(assemble_salic_model.s(run_id).on_error(fail_salic_run.si(run_id)))
        return None  # the run stays "running"; assemble_salic_model ends it

    return training_run_or_requeue(self, run_id, dispatch)


@shared_task(name="salic_ml.tasks.fit_salic_area", acks_late=True, soft_time_limit=900, time_limit=960)
def fit_salic_area(run_id: int, area_id: int) -> dict:
    return fanout.fit_area_part(run_id=run_id, area_id=area_id)


@shared_task(name="salic_ml.tasks.assemble_salic_model", acks_late=True, soft_time_limit=1800, time_limit=1900)
def assemble_salic_model(parts: list[dict], run_id: int) -> str:
    run = TrainingRun.objects.get(pk=run_id)
    if run.status != TrainingRun.Status.RUNNING:
        return "run is no longer running"
    try:
        outcome = fanout.assemble(RunContext(run), run_id=run_id, parts=parts)
    except Exception as exc:
        training_run_fail(run_id, exc)
        return "failed"
    training_run_finish(run_id, outcome)
    return outcome.status


@shared_task(name="salic_ml.tasks.fail_salic_run", acks_late=False)
def fail_salic_run(run_id: int) -> None:
    run = TrainingRun.objects.filter(pk=run_id, status=TrainingRun.Status.RUNNING).first()
    if run:
        training_run_fail(run_id, RuntimeError("uma das tarefas por área falhou; veja o log do worker"))


@shared_task(bind=True, name=RESCORE_TASK, acks_late=True, soft_time_limit=900, time_limit=960)
def rescore_salic_model(self, run_id: int, import_run_id: int) -> str:
    trainer = lambda ctx: salic_rescore(ctx, import_run_id=import_run_id)  # noqa: E731
    return training_run_or_requeue(self, run_id, trainer, args=(import_run_id,))
