"""Import problems: row errors (file, line, column, reason) and the exception that aborts an import."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem in one input row. `line` is the physical line number in the file (header = 1)."""

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class SalicImportError(Exception):
    """The import was refused and nothing was written. `errors` holds the first ones, `count` all."""

    def __init__(self, errors: list[RowError], count: int | None = None) -> None:
        self.errors = errors
        self.count = len(errors) if count is None else count
        super().__init__(self.summary())

    def summary(self) -> str:
        lines = [str(e) for e in self.errors]
        if self.count > len(self.errors):
            lines.append(f"… and {self.count - len(self.errors)} more error(s)")
        lines.append(f"{self.count} error(s); nothing was imported.")
        return "\n".join(lines)


class ErrorLog:
    """Counts every error but keeps only the first `keep` of them (a 2M-row file may be all wrong)."""

    def __init__(self, keep: int = 50) -> None:
        self.keep = keep
        self.errors: list[RowError] = []
        self.count = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if len(self.errors) < self.keep:
            self.errors.append(error)

    def __bool__(self) -> bool:
        return self.count > 0
