"""SALIC at scale: generate → import → full train + score → rescore one project → read paths → memory.

    .venv/bin/python -m benchmarks.salic_scale --sizes 5000 10000 20000 42000 100000 [--postgres]

Each size runs in a fresh database: a temp SQLite file, or with --postgres a database
`rouanet_bench` (or --database NAME) on 127.0.0.1:5432 (dropped and recreated). Every step is a separate process;
wall time and its peak RSS (from wait4) are reported. The import's reference, in the same run:
`pandas.read_csv` of the same files (`benchmarks.read_csv_reference`). The web process memory with
both models loaded is measured on the same database after importing and training the FAQ demo.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.serve import ROOT, bench_env
from benchmarks.stack import recreate_database


def step(env: dict[str, str], *args: str) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{out[-2000:]}\n{err[-3000:]}")
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "out": out,
    }


def count_rows(path: Path) -> int:
    with open(path, encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def one_project_change(data: Path, target: Path) -> None:
    with open(data / "budget_lines.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        first = next(reader)
        fields = reader.fieldnames
    first["unit_price_approved"] = f"{float(first['unit_price_approved']) * 30:.2f}"
    first["total_approved"] = ""
    target.mkdir(exist_ok=True)
    with open(target / "budget_lines.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerow(first)


def run_size(
    n: int, postgres: bool, keep: Path | None, probe_requests: int = 200, database: str = "rouanet_bench"
) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        extra = {"DATABASE_URL": recreate_database(database)} if postgres else {}
        env = bench_env(var, **extra)
        step(env, "manage.py", "migrate", "--noinput", "-v0")
        step(env, "manage.py", "collectstatic", "--noinput", "-v0")  # the dashboards need the manifest
        data = (keep / f"salic-{n}") if keep else var / "data"
        row = {"projects": n, "database": "postgresql" if postgres else "sqlite"}
        if not (data / "projects.csv").exists():
            row["generate_s"] = step(
                env, "manage.py", "salic_generate", "--projects", str(n), "--seed", "42", "--out", str(data)
            )["seconds"]
        reference = step(env, "-m", "benchmarks.read_csv_reference", str(data))
        row.update(read_csv_s=reference["seconds"], read_csv_peak_mb=reference["peak_rss_mb"])
        imp = step(env, "manage.py", "salic_import", str(data))
        row["lines"] = count_rows(data / "budget_lines.csv")
        row["receipts"] = count_rows(data / "receipts.csv")
        row.update(import_s=imp["seconds"], import_peak_mb=imp["peak_rss_mb"])
        train = step(env, "manage.py", "salic_train", "--wait", "--json")
        row.update(train_s=train["seconds"], train_peak_mb=train["peak_rss_mb"])
        one_project_change(data, var / "change")
        step(env, "manage.py", "salic_import", str(var / "change"), "--append")
        rescore = step(env, "manage.py", "salic_rescore")
        row.update(rescore_s=rescore["seconds"], rescore_run=rescore["out"].strip())
        probe = step({**env, "PROBE_REQUESTS": str(probe_requests)}, "-m", "benchmarks.salic_probe")
        row["reads"] = json.loads(probe["out"].strip().splitlines()[-1])
        folder = ROOT / "fixtures" / "faq"
        step(env, "manage.py", "faq_import", str(folder / "content.json"), str(folder / "golden.json"))
        step(env, "manage.py", "faq_train", "--wait")
        memory = step(env, "-m", "benchmarks.memory_probe")
        row["memory"] = json.loads(memory["out"].strip().splitlines()[-1])
        return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="reuse/keep generated CSVs in this folder")
    parser.add_argument("--probe-requests", type=int, default=200)
    parser.add_argument(
        "--database", default="rouanet_bench", help="PostgreSQL database to drop and recreate (one per concurrent run)"
    )
    args = parser.parse_args()
    for n in args.sizes:
        print(json.dumps(run_size(n, args.postgres, args.keep, args.probe_requests, args.database)), flush=True)


if __name__ == "__main__":
    main()
