"""CPU time per request through the WSGI handler (no HTTP server): ping, parse and a chat turn.

    python -m benchmarks.request_cost [--backend sqlite|postgres] [--profile parse|chat]

Throughput under wrk on a shared 2-core machine moves with whatever else runs; the CPU time one
process spends per request (`time.process_time`, the best of several batches) moves much less, so
this is where the parse path's cost is read and profiled. Gunicorn's own per-request work (HTTP
parsing, the socket) comes on top of every row alike, so the ratios here are a little larger than
the throughput ratios of `benchmarks.live`. A fresh database with the demo FAQ is built first.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.live import QUESTIONS
from benchmarks.serve import bench_env, manage
from benchmarks.stack import recreate_database, services_available

DATABASE = "rouanet_bench_cost"


def prepare(var: Path, backend: str) -> dict[str, str]:
    extra = {"DATABASE_URL": recreate_database(DATABASE) if backend == "postgres" else ""}
    env = bench_env(var, **extra)
    manage(env, "migrate", "-v0")
    manage(env, "faq_demo")
    return env


def measure(batches: int, size: int, profile: str | None) -> dict:
    """Runs inside the prepared environment (a child process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    statuses: list[str] = []

    def call(method: str, path: str, body: dict | None = None) -> None:
        raw = json.dumps(body).encode() if body is not None else b""
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000", "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(raw),
            "CONTENT_LENGTH": str(len(raw)), "CONTENT_TYPE": "application/json", "wsgi.url_scheme": "http",
            "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_ACCEPT": "*/*",
        }  # fmt: skip
        b"".join(app(environ, lambda status, headers: statuses.append(status)))

    kinds: dict[str, Callable[[int], None]] = {
        "ping": lambda i: call("GET", "/api/ping/"),
        "parse": lambda i: call("POST", "/api/faq/parse/", {"text": QUESTIONS[i % len(QUESTIONS)]}),
        "chat": lambda i: call("POST", "/api/faq/chat/", {"message": QUESTIONS[i % len(QUESTIONS)]}),
    }
    for run in kinds.values():
        for i in range(100):
            run(i)
    if not all(s.startswith("200") for s in statuses):
        raise RuntimeError(f"non-200 answers: {sorted(set(statuses))}")
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(size):
            kinds[profile](i)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats(os.environ.get("SORT", "tottime")).print_stats(int(os.environ.get("TOP", "25")))
    best = dict.fromkeys(kinds, float("inf"))
    for _ in range(batches):
        for name, run in kinds.items():
            started = time.process_time()
            for i in range(size):
                run(i)
            best[name] = min(best[name], (time.process_time() - started) / size * 1000)
    return {
        "cpu_ms": {name: round(ms, 3) for name, ms in best.items()},
        "parse_over_ping": round(best["parse"] / best["ping"], 2),
        "chat_over_parse": round(best["chat"] / best["parse"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["auto", "postgres", "sqlite"], default="auto")
    parser.add_argument("--batches", type=int, default=7)
    parser.add_argument("--size", type=int, default=300, help="requests per batch")
    parser.add_argument("--profile", choices=["ping", "parse", "chat"], help="cProfile one kind (to stderr)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        print(json.dumps(measure(args.batches, args.size, args.profile)))
        return
    backend = args.backend
    if backend == "auto":
        backend = "postgres" if services_available() else "sqlite"
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        env = prepare(Path(tmp), backend)
        argv = [sys.executable, "-m", "benchmarks.request_cost", "--inside", "--batches", str(args.batches),
                "--size", str(args.size)] + (["--profile", args.profile] if args.profile else [])  # fmt: skip
        out = subprocess.run(argv, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    print(json.dumps({"backend": backend, **json.loads(out.strip().splitlines()[-1])}))


if __name__ == "__main__":
    main()
