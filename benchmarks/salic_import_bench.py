"""Benchmark of `salic_import` at DESIGN's scale (42k projects, ~2M budget lines).

Run it as a module from the repository root, against the configured database, e.g.::

    SECRET_KEY=bench INSECURE_HTTP=1 DATABASE_URL=postgres://… .venv/bin/python -m benchmarks.salic_import_bench --reset --cleanup

(as a module, so the repository root is on sys.path and the project's packages import).

It generates the data set once (into --data, reused on later runs), then runs the import twice in
fresh processes — a first import into empty tables and an identical re-import — and prints
seconds, rows per second and the peak resident memory of each process (ru_maxrss from wait4,
so the figure belongs to that process alone; the database server's own memory is not included).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ("projects.csv", "budget_lines.csv", "receipts.csv", "fundraising.csv")


def run_measured(args: list[str]) -> dict[str, float]:
    """Run a manage.py command in a child process; wall seconds and that child's peak RSS (MB)."""
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024)}  # Linux: KB


def salic_tables() -> list[str]:
    from django.apps import apps

    return [model._meta.db_table for model in apps.get_app_config("salic_ml").get_models()]


def clear_salic_data() -> None:
    """Delete every row of salic_ml's tables, and the import snapshots no model was trained on."""
    from django.db import connection, transaction

    from model_store.models import DatasetSnapshot
    from salic_ml.ingest.snapshot import FORMAT

    tables = salic_tables()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
        else:
            for table in reversed(tables):  # children before parents
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        DatasetSnapshot.objects.filter(kind="salic", extra__format=FORMAT, versions__isnull=True).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=42_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "salic-bench-42k")
    parser.add_argument("--reset", action="store_true", help="delete existing SALIC data before measuring")
    parser.add_argument("--cleanup", action="store_true", help="delete the imported SALIC data afterwards")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from salic_ml.models import Project

    results: dict[str, object] = {"database": connection.vendor, "projects": options.projects, "seed": options.seed}
    if not all((options.data / name).exists() for name in FILES):
        results["generate"] = run_measured(
            [
                "salic_generate",
                "--projects",
                str(options.projects),
                "--seed",
                str(options.seed),
                "--out",
                str(options.data),
            ]
        )
    rows = {name: sum(1 for _ in (options.data / name).open("rb")) - 1 for name in FILES}
    results["rows"] = rows
    total = sum(rows.values())

    if Project.objects.exists():
        if not options.reset:
            raise SystemExit("the database already has SALIC projects; use --reset to delete them first")
        clear_salic_data()
    connection.close()  # the children open their own connections
    try:
        for label in ("first_import", "reimport"):
            measured = run_measured(["salic_import", str(options.data), "--quiet"])
            measured["rows_per_second"] = round(total / measured["seconds"])
            results[label] = measured
    finally:
        if options.cleanup:
            clear_salic_data()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
