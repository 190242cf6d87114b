"""Vectorised construction of the four tables (numpy arrays in, pandas DataFrames out).

Clean projects are built to stay clean on DESIGN §5's "at least one" rules: receipts never share
a receipt_id across lines, no line is paid beyond its approved total, and a project whose
execution ended has receipts covering its raised funds within 10% (projects still raising funds
have no execution dates, and projects without fundraising have nothing to verify).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .plan import Plan
from .vocab import (
    AREAS,
    COMPANY_KINDS,
    COMPANY_SUFFIXES,
    COMPANY_WORDS,
    FIRST_NAMES,
    PROJECT_PLACES,
    PROJECT_PREFIXES,
    PROJECT_TOPICS,
    SITUATIONS,
    STAGES,
    SURNAMES,
    UFS,
)
from .world import World

FIRST_YEAR, LAST_YEAR = 2015, 2024  # submissions; execution may run into 2025
LAST_DAY = np.datetime64("2025-12-31")
MEDIAN_LINES = 40
MIN_RECEIPTS = 6
PAYMENT_TYPES = np.array(["cheque", "transfer", "cash"])
# Planted shared cash receipts add ~1% cash rows; the clean shares leave room for them.
PAYMENT_SHARES = [0.494, 0.484, 0.022]


@dataclass
class Projects:
    n: int
    segment: np.ndarray
    proponent: np.ndarray  # index into proponent_ids
    proponent_ids: np.ndarray
    uf: np.ndarray  # index into UFS
    submitted: np.ndarray  # datetime64[D]
    start: np.ndarray  # datetime64[D], NaT when not executed
    end: np.ndarray
    has_receipts: np.ndarray
    raising: np.ndarray  # still raising funds: fundraising rows, no execution
    pronac: np.ndarray


@dataclass
class Lines:
    project: np.ndarray
    item: np.ndarray  # index into the catalog
    quantity: np.ndarray
    occurrences: np.ndarray
    price: np.ndarray
    total: np.ndarray
    frame: pd.DataFrame


def documents(rng: np.random.Generator, count: int, cnpj_share: float) -> np.ndarray:
    """Unique CPF (11 digits) / CNPJ (14 digits) strings; check digits are not simulated."""
    cnpj = rng.random(count) < cnpj_share
    values = np.where(cnpj, rng.integers(10**13, 10**14, count), rng.integers(10**10, 10**11, count))
    while True:
        _, first = np.unique(values, return_index=True)
        duplicate = np.ones(count, dtype=bool)
        duplicate[first] = False
        if not duplicate.any():
            return values.astype(str)
        values[duplicate] = rng.integers(10**13, 10**14, int(duplicate.sum()))


def _pick(rng: np.random.Generator, words: list[str], count: int) -> np.ndarray:
    return np.array(words, dtype=object)[rng.integers(0, len(words), count)]


def person_or_company_names(rng: np.random.Generator, ids: np.ndarray) -> np.ndarray:
    count = len(ids)
    people = _pick(rng, FIRST_NAMES, count) + " " + _pick(rng, SURNAMES, count) + " " + _pick(rng, SURNAMES, count)
    companies = (
        _pick(rng, COMPANY_WORDS, count)
        + " "
        + _pick(rng, COMPANY_KINDS, count)
        + " "
        + _pick(rng, COMPANY_SUFFIXES, count)
    )
    return np.where(np.char.str_len(ids.astype(str)) == 14, companies, people)


def _zipf_choice(rng: np.random.Generator, size: int, count: int, exponent: float) -> np.ndarray:
    p = 1.0 / np.arange(1, size + 1) ** exponent
    return rng.choice(size, size=count, p=p / p.sum())


def _group_starts(counts: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)


def build_projects(rng: np.random.Generator, world: World, n: int, plan: Plan) -> Projects:
    # Submission dates first: PRONAC numbers follow them (two-digit year + sequence in the year).
    year = rng.integers(FIRST_YEAR, LAST_YEAR + 1, n)
    day = rng.integers(0, 365, n)
    submitted = np.sort((year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + day)
    year = submitted.astype("datetime64[Y]").astype(int) + 1970
    starts = np.searchsorted(year, year, side="left")
    sequence = np.arange(n) - starts + 1
    pronac = np.char.add(np.char.zfill((year % 100).astype(str), 2), np.char.zfill(sequence.astype(str), 4))

    segment = rng.choice(world.n_segments, size=n, p=world.segment_weight)

    # Proponents: a skewed number of projects each (many with one, some with dozens).
    base = max(2, n // 3)
    proponent = _zipf_choice(rng, base, n, 0.8)
    for g, group in enumerate(plan.groups):
        proponent[group] = base + g
    proponent_ids = documents(rng, base + len(plan.groups), cnpj_share=0.65)
    uf_p = np.array([u[1] for u in UFS])
    uf_p /= uf_p.sum()
    proponent_uf = rng.choice(len(UFS), size=len(proponent_ids), p=uf_p)
    uf = np.where(rng.random(n) < 0.85, proponent_uf[proponent], rng.choice(len(UFS), size=n, p=uf_p))

    has_receipts = rng.random(n) < 0.30
    has_receipts |= plan.needs_receipts()
    has_receipts &= ~((plan.flags["items_count"] | plan.flags["approved_total"]) & ~plan.needs_receipts())
    raising = ~has_receipts & (rng.random(n) < 0.45)

    start = submitted + rng.integers(60, 240, n)
    end = np.minimum(start + rng.integers(120, 720, n), LAST_DAY)
    start = np.minimum(start, end - 30)
    not_executed = np.datetime64("NaT")
    start = np.where(raising, not_executed, start)
    end = np.where(raising, not_executed, end)
    return Projects(
        n=n,
        segment=segment,
        proponent=proponent,
        proponent_ids=proponent_ids,
        uf=uf,
        submitted=submitted,
        start=start,
        end=end,
        has_receipts=has_receipts,
        raising=raising,
        pronac=pronac,
    )


def project_frame(rng: np.random.Generator, world: World, projects: Projects) -> pd.DataFrame:
    n = projects.n
    edition = rng.integers(1, 25, n)
    # The topic is the project's own segment ("Temporada de Ópera do Sertão"), so a name never
    # contradicts its segment. PROJECT_TOPICS is still drawn so every later draw, and with them the
    # planted anomalies, stays the same for a seed.
    prefixes = _pick(rng, PROJECT_PREFIXES, n)
    _pick(rng, PROJECT_TOPICS, n)
    areas, segments = world.area_codes[projects.segment], world.segment_names[projects.segment]
    titles = [project_title(*row) for row in zip(prefixes, segments, areas, strict=True)]
    names = np.array(titles, dtype=object) + " " + _pick(rng, PROJECT_PLACES, n)
    names = np.where(rng.random(n) < 0.4, names + " – " + edition.astype(str) + "ª edição", names)
    situation = np.where(
        projects.has_receipts,
        np.where(rng.random(n) < 0.5, SITUATIONS["accounts"], SITUATIONS["accounts_done"]),
        np.where(projects.raising, SITUATIONS["raising"], SITUATIONS["archived"]),
    )
    area = world.area_codes[projects.segment]
    return pd.DataFrame(
        {
            "pronac": projects.pronac,
            "name": names,
            "proponent_id": projects.proponent_ids[projects.proponent],
            "area_code": area,
            "area_name": np.array([AREAS[a] for a in area]),
            "segment_code": world.segment_codes[projects.segment],
            "segment_name": world.segment_names[projects.segment],
            "uf": np.array([u[0] for u in UFS])[projects.uf],
            "situation": situation,
            "submitted_at": dates(projects.submitted),
            "execution_start": dates(projects.start),
            "execution_end": dates(projects.end),
        }
    )


# Segments that already name an event are a title by themselves ("Festival de Dança do Vale").
EVENT_WORDS = {"Festival", "Festivais", "Mostras", "Bienais", "Feiras", "Festas", "Seminários", "Eventos", "Exposições"}
# Heritage, humanities and museum work is a project or a programme, not a festival or a season.
PLAIN_AREAS = {"5", "6", "9"}
PLAIN_PREFIXES = ("Projeto", "Programa", "Plano Anual")


def project_title(prefix: str, segment: str, area: str) -> str:
    """A project title that matches its segment: 'Temporada de Ópera', 'Programa de Restauro de Bens Imóveis'."""
    if segment.split()[0] in EVENT_WORDS:
        return segment
    if area in PLAIN_AREAS:
        prefix = PLAIN_PREFIXES[sum(map(ord, prefix)) % len(PLAIN_PREFIXES)]
    return f"{prefix} de {segment}"


def dates(values: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(values, unit="D")
    return np.where(np.isnat(values), "", text)


def build_lines(rng: np.random.Generator, world: World, projects: Projects, plan: Plan) -> Lines:
    n = projects.n
    flags = plan.flags
    typical = MEDIAN_LINES * world.segment_scale[projects.segment]
    count = np.maximum(1, np.rint(rng.lognormal(np.log(typical), 0.45))).astype(np.int64)
    many = flags["items_count"]
    count = np.where(many, np.rint(typical * rng.uniform(8, 12, n)), count).astype(np.int64)
    count = np.where(plan.planted(), np.maximum(count, 3), count)  # shared receipts need 2+ lines
    # A budget "made of rare items" is only recognisable with enough lines to judge it by.
    count = np.where(flags["common_items"], np.maximum(count, 20), count)
    project = np.repeat(np.arange(n), count)
    total_lines = len(project)
    line_segment = projects.segment[project]

    # Items: drawn from the segment's own popularity; rare-item projects draw uniformly from the
    # less popular half of the segment's vocabulary (items the segment knows but seldom uses —
    # drawing from the whole catalog would bloat the segment's item list instead).
    rare_share = np.where(plan.anomaly, 0.6, np.where(flags["common_items"], 0.95, 0.0))
    rare = rng.random(total_lines) < rare_share[project]
    item = np.empty(total_lines, dtype=np.int64)
    popular_rank = np.full(total_lines, np.inf)  # rank share within the segment's vocabulary
    order = np.argsort(line_segment, kind="stable")
    bounds = np.searchsorted(line_segment[order], np.arange(world.n_segments + 1))
    for s in range(world.n_segments):
        idx = order[bounds[s] : bounds[s + 1]]
        if not len(idx):
            continue
        vocab = world.vocab[s]
        normal_idx, rare_idx = idx[~rare[idx]], idx[rare[idx]]
        pos = rng.choice(len(vocab), size=len(normal_idx), p=world.vocab_p[s])
        item[normal_idx] = vocab[pos]
        popular_rank[normal_idx] = pos / len(vocab)
        if len(rare_idx):
            tail = vocab[len(vocab) // 2 :]
            item[rare_idx] = tail[rng.integers(0, len(tail), len(rare_idx))]

    mu, sigma = world.item_mu[item], world.item_sigma[item]
    price = np.exp(mu + sigma * rng.standard_normal(total_lines))
    # Outlier prices: >10% of a project's lines at 8-20× the item's median, on popular items
    # (they have enough observations in the segment to be judged).
    starts = _group_starts(count)
    for p in np.flatnonzero(flags["item_prices"]):
        own = np.arange(starts[p], starts[p] + count[p])
        candidates = own[np.argsort(popular_rank[own], kind="stable")]
        k = max(2, int(np.ceil(rng.uniform(0.25, 0.4) * len(own))))
        chosen = candidates[: min(k, len(own))]
        price[chosen] = np.exp(mu[chosen]) * rng.uniform(8, 20, len(chosen))
    price = np.maximum(0.01, np.round(price, 2))
    requested = np.where(rng.random(total_lines) < 0.6, price, np.round(price * rng.uniform(1.0, 1.3, total_lines), 2))

    quantity = np.maximum(1, rng.poisson(world.item_quantity[item])).astype(np.int64)
    # A project with 10× the lines should not also be 10× the money: that is another indicator.
    only_many = flags["items_count"] & ~flags["approved_total"]
    quantity = np.where(only_many[project], np.maximum(1, quantity // 8), quantity)
    quantity = np.where(flags["approved_total"][project], quantity * 30, quantity)
    occurrences = np.where(rng.random(total_lines) < 0.75, 1, rng.integers(2, 5, total_lines))
    total = np.round(quantity * occurrences * price, 2)
    days = pd.array(np.where(rng.random(total_lines) < 0.25, rng.integers(1, 31, total_lines), 0), dtype="Int64")
    days[days == 0] = pd.NA

    uf_codes = np.array([u[0] for u in UFS])
    uf_prefix = np.array([u[2] for u in UFS])
    line_uf = np.where(rng.random(total_lines) < 0.9, projects.uf[project], rng.integers(0, len(UFS), total_lines))
    city = np.char.add(
        uf_prefix[line_uf], np.char.zfill((rng.integers(0, 40, total_lines) * 1373 % 99999).astype(str), 5)
    )
    product = (50 + rng.integers(0, 30, n))[project] + (rng.random(total_lines) < 0.1)

    frame = pd.DataFrame(
        {
            "line_id": 1_000_001 + np.arange(total_lines),
            # Categoricals: 2M rows of repeated strings would otherwise take gigabytes as arrays.
            "pronac": pd.Categorical.from_codes(project, projects.pronac),
            "item_id": world.item_ids[item],
            "item_name": pd.Categorical.from_codes(item, world.item_names),
            "stage": pd.Categorical.from_codes(world.item_stage[item], STAGES),
            "unit": world.item_unit[item],
            "quantity": quantity,
            "occurrences": occurrences,
            "days": days,
            "unit_price_requested": requested,
            "unit_price_approved": price,
            "total_approved": total,
            "uf": pd.Categorical.from_codes(line_uf, uf_codes),
            "city_code": city,
            "product_id": product,
        }
    )
    return Lines(
        project=project, item=item, quantity=quantity, occurrences=occurrences, price=price, total=total, frame=frame
    )


def build_receipts(rng: np.random.Generator, projects: Projects, lines: Lines, plan: Plan) -> pd.DataFrame:
    flags = plan.flags
    n_lines = len(lines.project)
    owner = lines.project
    with_receipts = projects.has_receipts[owner]

    # Receipts per line: usually none, sometimes one to three.
    per_line = rng.choice(4, size=n_lines, p=[0.73, 0.21, 0.045, 0.015])
    boost = (flags["receipts_count"] & ~plan.anomaly)[owner]
    per_line = np.where(boost, np.where(rng.random(n_lines) < 0.9, rng.integers(7, 13, n_lines), 0), per_line)
    fresh = (flags["new_suppliers"] & ~plan.anomaly)[owner]
    per_line = np.where(fresh, (rng.random(n_lines) < 0.85).astype(int), per_line)
    per_line = np.where(with_receipts, per_line, 0)

    line_counts = np.bincount(owner, minlength=projects.n)
    starts = _group_starts(line_counts)
    # A project with receipts has at least a handful: with one or two, any share-based indicator
    # (e.g. new suppliers) would be all-or-nothing.
    few = projects.has_receipts & (np.bincount(owner, weights=per_line, minlength=projects.n) < MIN_RECEIPTS)
    for p in np.flatnonzero(few):
        own = slice(starts[p], starts[p] + min(line_counts[p], MIN_RECEIPTS))
        per_line[own] = np.maximum(per_line[own], 1)

    # Over-paid lines: one per project (two for compound projects), paid 2-3.5× their total.
    over = np.zeros(n_lines, dtype=bool)
    for p in np.flatnonzero(flags["receipts_over_approved"]):
        own = np.arange(starts[p], starts[p] + line_counts[p])
        chosen = rng.choice(
            own, size=min(len(own), 1 if not (plan.anomaly[p] or plan.complex[p]) else 2), replace=False
        )
        over[chosen] = True
        per_line[chosen] = np.maximum(per_line[chosen], 1)

    line = np.repeat(np.arange(n_lines), per_line)
    count = len(line)
    project = owner[line]
    share = np.where(over[line], rng.uniform(2.0, 3.5, count), rng.uniform(0.55, 0.97, count)) / per_line[line]
    amount = np.floor(lines.total[line] * share * 100) / 100
    # Funds to verify means proving well under what was raised, and nobody raises more than was
    # approved: such a project proves at most ~60% of its budget (an over-paid line stays over).
    proved = np.bincount(project, weights=amount, minlength=projects.n)
    budget = np.bincount(owner, weights=lines.total, minlength=projects.n)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(
            flags["funds_to_verify"] & (proved > 0.6 * budget), np.maximum(0.6 * budget / proved, 0.55), 1.0
        )
    amount = np.floor(amount * factor[project] * 100) / 100
    payment = PAYMENT_TYPES[rng.choice(3, size=count, p=PAYMENT_SHARES)]

    # Suppliers: each project hires from a small pool of its own; a pool slot is a supplier seen
    # only in this project (20%) or one of a shared, skewed set (airlines, hotels, print shops).
    # Most suppliers are thus single-project, while a project's share of them stays modest.
    receipt_projects = np.flatnonzero(projects.has_receipts)
    rank = np.full(projects.n, -1)
    rank[receipt_projects] = np.arange(len(receipt_projects))
    pool_size = np.clip(rng.poisson(6, len(receipt_projects)) + 3, 4, 20)
    pool_start = _group_starts(pool_size)
    slots = int(pool_size.sum())
    shared_count = max(20, projects.n // 40)
    slot_unique = rng.random(slots) < 0.20
    slot_supplier = np.where(slot_unique, -1, _zipf_choice(rng, shared_count, slots, 0.6))
    slot_supplier[slot_unique] = shared_count + np.arange(int(slot_unique.sum()))
    next_id = shared_count + int(slot_unique.sum())
    r = rank[project]
    slot = pool_start[r] + np.floor(rng.random(count) * pool_size[r]).astype(np.int64)
    supplier = slot_supplier[slot]
    own_supplier = (flags["new_suppliers"] | plan.anomaly)[project]
    supplier[own_supplier] = next_id + np.arange(int(own_supplier.sum()))
    next_id += int(own_supplier.sum())

    receipt_id = 10_000_001 + np.arange(count)
    span = (projects.end - projects.start).astype(np.int64)
    paid = projects.start[project] + np.floor(rng.random(count) * (span[project] + 1)).astype(np.int64)

    # Shared receipts: one receipt_id allocated to 2-3 lines, with the kind's payment type.
    extra = {"line": [], "receipt": [], "amount": [], "payment": [], "supplier": [], "paid": []}
    next_receipt = int(receipt_id[-1]) + 1 if count else 10_000_001
    for kind, ptype in (("transfer", "transfer"), ("cash", "cash"), ("cheque", "cheque")):
        for p in np.flatnonzero(flags[f"shared_receipts_{kind}"]):
            own = np.arange(starts[p], starts[p] + line_counts[p])
            for _ in range(int(rng.integers(1, 3))):
                chosen = rng.choice(own, size=min(len(own), int(rng.integers(2, 4))), replace=False)
                extra["line"] += list(chosen)
                extra["receipt"] += [next_receipt] * len(chosen)
                extra["amount"] += list(np.floor(lines.total[chosen] * rng.uniform(0.05, 0.2, len(chosen)) * 100) / 100)
                extra["payment"] += [ptype] * len(chosen)
                extra["supplier"] += [slot_supplier[pool_start[rank[p]]]] * len(chosen)
                extra["paid"] += [projects.start[p] + int(rng.integers(0, max(1, span[p])))] * len(chosen)
                next_receipt += 1

    all_line = np.concatenate([line, np.array(extra["line"], dtype=np.int64)])
    supplier_all = np.concatenate([supplier, np.array(extra["supplier"], dtype=np.int64)])
    frame = pd.DataFrame(
        {
            "receipt_id": np.concatenate([receipt_id, np.array(extra["receipt"], dtype=np.int64)]),
            "line_id": lines.frame["line_id"].to_numpy()[all_line],
            "pronac": projects.pronac[owner[all_line]],
            "supplier": supplier_all,
            "amount": np.concatenate([amount, np.array(extra["amount"], dtype=float)]),
            "payment_type": np.concatenate([payment, np.array(extra["payment"], dtype=object)]),
            "paid_at": dates(np.concatenate([paid, np.array(extra["paid"], dtype="datetime64[D]")])),
            "_project": owner[all_line],
        }
    )
    frame = frame.sort_values(["_project", "receipt_id", "line_id"], kind="stable").reset_index(drop=True)

    ids = documents(rng, next_id, cnpj_share=0.6)
    names = person_or_company_names(rng, ids)
    frame.insert(3, "supplier_id", ids[frame["supplier"].to_numpy()])
    frame.insert(4, "supplier_name", names[frame["supplier"].to_numpy()])
    return frame.drop(columns=["supplier"])


def build_fundraising(
    rng: np.random.Generator, projects: Projects, lines: Lines, receipts: pd.DataFrame, plan: Plan
) -> pd.DataFrame:
    n = projects.n
    verified = np.bincount(receipts["_project"].to_numpy(), weights=receipts["amount"].to_numpy(), minlength=n)
    approved = np.bincount(lines.project, weights=lines.total, minlength=n)
    # Executed projects raised about what they proved they spent (within 10%); projects still
    # raising have raised part of their budget; funds_to_verify raised far more than it proved.
    raised = np.where(projects.has_receipts, verified * rng.uniform(0.93, 1.05, n), 0.0)
    raised = np.where(projects.raising, approved * rng.uniform(0.05, 0.7, n), raised)
    raised = np.where(plan.flags["funds_to_verify"], verified * rng.uniform(2.2, 3.5, n), raised)
    # Nobody raises more than was approved (SALIC caps fundraising at the approved budget).
    raised = np.minimum(raised, np.round(approved, 2))
    funded = np.flatnonzero(raised > 0)

    rows_per = np.clip(1 + rng.poisson(0.8, len(funded)), 1, 5)
    project = np.repeat(funded, rows_per)
    weight = rng.gamma(1.0, size=len(project))
    weight_sum = np.bincount(project, weights=weight, minlength=n)
    amount = np.round(raised[project] * weight / weight_sum[project], 2)

    sponsors = documents(rng, max(20, n // 8), cnpj_share=0.85)
    sponsor = sponsors[_zipf_choice(rng, len(sponsors), len(project), 1.0)]
    sponsor = np.where(rng.random(len(project)) < 0.03, "", sponsor)
    received = np.minimum(projects.submitted[project] + rng.integers(30, 500, len(project)), LAST_DAY)
    return pd.DataFrame(
        {
            "pronac": projects.pronac[project],
            "sponsor_id": sponsor,
            "amount": amount,
            "received_at": dates(received),
        }
    )
