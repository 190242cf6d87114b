"""Per-process cache of production models.

A process asks the database which version is in production at most once every
MODEL_STORE_CHECK_SECONDS (one indexed query), and at once when a production change was announced
(model_store/events.py: a stamp file on this host, Redis pub/sub across hosts); it reloads only when
the version changed, so a promotion or rollback made by any other process is picked up without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError

from . import signing
from .events import production_generation
from .models import ModelVersion

logger = logging.getLogger(__name__)


class LibraryMismatchWarning(UserWarning):
    """The artifact was trained under other library versions than this process runs."""


@dataclass(frozen=True)
class LoadedModel:
    name: str
    version: int
    version_id: int
    obj: Any
    loaded_at: float


class _Entry:
    __slots__ = ("model", "checked_at", "generation", "error", "failed_version_id")

    def __init__(self) -> None:
        self.model: LoadedModel | None = None
        self.checked_at = 0.0
        self.generation: tuple[int, int] | None = None
        self.error: Exception | None = None
        self.failed_version_id: int | None = None

    def stale(self, now: float, generation: tuple[int, int]) -> bool:
        """A production change was announced since the last check, or the check interval passed."""
        return self.generation != generation or now - self.checked_at >= settings.MODEL_STORE_CHECK_SECONDS


_entries: dict[str, _Entry] = {}
_lock = threading.Lock()


def load_version(mv: ModelVersion) -> LoadedModel:
    """Verify and unpickle one version; raises ArtifactIntegrityError on any mismatch."""
    obj = signing.deserialize_verified(
        name=mv.name,
        version=mv.version,
        data=mv.artifact_bytes(),
        sha256=mv.sha256,
        signature=mv.signature,
    )
    mismatches = mv.library_mismatches()
    if mismatches:
        text = ", ".join(f"{lib} {then}→{now or '?'}" for lib, (then, now) in sorted(mismatches.items()))
        warnings.warn(f"{mv} trained with other library versions: {text}", LibraryMismatchWarning, stacklevel=2)
    return LoadedModel(mv.name, mv.version, mv.pk, obj, time.monotonic())


def get_production_model(name: str) -> LoadedModel | None:
    """The cached production model of `name`, or None when nothing is in production.

    Raises ArtifactIntegrityError while the production artifact fails verification; the failure is
    remembered like a success, so a bad artifact costs one check per interval, not one per request.
    """
    now = time.monotonic()
    generation = production_generation()
    entry = _entries.get(name)
    if entry is None or entry.stale(now, generation):
        with _lock:
            entry = _entries.setdefault(name, _Entry())
            if entry.stale(now, generation):  # another thread may have refreshed it meanwhile
                entry.generation = generation
                _refresh(name, entry)
    if entry.error is not None:
        raise entry.error
    return entry.model


def _refresh(name: str, entry: _Entry) -> None:
    try:
        current = ModelVersion.objects.production().for_name(name).values_list("pk", flat=True).first()
    except DatabaseError:
        if entry.model is None:
            raise
        # The database is unreachable: keep answering with the model already in memory and ask
        # again after the usual interval.
        logger.warning("cannot check the production version of %s; serving v%s", name, entry.model.version)
        entry.checked_at = time.monotonic()
        return
    if current is None:
        entry.model, entry.error, entry.failed_version_id = None, None, None
    elif (entry.model is None or entry.model.version_id != current) and entry.failed_version_id != current:
        mv = ModelVersion.objects.get(pk=current)
        started = time.perf_counter()
        try:
            entry.model, entry.error, entry.failed_version_id = load_version(mv), None, None
        except signing.ArtifactIntegrityError as exc:
            logger.error("refusing to serve %s: %s", mv, exc)
            entry.model, entry.error, entry.failed_version_id = None, exc, current
        else:
            logger.info("loaded %s in %.0f ms", mv, (time.perf_counter() - started) * 1000)
    entry.checked_at = time.monotonic()


def models_health() -> dict[str, Any]:
    """Per model name: the version in production (one query), the version this process has loaded
    (None: not loaded here yet) and whether serving it failed verification.

    Asking must not load anything: a web process never needs the salic artifact (the API reads
    stored scores), and /healthz should not pull megabytes into memory to answer.
    """
    names = list(settings.MODEL_STORE_NAMES)
    production = dict(ModelVersion.objects.production().filter(name__in=names).values_list("name", "version"))
    versions: dict[str, dict[str, Any]] = {}
    for name in names:
        entry = _entries.get(name)
        failed = entry is not None and entry.error is not None
        versions[name] = {
            "production": production.get(name),
            "loaded": entry.model.version if entry and entry.model else None,
            "ok": not failed,
        }
        if failed:
            versions[name]["detail"] = "o artefato em produção não passou na verificação de integridade"
    return {"ok": all(v["ok"] for v in versions.values()), "versions": versions}


def clear_cache() -> None:
    with _lock:
        _entries.clear()
