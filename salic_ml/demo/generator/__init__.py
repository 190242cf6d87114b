"""Synthetic SALIC data with a realistic shape and planted anomalies (see build.py, plan.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.formatting import integer

from .build import build_fundraising, build_lines, build_projects, build_receipts, project_frame
from .plan import KINDS, minimum_projects, plan_anomalies
from .salic_format import salic_extracts
from .world import build_world

__all__ = ["KINDS", "GeneratedSet", "minimum_projects", "salic_generate"]


@dataclass(frozen=True)
class GeneratedSet:
    out: Path
    counts: dict[str, int]  # rows per written file

    def summary(self) -> str:
        parts = ", ".join(f"{name} {integer(rows)}" for name, rows in self.counts.items())
        return f"escritos em {self.out}: {parts}"


def salic_generate(*, projects: int, seed: int, out: Path, dialect: str = "standard") -> GeneratedSet:
    """Write projects.csv, budget_lines.csv, receipts.csv, fundraising.csv and planted.csv.

    The same (projects, seed) always gives byte-identical files. Money is in reais with two
    decimals; dates are ISO `YYYY-MM-DD` between 2015 and 2025. With `dialect="salic"` the same
    data is written as SALIC's own extracts (planilha_projetos.csv, …; see salic_format.py).
    """
    rng = np.random.default_rng(seed)
    world = build_world(rng)
    plan = plan_anomalies(rng, projects)
    built = build_projects(rng, world, projects, plan)
    project_rows = project_frame(rng, world, built)
    lines = build_lines(rng, world, built, plan)
    receipts = build_receipts(rng, built, lines, plan)
    fundraising = build_fundraising(rng, built, lines, receipts, plan)
    planted = pd.DataFrame(
        [(built.pronac[p], kind) for kind in KINDS for p in np.flatnonzero(plan.flags[kind])],
        columns=["pronac", "indicator"],
    ).sort_values(["pronac", "indicator"], kind="stable")

    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "projects.csv": project_rows,
        "budget_lines.csv": lines.frame,
        "receipts.csv": receipts.drop(columns=["_project"]),
        "fundraising.csv": fundraising,
    }
    if dialect == "salic":
        # A generator of its own, so the standard files stay byte-identical for a (projects, seed).
        tables = salic_extracts(tables, rng=np.random.default_rng([seed, 16]))
    elif dialect != "standard":
        raise ValueError(f"unknown dialect {dialect!r}")
    tables["planted.csv"] = planted
    for name, frame in tables.items():
        # Money is already rounded to cents, so repr prints it exactly; lineterminator fixed so the bytes do not depend on the OS.
        frame.to_csv(out / name, index=False, lineterminator="\n", chunksize=200_000)
    return GeneratedSet(out=out, counts={name: len(frame) for name, frame in tables.items()})
