"""Which projects carry which planted anomaly.

Each of the eleven single-indicator kinds goes to its own ~1% of projects (disjoint sets), so
each indicator can be checked on its own. Two kinds are compound by nature:

- `anomaly_score`: a project extreme on many dimensions at once (far more lines, far higher
  total, outlier prices, rare items, all-new suppliers, many receipts, one over-paid line).
- `proponent_history`: a project whose proponent's *other* projects are all very complex —
  a dedicated proponent gets the target (itself clean) plus three projects that each carry the
  three shared-receipt kinds, receipts over approved, funds to verify, outlier prices and a high
  total (complexity ≈ 7 of 10 by DESIGN §5's weights, so the others' mean is ≥ 6).

Projects of compound groups are also listed under each component kind they carry, so
planted.csv tells the whole truth about every project. They get proponents of their own: a
clean project must never inherit a high proponent_history from them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SINGLE_KINDS = (
    "items_count",
    "approved_total",
    "item_prices",
    "common_items",
    "new_suppliers",
    "receipts_over_approved",
    "shared_receipts_transfer",
    "shared_receipts_cash",
    "shared_receipts_cheque",
    "funds_to_verify",
    "receipts_count",
)
KINDS = (*SINGLE_KINDS, "proponent_history", "anomaly_score")

ANOMALY_COMPONENTS = (
    "items_count",
    "approved_total",
    "item_prices",
    "common_items",
    "new_suppliers",
    "receipts_count",
    "receipts_over_approved",
)
COMPLEX_COMPONENTS = (
    "shared_receipts_transfer",
    "shared_receipts_cash",
    "shared_receipts_cheque",
    "receipts_over_approved",
    "funds_to_verify",
    "item_prices",
    "approved_total",
)
RECEIPT_KINDS = (
    "new_suppliers",
    "receipts_over_approved",
    "shared_receipts_transfer",
    "shared_receipts_cash",
    "shared_receipts_cheque",
    "funds_to_verify",
    "receipts_count",
)
SINGLE_RATE = 0.01  # share of projects per single kind
COMPOUND_RATE = 0.005  # anomaly projects, and proponent_history targets (each with 3 complex ones)


@dataclass
class Plan:
    flags: dict[str, np.ndarray]  # kind → bool per project
    groups: list[np.ndarray]  # project indices that share a dedicated proponent
    anomaly: np.ndarray  # bool per project
    complex: np.ndarray  # bool per project: the "other projects" of a proponent_history target

    def needs_receipts(self) -> np.ndarray:
        mask = self.anomaly.copy()
        for kind in RECEIPT_KINDS:
            mask |= self.flags[kind]
        return mask

    def planted(self) -> np.ndarray:
        mask = np.zeros_like(self.anomaly)
        for flag in self.flags.values():
            mask |= flag
        return mask


def minimum_projects() -> int:
    return len(SINGLE_KINDS) + 1 + 4


def plan_anomalies(rng: np.random.Generator, n: int) -> Plan:
    if n < minimum_projects():
        raise ValueError(f"at least {minimum_projects()} projects are needed to plant every kind of anomaly")
    single = max(1, round(SINGLE_RATE * n))
    compound = max(1, round(COMPOUND_RATE * n))
    while len(SINGLE_KINDS) * single + 5 * compound > n // 2 and single > 1:
        single -= 1  # tiny data sets: keep at least half of the projects clean
    order = rng.permutation(n)
    flags = {kind: np.zeros(n, dtype=bool) for kind in KINDS}
    anomaly = np.zeros(n, dtype=bool)
    complex_ = np.zeros(n, dtype=bool)
    groups: list[np.ndarray] = []
    at = 0
    for kind in SINGLE_KINDS:
        flags[kind][order[at : at + single]] = True
        at += single
    for project in order[at : at + compound]:
        anomaly[project] = True
        for kind in ("anomaly_score", *ANOMALY_COMPONENTS):
            flags[kind][project] = True
        groups.append(np.array([project]))
    at += compound
    for _ in range(compound):
        target, others = order[at], order[at + 1 : at + 4]
        at += 4
        flags["proponent_history"][target] = True
        complex_[others] = True
        for kind in COMPLEX_COMPONENTS:
            flags[kind][others] = True
        groups.append(np.concatenate([[target], others]))
    return Plan(flags=flags, groups=groups, anomaly=anomaly, complex=complex_)
