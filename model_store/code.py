"""The code version of a model: a digest of the source files that shape it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def source_digest(paths: Iterable[Path]) -> str:
    """16 hex characters of sha256 over the files' names and bytes (order-independent).

    Changing any of them means a different model, so an otherwise identical training is not skipped.
    """
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.as_posix()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
