"""/api/faq/parse/ throughput under gunicorn (2 workers) vs a trivial DRF endpoint, same run.

    .venv/bin/python -m benchmarks.faq_throughput [--seconds 10]

Uses a throwaway SQLite database in a temp dir (or DATABASE_URL if set), our demo FAQ content and a
freshly trained model; wrk runs on the same machine.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from benchmarks import wrk
from benchmarks.serve import ROOT, bench_env, gunicorn, manage

QUESTIONS = [
    "esqueci minha senha do salic",
    "qual o prazo para prestar contas?",
    "como faço para captar recursos",
    "empresa pode deduzir quanto do imposto",
    "oi, bom dia",
    "o que é o pronac do meu projeto",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(Path(tmp))
        manage(env, "migrate", "--noinput", "-v0")
        folder = ROOT / "fixtures" / "faq"
        manage(env, "faq_import", str(folder / "content.json"), str(folder / "golden.json"))
        manage(env, "faq_train", "--wait")
        with gunicorn(env, args.port):
            base = f"http://127.0.0.1:{args.port}"
            wrk.run(f"{base}/api/ping/", seconds=2)
            wrk.run(f"{base}/api/faq/parse/", seconds=2, bodies=[{"text": q} for q in QUESTIONS])
            trivial = wrk.run(f"{base}/api/ping/", seconds=args.seconds)
            parse = wrk.run(f"{base}/api/faq/parse/", seconds=args.seconds, bodies=[{"text": q} for q in QUESTIONS])
    result = {
        "trivial_drf": trivial,
        "parse": parse,
        "ratio": round(parse["rps"] / trivial["rps"], 3),
        "target_ratio": 0.6,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
