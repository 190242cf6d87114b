"""Independent checks that a generated data set has the promised shape and visible plants.

These are deliberately simple re-statements of DESIGN §5's rules (robust z-score on log scale per
segment, borrowing the area's distribution below 20 projects; "at least one" rules), computed with
pandas straight from the CSVs — not the product's indicators, which live in salic_ml/modelling/indicators.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

TODAY = date.today().isoformat()


@dataclass
class Generated:
    projects: pd.DataFrame
    lines: pd.DataFrame
    receipts: pd.DataFrame
    fundraising: pd.DataFrame
    planted: pd.DataFrame

    def pronacs(self, kind: str) -> set[str]:
        return set(self.planted.loc[self.planted["indicator"] == kind, "pronac"])

    @property
    def clean(self) -> set[str]:
        return set(self.projects["pronac"]) - set(self.planted["pronac"])


def load(out: Path) -> Generated:
    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(
            out / name, dtype={"pronac": str, "supplier_id": str, "sponsor_id": str}, keep_default_na=False
        )

    lines = read("budget_lines.csv")
    for column in ("quantity", "unit_price_approved", "total_approved"):
        lines[column] = lines[column].astype(float)
    return Generated(
        projects=read("projects.csv"),
        lines=lines,
        receipts=read("receipts.csv"),
        fundraising=read("fundraising.csv"),
        planted=read("planted.csv"),
    )


def shape(data: Generated) -> dict[str, float]:
    per_project = data.lines.groupby("pronac").size()
    payment = data.receipts["payment_type"].value_counts(normalize=True)
    supplier_projects = data.receipts.groupby("supplier_id")["pronac"].nunique()
    return {
        "areas": data.projects["area_code"].nunique(),
        "segments": data.projects["segment_code"].nunique(),
        "lines_median": float(per_project.median()),
        "lines_mean": float(per_project.mean()),
        "cheque": float(payment.get("cheque", 0)),
        "transfer": float(payment.get("transfer", 0)),
        "cash": float(payment.get("cash", 0)),
        "single_project_suppliers": float((supplier_projects == 1).mean()),
        "projects_with_receipts": data.receipts["pronac"].nunique() / len(data.projects),
        "projects_with_fundraising": data.fundraising["pronac"].nunique() / len(data.projects),
    }


def robust_z(values: pd.Series, projects: pd.DataFrame, *, log: bool) -> pd.Series:
    """Modified z-score of each project's value against its segment (area below 20 projects)."""
    frame = projects.set_index("pronac")[["segment_code", "area_code"]].join(values.rename("value"), how="inner")
    x = np.log1p(frame["value"]) if log else frame["value"].astype(float)
    frame["x"] = x

    def stats(key: str) -> pd.DataFrame:
        grouped = frame.groupby(key)["x"]
        median = grouped.median()
        mad = grouped.apply(lambda s: (s - s.median()).abs().median())
        return pd.DataFrame({"median": median, "mad": mad, "n": grouped.size()})

    seg, area = stats("segment_code"), stats("area_code")
    use_seg = frame["segment_code"].map(seg["n"]) >= 20
    median = np.where(use_seg, frame["segment_code"].map(seg["median"]), frame["area_code"].map(area["median"]))
    mad = np.where(use_seg, frame["segment_code"].map(seg["mad"]), frame["area_code"].map(area["mad"]))
    mad = np.where(mad > 0, mad, np.nan)
    return pd.Series(0.6745 * (frame["x"] - median) / mad, index=frame.index).fillna(0.0)


def flagged(data: Generated) -> dict[str, set[str]]:
    """Projects each simplified §5 rule flags."""
    lines, receipts, projects = data.lines, data.receipts, data.projects
    out: dict[str, set[str]] = {}
    out["items_count"] = _upper(robust_z(lines.groupby("pronac").size(), projects, log=True))
    out["approved_total"] = _upper(robust_z(lines.groupby("pronac")["total_approved"].sum(), projects, log=True))
    out["receipts_count"] = _upper(robust_z(receipts.groupby("pronac")["receipt_id"].nunique(), projects, log=True))

    # item prices: outlier vs the same item in the same segment (items with >= 5 observations)
    priced = lines.merge(projects[["pronac", "segment_code"]], on="pronac")
    priced["x"] = np.log(priced["unit_price_approved"].clip(lower=0.01))
    group = priced.groupby(["segment_code", "item_id"])["x"]
    priced["n"] = group.transform("size")
    priced["median"] = group.transform("median")
    priced["mad"] = (
        (priced["x"] - priced["median"]).abs().groupby([priced["segment_code"], priced["item_id"]]).transform("median")
    )
    z = 0.6745 * (priced["x"] - priced["median"]) / priced["mad"].replace(0, np.nan)
    priced["outlier"] = (priced["n"] >= 5) & (z.abs() > 3.5)
    share = priced.groupby("pronac")["outlier"].mean()
    out["item_prices"] = set(share[share > 0.10].index)

    # common items: share of lines among the segment's top 10% items
    counts = priced.groupby(["segment_code", "item_id"]).size().rename("uses").reset_index()
    counts["rank"] = counts.groupby("segment_code")["uses"].rank(ascending=False, method="first")
    counts["items"] = counts.groupby("segment_code")["item_id"].transform("size")
    top = counts[counts["rank"] <= np.ceil(0.1 * counts["items"])]
    priced = priced.merge(
        top[["segment_code", "item_id"]].assign(common=True), on=["segment_code", "item_id"], how="left"
    )
    common_share = priced["common"].fillna(False).astype(bool).groupby(priced["pronac"]).mean()
    z_common = robust_z(common_share, projects, log=False)
    out["common_items"] = set(z_common[z_common < -3.5].index)

    # new suppliers: share of a project's suppliers seen in no other project
    used = receipts[["pronac", "supplier_id"]].drop_duplicates()
    projects_per_supplier = used.groupby("supplier_id")["pronac"].transform("size")
    new_share = (projects_per_supplier == 1).groupby(used["pronac"]).mean()
    out["new_suppliers"] = _upper(robust_z(new_share, projects, log=False))

    paid = receipts.groupby("line_id")["amount"].sum()
    over = lines.set_index("line_id").join(paid.rename("paid"), how="inner")
    out["receipts_over_approved"] = set(over.loc[over["paid"] > 1.5 * over["total_approved"], "pronac"])

    for kind in ("transfer", "cash", "cheque"):
        typed = receipts[receipts["payment_type"] == kind]
        lines_per_receipt = typed.groupby("receipt_id")["line_id"].nunique()
        shared = lines_per_receipt[lines_per_receipt >= 2].index
        out[f"shared_receipts_{kind}"] = set(typed.loc[typed["receipt_id"].isin(shared), "pronac"])

    raised = data.fundraising.groupby("pronac")["amount"].sum()
    verified = receipts.groupby("pronac")["amount"].sum().reindex(raised.index, fill_value=0.0)
    ended = projects.set_index("pronac")["execution_end"].reindex(raised.index)
    gap = (raised - verified) > 0.10 * raised
    out["funds_to_verify"] = set(raised.index[gap & (ended != "") & (ended < TODAY)])
    return out


def _upper(z: pd.Series) -> set[str]:
    return set(z[z > 3.5].index)
