"""The fixed part of a generated data set: segments with skewed sizes, the item catalog with
per-item log-normal prices, and each segment's vocabulary of popular items."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .vocab import AREAS, ITEM_FAMILIES, SEGMENTS, VARIANTS

_SEGMENT_CODE_CHARS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class World:
    area_codes: np.ndarray  # per segment: its area's code
    segment_codes: np.ndarray
    segment_names: np.ndarray
    segment_weight: np.ndarray  # share of projects, Zipf-like
    segment_scale: np.ndarray  # multiplies the typical number of budget lines
    # catalog, one entry per item
    item_ids: np.ndarray
    item_names: np.ndarray
    item_mu: np.ndarray  # log of the median unit price (R$)
    item_sigma: np.ndarray  # spread of log unit price
    item_stage: np.ndarray  # index into vocab.STAGES
    item_unit: np.ndarray
    item_quantity: np.ndarray  # typical quantity
    # per segment: item indices ordered by popularity, and their draw probabilities
    vocab: list[np.ndarray]
    vocab_p: list[np.ndarray]

    @property
    def n_segments(self) -> int:
        return len(self.segment_codes)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)


def build_world(rng: np.random.Generator) -> World:
    area_codes, segment_codes, segment_names = [], [], []
    for area, names in SEGMENTS.items():
        for i, name in enumerate(names):
            area_codes.append(area)
            segment_codes.append(area + _SEGMENT_CODE_CHARS[i])
            segment_names.append(name)
    n_seg = len(segment_codes)
    assert set(area_codes) == set(AREAS)

    # Zipf-like sizes over a random order: a few huge segments (music shows, theatre), a long tail.
    rank = rng.permutation(n_seg)
    weight = 1.0 / (rank + 1.0) ** 1.1
    weight /= weight.sum()
    scale = rng.lognormal(0.0, 0.25, n_seg)

    families = len(ITEM_FAMILIES)
    variants = len(VARIANTS)
    family = np.repeat(np.arange(families), variants)
    variant = np.tile(np.arange(variants), families)
    base_price = np.array([f[1] for f in ITEM_FAMILIES], dtype=float)[family]
    factor = np.array([v[1] for v in VARIANTS])[variant]
    n_items = families * variants
    item_ids = np.sort(rng.choice(np.arange(10_000, 99_999), size=n_items, replace=False))
    item_names = np.array([ITEM_FAMILIES[f][0] + VARIANTS[v][0] for f, v in zip(family, variant, strict=True)])
    item_mu = np.log(base_price * factor) + rng.normal(0.0, 0.25, n_items)
    # Narrow enough that a price 8× the median is beyond 3.5 robust z-scores for every item.
    item_sigma = rng.uniform(0.12, 0.30, n_items)
    item_stage = np.array([f[2] for f in ITEM_FAMILIES])[family]
    item_unit = np.array([f[3] for f in ITEM_FAMILIES])[family]
    item_quantity = np.array([f[4] for f in ITEM_FAMILIES], dtype=float)[family]

    plain = np.flatnonzero(variant == 0)  # one generic item per family, used everywhere
    vocab, vocab_p = [], []
    for _ in range(n_seg):
        size = int(rng.integers(150, 400))
        core = rng.choice(plain, size=30, replace=False)
        rest = rng.choice(np.setdiff1d(np.arange(n_items), core), size=size - 30, replace=False)
        items = rng.permutation(np.concatenate([core, rest]))
        p = 1.0 / np.arange(1, size + 1) ** 1.2  # the top 10% of items make ~3/4 of the lines
        vocab.append(items)
        vocab_p.append(p / p.sum())

    return World(
        area_codes=np.array(area_codes),
        segment_codes=np.array(segment_codes),
        segment_names=np.array(segment_names),
        segment_weight=weight,
        segment_scale=scale,
        item_ids=item_ids,
        item_names=item_names,
        item_mu=item_mu,
        item_sigma=item_sigma,
        item_stage=item_stage,
        item_unit=item_unit,
        item_quantity=item_quantity,
        vocab=vocab,
        vocab_p=vocab_p,
    )
