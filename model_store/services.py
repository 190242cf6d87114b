"""Writes on the registry: snapshots, registration, gate, promotion, rollback, verify, prune."""

from __future__ import annotations

import functools
import hashlib
import json
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.roles import can_operate_models

from . import signing
from .events import announce_production_change
from .models import DatasetSnapshot, ModelArtifact, ModelName, ModelVersion, Promotion


class RegistryError(Exception):
    """A registry operation that cannot be done as asked (message is shown to the user)."""


@dataclass(frozen=True)
class GateResult:
    passed: bool
    reasons: list[str] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def dataset_snapshot_create(
    *, kind: str, rows: Any, row_counts: dict[str, int], source: str, extra: dict | None = None
) -> DatasetSnapshot:
    """Store the canonical rows once per fingerprint and return the (possibly existing) snapshot."""
    payload = canonical_json(rows)
    return dataset_snapshot_from_bytes(kind=kind, payload=payload, row_counts=row_counts, source=source, extra=extra)


def dataset_snapshot_from_bytes(
    *, kind: str, payload: bytes, row_counts: dict[str, int], source: str, extra: dict | None = None
) -> DatasetSnapshot:
    """Store `payload` compressed, once per fingerprint. Large payloads use fast compression:
    zlib level 6 costs ~8 s more on a 300 MB import snapshot for a ~10% smaller blob."""
    fingerprint = hashlib.sha256(payload).hexdigest()
    existing = DatasetSnapshot.objects.filter(kind=kind, fingerprint=fingerprint).first()
    if existing:
        return existing
    compressed = zlib.compress(payload, 1 if len(payload) > 64 * 1024 * 1024 else 6)
    try:
        with transaction.atomic():
            return DatasetSnapshot.objects.create(
                kind=kind,
                fingerprint=fingerprint,
                row_counts=row_counts,
                source=source,
                data=compressed,
                data_size=len(payload),
                extra=extra or {},
            )
    except IntegrityError:  # another process stored the same data a moment ago
        return DatasetSnapshot.objects.get(kind=kind, fingerprint=fingerprint)


def dataset_snapshot_reference(
    *, kind: str, fingerprint: str, row_counts: dict[str, int], source: str, extra: dict | None = None
) -> DatasetSnapshot:
    """A snapshot whose rows are stored elsewhere (e.g. in the import snapshots listed in `extra`)."""
    snapshot, _ = DatasetSnapshot.objects.get_or_create(
        kind=kind,
        fingerprint=fingerprint,
        defaults={"row_counts": row_counts, "source": source, "extra": extra or {}, "data": None},
    )
    return snapshot


def training_key(*, name: str, dataset_fingerprint: str, params: dict, code_version: str) -> str:
    """Identity of a training: same key means the same model would come out."""
    libraries = signing.current_library_versions()
    material = canonical_json(
        {"name": name, "data": dataset_fingerprint, "params": params, "code": code_version, "libs": libraries}
    )
    return hashlib.sha256(material).hexdigest()


def model_version_find_identical(*, name: str, key: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(name=name, training_key=key).order_by("-version").first()


def _lock_name(name: str) -> ModelName:
    """Return the name's row, locked until the surrounding transaction ends."""
    ModelName.objects.get_or_create(name=name)
    return ModelName.objects.select_for_update().get(name=name)


@transaction.atomic
def model_version_register(
    *,
    name: str,
    obj: Any,
    params: dict,
    metrics: dict,
    report: dict,
    dataset: DatasetSnapshot | None,
    key: str,
    code_version: str = "",
    training_seconds: float = 0.0,
) -> ModelVersion:
    """Serialise, sign and store a new candidate with the next version number for `name`."""
    artifact = signing.serialize(obj)
    sha = signing.digest(artifact)
    # get_or_create survives a concurrent first insert; the UPDATE then holds the row lock, so two
    # registrations for one name are serialised and never share a number.
    ModelName.objects.get_or_create(name=name)
    ModelName.objects.filter(name=name).update(last_version=F("last_version") + 1)
    version = ModelName.objects.get(name=name).last_version
    mv = ModelVersion.objects.create(
        name=name,
        version=version,
        artifact_size=len(artifact),
        sha256=sha,
        signature=signing.sign(name=name, version=version, sha256=sha),
        library_versions=signing.current_library_versions(),
        code_version=code_version,
        training_key=key,
        params=params,
        metrics=metrics,
        report=report,
        dataset=dataset,
        training_seconds=training_seconds,
    )
    ModelArtifact.objects.create(version=mv, data=artifact)
    return mv


def production_version(name: str) -> ModelVersion | None:
    # The artifact (megabytes) is fetched only if someone reads it, e.g. load_version().
    return ModelVersion.objects.production().for_name(name).first()


@transaction.atomic
def model_version_apply_gate(
    *, version: ModelVersion, result: GateResult, compared_to: ModelVersion | None
) -> ModelVersion:
    """Record the gate's verdict; promote automatically when it passed, reject otherwise."""
    version.gate_passed = result.passed
    version.gate_reasons = list(result.reasons)
    version.compared_to = compared_to
    if result.report:
        version.report = {**version.report, "gate": result.report}
    version.save(update_fields=["gate_passed", "gate_reasons", "compared_to", "report"])
    if result.passed:
        return model_version_promote(version=version, actor=None, reason="gate passed")
    version.status = ModelVersion.Status.REJECTED
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def model_version_promote(
    *,
    version: ModelVersion,
    actor: Any | None,
    reason: str = "",
    force: bool = False,
    kind: str | None = None,
) -> ModelVersion:
    """Make `version` the production version of its name and log it.

    Without `force` the version's gate must have passed. Forcing needs a staff user and a reason.
    """
    _lock_name(version.name)
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    if not version.has_artifact():
        raise RegistryError(f"{version}: o artefato foi removido (prune); não pode voltar à produção.")
    if version.status == ModelVersion.Status.PRODUCTION:
        raise RegistryError(f"{version} já está em produção.")
    _refuse_unverified(version)
    if force:
        if not can_operate_models(actor):
            raise RegistryError("Somente a equipe (staff) pode forçar uma promoção.")
        if not reason.strip():
            raise RegistryError("Uma promoção forçada exige um motivo por escrito.")
    elif version.gate_passed is not True:
        raise RegistryError(f"{version} não passou no portão de qualidade; use a promoção forçada com um motivo.")

    current = ModelVersion.objects.select_for_update().filter(name=version.name, status="production").first()
    _switch_production(
        current=current,
        to=version,
        kind=kind or (Promotion.Kind.FORCE if force else Promotion.Kind.PROMOTE),
        actor=actor,
        actor_label=getattr(actor, "username", None) or "gate",
        reason=reason,
        forced=force,
    )
    return version


def model_version_integrity(version: ModelVersion) -> str:
    """ "ok", "pruned" (no bytes kept) or "tampered": the stored bytes against their sha256 and
    signature, checked without unpickling."""
    data = version.artifact_bytes()
    if data is None:
        return "pruned"
    try:
        signing.verify(
            name=version.name, version=version.version, data=data, sha256=version.sha256, signature=version.signature
        )
    except signing.ArtifactIntegrityError:
        return "tampered"
    return "ok"


def _refuse_unverified(version: ModelVersion) -> None:
    """Nothing goes to production unless its stored bytes match their sha256 and signature (checked
    without unpickling), so a tampered artifact can never become the one every process loads."""
    try:
        signing.verify(
            name=version.name,
            version=version.version,
            data=version.artifact_bytes(),
            sha256=version.sha256,
            signature=version.signature,
        )
    except signing.ArtifactIntegrityError:
        raise RegistryError(
            f"{version}: o artefato armazenado não confere com o hash e a assinatura registrados "
            "(adulterado ou corrompido); ele não pode ir para a produção."
        ) from None


def _switch_production(
    *,
    current: ModelVersion | None,
    to: ModelVersion,
    kind: str,
    actor: Any | None,
    actor_label: str,
    reason: str,
    forced: bool,
) -> None:
    """Archive the serving version, put `to` in production and log the promotion (caller holds the name lock)."""
    if current is not None:
        current.status = ModelVersion.Status.ARCHIVED
        current.save(update_fields=["status"])
    to.status = ModelVersion.Status.PRODUCTION
    to.promoted_at = timezone.now()
    to.save(update_fields=["status", "promoted_at"])
    transaction.on_commit(functools.partial(announce_production_change, to.name))
    Promotion.objects.create(
        name=to.name,
        kind=kind,
        from_version=current,
        to_version=to,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label,
        reason=reason,
        forced=forced,
    )


@transaction.atomic
def model_rollback(*, name: str, actor: Any | None, reason: str = "") -> ModelVersion:
    """Re-promote the version that served before the current production version."""
    _lock_name(name)
    current = production_version(name)
    if current is None:
        raise RegistryError(f"Nenhuma versão de {name} está em produção.")
    last = Promotion.objects.filter(name=name, to_version=current).order_by("-created_at", "-id").first()
    previous = last.from_version if last else None
    if previous is None:
        raise RegistryError(f"{current} é a primeira versão em produção; não há para onde reverter.")
    if not previous.has_artifact():
        raise RegistryError(f"{previous}: o artefato foi removido (prune); reversão impossível.")
    _refuse_unverified(previous)
    _switch_production(
        current=current,
        to=previous,
        kind=Promotion.Kind.ROLLBACK,
        actor=actor,
        actor_label=getattr(actor, "username", None) or "cli",
        reason=reason or "rollback",
        forced=False,
    )
    return previous


def production_at(*, name: str, when: datetime) -> ModelVersion | None:
    """Which version was serving `name` at `when`, answered from the promotion log."""
    promotion = (
        Promotion.objects.filter(name=name, created_at__lte=when)
        .select_related("to_version")
        .order_by("-created_at", "-id")
        .first()
    )
    return promotion.to_version if promotion else None


@dataclass(frozen=True)
class VerifyResult:
    name: str
    version: int
    ok: bool
    error: str = ""


def model_versions_verify() -> list[VerifyResult]:
    """Check digest and signature of every stored artifact without unpickling anything."""
    results = []
    for mv in ModelVersion.objects.with_artifact().order_by("name", "version").iterator(chunk_size=100):
        try:
            signing.verify(
                name=mv.name, version=mv.version, data=mv.artifact_bytes(), sha256=mv.sha256, signature=mv.signature
            )
            results.append(VerifyResult(mv.name, mv.version, True))
        except signing.ArtifactIntegrityError as exc:
            results.append(VerifyResult(mv.name, mv.version, False, str(exc)))
    return results


@transaction.atomic
def model_versions_prune(*, keep: int) -> list[ModelVersion]:
    """Drop artifact bytes of versions that are neither production nor among the last `keep` per name."""
    if keep < 0:
        raise RegistryError("keep must be zero or more")
    pruned = []
    for name in ModelVersion.objects.values_list("name", flat=True).distinct():
        recent = set(ModelVersion.objects.for_name(name).order_by("-version").values_list("pk", flat=True)[:keep])
        stale = ModelVersion.objects.for_name(name).with_artifact().exclude(pk__in=recent).exclude(status="production")
        for mv in stale:
            ModelArtifact.objects.filter(version=mv).delete()
            pruned.append(mv)
    return pruned
