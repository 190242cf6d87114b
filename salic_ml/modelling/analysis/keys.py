"""'group:item' keys (e.g. "12:3407") worked out on integers.

The fitted tables of item-level indicators are keyed by such strings. Building one string per
budget line costs seconds at millions of lines, so rows are grouped by their integer pair and each
distinct pair is spelled out once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def pair_codes(group: pd.Series, item: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """(codes, keys): `keys[codes[i]]` is row i's "group:item" string; `keys` holds each pair once."""
    first, second = group.to_numpy(dtype="int64"), item.to_numpy(dtype="int64")
    if len(first) and (first.min() < 0 or second.min() < 0 or first.max() >= 2**62 // (int(second.max()) + 1)):
        codes, uniques = pd.MultiIndex.from_arrays([first, second]).factorize()
        pairs = zip(uniques.get_level_values(0).tolist(), uniques.get_level_values(1).tolist(), strict=True)
    else:
        width = int(second.max()) + 1 if len(second) else 1
        codes, uniques = pd.factorize(first * width + second)
        pairs = zip((uniques // width).tolist(), (uniques % width).tolist(), strict=True)
    return codes, pd.Index([f"{a}:{b}" for a, b in pairs], dtype="str")


def rekey(table: pd.DataFrame, keys: pd.Index) -> pd.DataFrame:
    """A table grouped by pair codes, re-indexed by the pairs' strings in string order."""
    index = pd.Index(keys.take(table.index.to_numpy()), name=table.index.name)
    return table.set_axis(index).sort_index()


def rows_of(table: pd.DataFrame, codes: np.ndarray, keys: pd.Index) -> pd.DataFrame:
    """`table` (indexed by "group:item") looked up for every row: the same as reindex(row keys)."""
    found = table.reindex(keys)
    return pd.DataFrame({c: found[c].to_numpy()[codes] for c in found.columns})
