"""The product running for real, for load benchmarks: a prepared database, a Celery worker, gunicorn.

Backend "postgres": PostgreSQL database `rouanet_bench_live` (dropped and recreated) and Redis
databases 5 (broker) and 6 (cache) on the local services. Backend "sqlite": the embedded default
(SQLite file + filesystem broker in a temp dir), as the README's first command runs it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.serve import ROOT, bench_env, celery_worker, gunicorn, manage

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379"


def services_available() -> bool:
    """PostgreSQL and Redis both answer on their usual local ports."""
    try:
        import psycopg
        import redis

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            pass
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping())
    except Exception:
        return False


def recreate_database(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def flush_redis(*dbs: int) -> None:
    import redis

    for db in dbs:
        redis.Redis.from_url(f"{REDIS}/{db}").flushdb()


def backend_env(var: Path, backend: str, database: str, **extra: str) -> dict[str, str]:
    if backend == "postgres":
        flush_redis(5, 6)
        extra = {
            "DATABASE_URL": recreate_database(database),
            "CELERY_BROKER_URL": f"{REDIS}/5",
            "REDIS_URL": f"{REDIS}/6",
            **extra,
        }
    return bench_env(var, **extra)


def django_json(env: dict[str, str], module: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


@dataclass
class Stack:
    backend: str
    base: str
    env: dict[str, str]
    web: subprocess.Popen
    worker: subprocess.Popen
    editor: str
    password: str
    token: str
    pronacs: list[str]
    projects: int


@contextmanager
def running_stack(var: Path, *, backend: str, port: int, salic_projects: int) -> Iterator[Stack]:
    """Migrate, load the FAQ demo content and a trained model, SALIC demo data and its model; serve."""
    env = backend_env(var, backend, "rouanet_bench_live")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")  # the admin's pages need the manifest
    folder = ROOT / "fixtures" / "faq"
    manage(env, "faq_import", str(folder / "content.json"), str(folder / "golden.json"))
    manage(env, "faq_train", "--wait")
    manage(env, "salic_demo", "--projects", str(salic_projects))
    users = django_json(env, "benchmarks.stack_setup", "users")
    with celery_worker(env, var / "worker.log") as worker, gunicorn(env, port) as web:
        yield Stack(
            backend=backend,
            base=f"http://127.0.0.1:{web.port}",
            env=env,
            web=web,
            worker=worker,
            editor=users["editor"],
            password=users["password"],
            token=users["token"],
            pronacs=users["pronacs"],
            projects=users["projects"],
        )
