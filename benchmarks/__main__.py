"""One entry point for every number in DESIGN §6, each next to a reference measured in the same run.

    .venv/bin/python -m benchmarks            # full suite (~30–40 min), rewrites BENCHMARKS.md
    .venv/bin/python -m benchmarks --quick    # smoke run (< 3 min), writes var/benchmarks/quick.md

Every part runs in its own process and may crash without stopping the others; the exit status is 1
only when a part crashed. A missed target is reported, never turned into a failure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchmarks import summary
from benchmarks.report import machine_description, terminal_table
from benchmarks.serve import ROOT, bench_env
from benchmarks.stack import services_available


@dataclass(frozen=True)
class Plan:
    faq_sizes: list[int]
    quality_seeds: list[int]
    live: list[str]
    salic_sizes: list[int]
    probe_requests: int


QUICK = Plan(
    faq_sizes=[25, 100],
    quality_seeds=[42],
    live=["--seconds", "2", "--soak", "5", "--warmup", "2", "--salic-projects", "300", "--workers", "1", "2"],
    salic_sizes=[500],
    probe_requests=30,
)
FULL = Plan(
    faq_sizes=[25, 50, 100, 200, 400],
    quality_seeds=[42, 7, 2026],
    live=["--seconds", "10", "--soak", "60", "--warmup", "10", "--salic-projects", "3000"],
    salic_sizes=[5000, 10000, 20000, 42000, 100000],
    probe_requests=200,
)


def run_part(name: str, args: list[str], env: dict[str, str], timeout: float) -> tuple[list[dict], str]:
    """Run `python -m benchmarks.<name> ARGS`; every stdout line that is JSON is one result."""
    print(f"→ {name} {' '.join(args)}", flush=True)
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", f"benchmarks.{name}", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return [], f"{name}: timed out after {timeout:.0f} s"
    results = []
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            results.append(json.loads(line))
    print(f"  {name}: {time.monotonic() - started:.0f} s", flush=True)
    if proc.returncode != 0:
        return results, f"{name} exited {proc.returncode}:\n{proc.stderr[-2500:]}"
    return results, ""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes, short loads (CI smoke check)")
    parser.add_argument("--backend", choices=["auto", "postgres", "sqlite"], default="auto")
    parser.add_argument("--only", nargs="+", choices=["faq_speed", "faq_quality", "live", "salic_scale"])
    parser.add_argument("--keep", type=Path, default=ROOT / "var" / "bench-data", help="generated SALIC CSVs")
    parser.add_argument("--render", action="store_true", help="only rewrite the report from the last results")
    parser.add_argument("--out", type=Path, help="markdown report (default: BENCHMARKS.md, quick: var/benchmarks/)")
    args = parser.parse_args()

    plan = QUICK if args.quick else FULL
    backend = args.backend
    if backend == "auto":
        backend = "postgres" if services_available() else "sqlite"
    out = args.out or (ROOT / "var" / "benchmarks" / "quick.md" if args.quick else ROOT / "BENCHMARKS.md")
    var = ROOT / "var" / "benchmarks"
    var.mkdir(parents=True, exist_ok=True)
    args.keep.mkdir(parents=True, exist_ok=True)
    env = bench_env(var, DJANGO_SETTINGS_MODULE="config.test_settings")  # in-process parts need no database
    hours = 4 * 3600
    parts = {
        "faq_speed": (["--intents", *map(str, plan.faq_sizes)], env, 1800),
        "faq_quality": (["--seeds", *map(str, plan.quality_seeds)], env, 1800),
        "live": ([*plan.live, "--backend", backend], bench_env(var), 1800),
        "salic_scale": (
            [
                "--sizes",
                *map(str, plan.salic_sizes),
                "--keep",
                str(args.keep),
                "--probe-requests",
                str(plan.probe_requests),
                *(["--postgres"] if backend == "postgres" else []),
            ],
            bench_env(var),
            hours,
        ),
    }
    raw = var / "quick.json" if args.quick else ROOT / "benchmarks" / "results.json"
    started = time.monotonic()
    results: dict[str, list[dict]] = {}
    rerun: dict[str, str] = {}
    first_elapsed = 0.0
    if args.only and not args.quick and raw.exists():
        # Rerunning some parts of a full run: the other parts keep their last results (and say so).
        previous = json.loads(raw.read_text())
        results = {name: rows for name, rows in previous["results"].items() if name not in args.only}
        rerun = {**previous["context"].get("rerun", {}), **{name: date.today().isoformat() for name in args.only}}
        first_elapsed = previous["context"]["elapsed_s"]
    errors: dict[str, str] = {}
    if args.render:
        previous = json.loads(raw.read_text())
        out.write_text(
            summary.markdown(
                previous["context"], previous["results"], summary.design_rows(previous["results"]), previous["errors"]
            )
        )
        print(f"rewrote {out} from {raw}")
        return
    for name, (part_args, part_env, timeout) in parts.items():
        if args.only and name not in args.only:
            continue
        results[name], error = run_part(name, part_args, part_env, timeout)
        if error:
            errors[name] = error
            print(error, file=sys.stderr, flush=True)
    elapsed = time.monotonic() - started

    context = {
        "mode": "quick" if args.quick else "full",
        "backend": backend,
        "date": date.today().isoformat(),
        "machine": machine_description(),
        "elapsed_s": first_elapsed or elapsed,  # a partial rerun keeps the full run's duration
        "command": "python -m benchmarks" + (" --quick" if args.quick else ""),
        "rerun": rerun,
    }
    rows = summary.design_rows(results)
    print()
    print(terminal_table(rows))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(summary.markdown(context, results, rows, errors))
    raw.write_text(json.dumps({"context": context, "results": results, "errors": errors}))
    print(f"\n{len(rows)} rows in {elapsed:.0f} s → {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if errors:
        print(f"crashed: {', '.join(errors)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
