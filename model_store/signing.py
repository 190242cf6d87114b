"""Artifact serialisation and integrity: joblib + zlib, sha256, HMAC-SHA256.

Bytes are only handed to joblib (pickle) after both the digest and the signature verify,
because unpickling untrusted bytes runs code.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import platform
from importlib import metadata
from typing import Any

import joblib
from django.conf import settings

TRACKED_LIBRARIES = ("scikit-learn", "spacy", "numpy", "scipy", "pandas", "joblib")


class ArtifactIntegrityError(Exception):
    """The stored bytes or their signature do not match: the artifact is refused."""


def signing_key() -> bytes:
    key = getattr(settings, "MODEL_STORE_SIGNING_KEY", "") or ""
    if key:
        return key.encode()
    # Derive a dedicated key so the raw SECRET_KEY is never used for two purposes.
    return hmac.new(settings.SECRET_KEY.encode(), b"model_store.artifact-signing.v1", hashlib.sha256).digest()


def current_library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for lib in TRACKED_LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            continue
    return versions


def serialize(obj: Any) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(obj, buffer, compress=("zlib", 3))
    return buffer.getvalue()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sign(*, name: str, version: int, sha256: str) -> str:
    message = f"{name}\x00{version}\x00{sha256}".encode()
    return hmac.new(signing_key(), message, hashlib.sha256).hexdigest()


def verify(*, name: str, version: int, data: bytes | None, sha256: str, signature: str) -> None:
    if data is None:
        raise ArtifactIntegrityError(f"{name} v{version}: artifact was pruned; only metadata remains")
    actual = digest(data)
    if not hmac.compare_digest(actual, sha256):
        raise ArtifactIntegrityError(f"{name} v{version}: artifact bytes do not match their sha256 (tampered?)")
    expected = sign(name=name, version=version, sha256=sha256)
    if not hmac.compare_digest(expected, signature):
        raise ArtifactIntegrityError(f"{name} v{version}: signature does not verify (tampered or wrong key)")


def deserialize_verified(*, name: str, version: int, data: bytes | None, sha256: str, signature: str) -> Any:
    verify(name=name, version=version, data=data, sha256=sha256, signature=signature)
    return joblib.load(io.BytesIO(bytes(data)))
