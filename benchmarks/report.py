"""Rows of the benchmark table, their verdicts, and the two renderings (terminal and BENCHMARKS.md)."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Row:
    """One measured quantity next to its target and the reference measured in the same run."""

    what: str
    measured: float | None
    unit: str
    target: float | None = None
    direction: str = "le"  # "le": lower is better (≤ target); "ge": higher is better (≥ target)
    reference: float | None = None
    reference_what: str = ""
    section: str = "design"  # design rows are DESIGN §6; others are supporting figures
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.measured is None or not self.reference:
            return None
        return self.measured / self.reference

    @property
    def verdict(self) -> str:
        if self.measured is None:
            return "crashed"
        if self.target is None:
            return "—"
        ok = self.measured <= self.target if self.direction == "le" else self.measured >= self.target
        return "pass" if ok else "MISS"


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def target_text(row: Row) -> str:
    if row.target is None:
        return "—"
    sign = "≤" if row.direction == "le" else "≥"
    return f"{sign} {fmt(row.target, row.unit)}"


def table_cells(row: Row) -> list[str]:
    reference = fmt(row.reference, row.unit) if row.reference is not None else "—"
    if row.reference is not None and row.reference_what:
        reference = f"{reference} ({row.reference_what})"
    ratio = f"{row.ratio:.2f}" if row.ratio is not None else "—"
    return [row.what, fmt(row.measured, row.unit), target_text(row), reference, ratio, row.verdict]


HEADER = ["what", "measured", "target", "reference (same run)", "ratio", "verdict"]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |" for cells in rows]
    return "\n".join(lines)


def terminal_table(rows: list[Row]) -> str:
    cells = [HEADER] + [table_cells(r) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADER))]
    out = []
    for n, line in enumerate(cells):
        out.append("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def machine_description() -> str:
    cpu, memory = "unknown CPU", ""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), cpu)
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
