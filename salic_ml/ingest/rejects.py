"""The rejects file of `--skip-invalid`: every refused row with its file, line and reasons."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO


class RejectsWriter:
    """Writes rejected rows as CSV: file, line, reason, then the union of the input headers.

    The file is created at the first rejected row, so a clean import leaves nothing behind.
    """

    def __init__(self, path: Path, headers: dict[str, list[str]]) -> None:
        self.path = path
        self.headers = headers  # file name → its header labels
        columns: list[str] = []
        for labels in headers.values():
            columns += [label for label in labels if label not in columns]
        self.columns = ["file", "line", "reason", *columns, "extra_fields"]
        self.count = 0
        self._fh: TextIO | None = None
        self._writer = None

    def add(self, file: str, line: int, raw: list[str], reason: str) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._fh)
            self._writer.writerow(self.columns)
        labels = self.headers[file]
        raw = [v.replace("\x00", "\\0") for v in raw]  # keep the rejects file readable as text
        by_label = dict(zip(labels, raw, strict=False))
        extra = raw[len(labels) :]
        row = [file, line, reason, *(by_label.get(c, "") for c in self.columns[3:-1]), "|".join(extra)]
        self._writer.writerow(row)
        self.count += 1

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
