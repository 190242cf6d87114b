"""The canonical form of an import, its fingerprint, and the DatasetSnapshot that stores it.

Canonical = for each file kind in a fixed order, a section header with our column names, then
the normalised rows as CSV lines sorted as strings. Row order and source spelling (dialect,
encoding, delimiter, decimal comma, date format) do not change the fingerprint; the data does.
"""

from __future__ import annotations

from model_store.models import DatasetSnapshot
from model_store.services import dataset_snapshot_from_bytes

from .columns import SPECS

FORMAT = "salic-import-csv/1"
_SLICE = 100_000


class CanonicalPayload:
    """The canonical bytes, built table by table; `sections` locate each table's rows in it."""

    def __init__(self) -> None:
        self.buffer = bytearray(f"{FORMAT}\n".encode())
        self.sections: dict[str, tuple[int, int]] = {}

    def add(self, kind: str, names: tuple[str, ...], lines: list[str]) -> None:
        """Append a table; `lines` is sorted and emptied as it is copied, to keep memory flat."""
        self.buffer += f"## {kind}\n{','.join(names)}\n".encode()
        start = len(self.buffer)
        lines.sort()
        while lines:
            self.buffer += "".join(lines[:_SLICE]).encode()
            del lines[:_SLICE]
        self.sections[kind] = (start, len(self.buffer))

    def rows(self, kind: str) -> memoryview:
        start, end = self.sections[kind]
        return memoryview(self.buffer)[start:end]


def build_payload(tables: dict[str, list[str]]) -> CanonicalPayload:
    payload = CanonicalPayload()
    for spec in SPECS:
        if spec.kind in tables:
            payload.add(spec.kind, spec.names, tables[spec.kind])
    return payload


def snapshot_store(
    *, payload: CanonicalPayload, row_counts: dict[str, int], source: str, extra: dict
) -> DatasetSnapshot:
    """Store (or find) the snapshot of this payload; identical data gives the same snapshot row."""
    return dataset_snapshot_from_bytes(
        kind=DatasetSnapshot.Kind.SALIC,
        # A bytes-like bytearray: copying hundreds of MB into a bytes object would only cost memory.
        payload=payload.buffer,
        row_counts=row_counts,
        source=source,
        extra={"format": FORMAT, **extra},
    )
