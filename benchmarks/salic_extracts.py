"""SALIC's own extracts: import, re-import and a corrected re-import against pandas.read_csv.

    .venv/bin/python -m benchmarks.salic_extracts [--projects 5000] [--postgres] [--keep DIR]

The generator writes its data as SALIC's extracts (`salic_generate(dialect="salic")`: planilha_*.csv
with every column and quirk of ../shared/SALIC-EXTRACTS.md). In a fresh database (a temp SQLite
file, or with --postgres the database `rouanet_bench_extracts` on 127.0.0.1:5432, dropped and
recreated), each step runs as its own process, timed with its peak RSS:

- `read_csv`: pandas.read_csv of the same files (the reference, same run);
- `import`: `salic_import --dialect salic` into the empty database;
- `reimport`: the same files again (must change nothing: 0 projects touched);
- `reimport_gz`: the same files gzipped (must change nothing either);
- `corrected`: the whole set again with 1% of the projects corrected (one budget line's price
  doubled, one fundraising row gone): replaced and removed, those projects touched.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from benchmarks.salic_scale import step
from benchmarks.serve import bench_env
from benchmarks.stack import recreate_database
from salic_ml.demo.generator import salic_generate

NAMES = ("planilha_projetos.csv", "planilha_orcamentaria.csv", "planilha_comprovacao.csv", "planilha_captacao.csv")


def _touched(out: str) -> int:
    found = re.search(r"([\d,]+) project\(s\) touched", out)
    if not found:
        raise RuntimeError(f"no summary in:\n{out}")
    return int(found.group(1).replace(",", ""))


def corrected_copy(data: Path, target: Path, share: float = 0.01) -> int:
    """The whole set again, with `share` of the projects corrected; returns how many projects."""
    target.mkdir(parents=True, exist_ok=True)
    read = {name: pd.read_csv(data / name, dtype=str, keep_default_na=False) for name in NAMES}
    pronacs = read["planilha_projetos.csv"]["PRONAC"]
    chosen = set(pronacs.iloc[:: round(1 / share)])
    lines = read["planilha_orcamentaria.csv"]
    first = lines[lines["PRONAC"].isin(chosen)].drop_duplicates("PRONAC").index
    for column in ("VlUnitarioAprovado", "VlTotalAprovado"):
        lines.loc[first, column] = (lines.loc[first, column].astype(float) * 2).round(2).astype(str)
    funds = read["planilha_captacao.csv"]
    gone = funds[funds["Pronac"].isin(chosen)].drop_duplicates("Pronac").index
    read["planilha_captacao.csv"] = funds.drop(index=gone)
    for name, frame in read.items():
        frame.to_csv(target / name, index=False, lineterminator="\n")
    return len(chosen)


def gzipped_copy(data: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        with open(data / name, "rb") as source, gzip.open(target / f"{name}.gz", "wb", compresslevel=6) as sink:
            shutil.copyfileobj(source, sink)


def run(projects: int, postgres: bool, keep: Path | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        extra = {"DATABASE_URL": recreate_database("rouanet_bench_extracts")} if postgres else {}
        env = bench_env(var, **extra)
        step(env, "manage.py", "migrate", "--noinput", "-v0")
        data = (keep / f"salic-extracts-{projects}") if keep else var / "extracts"
        row: dict = {"projects": projects, "database": "postgresql" if postgres else "sqlite"}
        if not (data / NAMES[0]).exists():
            generated = salic_generate(projects=projects, seed=42, out=data, dialect="salic")
            row["rows"] = {k: v for k, v in generated.counts.items() if k in NAMES}
        row["megabytes"] = round(sum((data / name).stat().st_size for name in NAMES) / 2**20, 1)
        reference = step(env, "-m", "benchmarks.read_csv_reference", str(data))
        row["read_csv_s"] = reference["seconds"]
        command = ("manage.py", "salic_import", "--dialect", "salic", "--quiet", "--no-rescore")
        first = step(env, *command, str(data))
        row.update(import_s=first["seconds"], import_peak_mb=first["peak_rss_mb"], touched=_touched(first["out"]))
        again = step(env, *command, str(data))
        row.update(reimport_s=again["seconds"], reimport_touched=_touched(again["out"]))
        gzipped_copy(data, var / "gz")
        gz = step(env, *command, str(var / "gz"))
        row.update(reimport_gz_s=gz["seconds"], reimport_gz_touched=_touched(gz["out"]))
        row["corrected_projects"] = corrected_copy(data, var / "corrected")
        corrected = step(env, *command, str(var / "corrected"))
        row.update(corrected_s=corrected["seconds"], corrected_touched=_touched(corrected["out"]))
        row["corrected_summary"] = corrected["out"].strip().splitlines()[0]
        for name in ("import", "reimport", "reimport_gz", "corrected"):
            row[f"{name}_x_read_csv"] = round(row[f"{name}_s"] / row["read_csv_s"], 1)
        return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="reuse/keep the generated extracts in this folder")
    args = parser.parse_args()
    print(json.dumps(run(args.projects, args.postgres, args.keep)), flush=True)


if __name__ == "__main__":
    main()
