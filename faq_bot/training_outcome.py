"""What happened to the editors' last change: the outcome of the latest FAQ trainings, in pt-BR.

A rejected candidate keeps blocking every later training until its cause is fixed (the gate compares
each candidate with production, and production does not have the bad content yet), so the intent
pages show the last finished training's verdict, its reasons and the intents they cite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from model_store.models import ModelVersion, TrainingRun

from .models import Intent
from .names import MODEL_NAME

# Gate reasons name intents as "intenção 'name'"; names are slugs (see intent_name_validator).
_CITED_INTENT = re.compile(r"intenç(?:ão|ões) '([^']+)'")


@dataclass(frozen=True)
class TrainingOutcome:
    """One training run as an editor should read it."""

    run_id: int
    state: str  # queued | running | promoted | rejected | unchanged | failed
    headline: str
    reasons: list[str] = field(default_factory=list)
    report_url: str = ""
    cited_intents: list[tuple[str, str]] = field(default_factory=list)  # (name, admin url)

    @property
    def finished(self) -> bool:
        return self.state not in ("queued", "running")

    @property
    def blocks(self) -> bool:
        return self.state == "rejected"


def _report_url(version: ModelVersion) -> str:
    return reverse("admin:model_store_modelversion_change", args=[version.pk])


def _cited_intents(reasons: list[str]) -> list[tuple[str, str]]:
    names: list[str] = []
    for reason in reasons:
        for name in _CITED_INTENT.findall(reason):
            if name not in names:
                names.append(name)
    found = dict(Intent.objects.filter(name__in=names).values_list("name", "pk"))
    return [(n, reverse("admin:faq_bot_intent_change", args=[found[n]])) for n in names if n in found]


def training_outcome(run: TrainingRun) -> TrainingOutcome:
    """The pt-BR verdict of one FAQ training run (its version's state, not only the run's)."""
    if run.status == TrainingRun.Status.QUEUED:
        return TrainingOutcome(run.pk, "queued", _("Treino #{run} na fila: começa em instantes.").format(run=run.pk))
    if run.status == TrainingRun.Status.RUNNING:
        step = f" ({run.message})" if run.message else ""
        return TrainingOutcome(
            run.pk,
            "running",
            _("Treino #{run} em andamento: {progress}%{step}.").format(run=run.pk, progress=run.progress, step=step),
        )
    if run.status == TrainingRun.Status.FAILED:
        first_line = (run.error or run.message or _("erro sem descrição")).strip().splitlines()[0][:300]
        return TrainingOutcome(
            run.pk, "failed", _("Treino #{run} falhou: {error}").format(run=run.pk, error=first_line)
        )
    version = run.version
    if version is None:
        return TrainingOutcome(run.pk, "unchanged", _("Treino #{run} concluído sem nova versão.").format(run=run.pk))
    url = _report_url(version)
    if version.status == ModelVersion.Status.REJECTED or version.gate_passed is False:
        reasons = [str(r) for r in version.gate_reasons or []]
        same = _(" (o conteúdo é idêntico ao dela)") if run.status == TrainingRun.Status.SKIPPED else ""
        return TrainingOutcome(
            run.pk,
            "rejected",
            _(
                "Treino #{run}: a versão v{version} foi rejeitada pelo portão{same}; a produção não mudou. "
                "Enquanto a causa não for corrigida, todo novo treino também será rejeitado."
            ).format(run=run.pk, version=version.version, same=same),
            reasons,
            url,
            _cited_intents(reasons),
        )
    if run.status == TrainingRun.Status.SKIPPED:
        return TrainingOutcome(
            run.pk,
            "unchanged",
            _("Treino #{run}: nada mudou desde a versão v{version}.").format(run=run.pk, version=version.version),
            report_url=url,
        )
    if version.status == ModelVersion.Status.PRODUCTION:
        return TrainingOutcome(
            run.pk, "promoted", _("Treino #{run}: a versão v{version} foi promovida e está em produção.").format(run=run.pk, version=version.version),
            report_url=url,
        )  # fmt: skip
    return TrainingOutcome(
        run.pk,
        "promoted",
        _("Treino #{run}: a versão v{version} passou no portão ({status}).").format(
            run=run.pk, version=version.version, status=version.get_status_display()
        ),
        report_url=url,
    )


def faq_training_outcomes() -> list[TrainingOutcome]:
    """The training in progress (if any), then the last finished one: what the intent pages show."""
    runs = TrainingRun.objects.filter(name=MODEL_NAME).select_related("version").order_by("-created_at", "-id")
    active = runs.filter(status__in=TrainingRun.ACTIVE).first()
    finished = runs.exclude(status__in=TrainingRun.ACTIVE).first()
    return [training_outcome(run) for run in (active, finished) if run is not None]


def faq_training_outcome_of(run_id: int) -> TrainingOutcome | None:
    run = TrainingRun.objects.filter(name=MODEL_NAME, pk=run_id).select_related("version").first()
    return training_outcome(run) if run else None
