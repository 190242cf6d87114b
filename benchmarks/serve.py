"""Run the product under gunicorn against a prepared database, for load benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnop",
        "INSECURE_HTTP": "1",
        "VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "THROTTLE_ANON_CHAT": "off",  # one client address; the trivial endpoint has no throttle either
        "THROTTLE_USER_CHAT": "off",
        "LOG_LEVEL": "WARNING",
    }
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def stop(proc: subprocess.Popen) -> None:
    """Stop a process started in its own session, with everything it forked."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def rss_mb(pid: int) -> float:
    """Resident memory of one process, from /proc (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def wait_for_ping(proc: subprocess.Popen, port: int, log: Path, *, what: str, timeout: float = 60) -> None:
    """Wait until the server on `port` answers /api/ping/; fail with its log if it died or never did."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/ping/", timeout=2)
            return
        except OSError as exc:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start:\n" + log.read_text()[-3000:]) from exc
            time.sleep(0.3)


@contextmanager
def celery_worker(env: dict[str, str], log: Path):
    """A real worker on both queues, as scripts/run.sh starts it (one process, one task at a time)."""
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "default,training", "--concurrency", "1",
             "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            yield proc
        finally:
            stop(proc)


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int = 2, log: Path | None = None):
    """gunicorn with `workers` sync workers; its log goes to a file (a pipe nobody reads would fill up
    and block the workers on their next log line)."""
    # Port 0: we bind a socket the OS gives a free port and hand gunicorn the open socket, so no
    # other process can take the port between choosing it and gunicorn listening (`proc.port`).
    sock = None
    bind = f"127.0.0.1:{port}"
    if port == 0:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        sock.set_inheritable(True)
        port, bind = sock.getsockname()[1], f"fd://{sock.fileno()}"
    log = log or Path(env["VAR_DIR"]) / f"gunicorn-{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", bind,
             "--workers", str(workers), "--log-level", "warning", "--preload"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            pass_fds=(sock.fileno(),) if sock else (),
        )  # fmt: skip
        proc.port = port
        if sock:
            sock.close()  # gunicorn holds its own copy
        try:
            wait_for_ping(proc, port, log, what="gunicorn")
            yield proc
        finally:
            stop(proc)
