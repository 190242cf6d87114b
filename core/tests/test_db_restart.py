"""The database restarted under a running web process: requests recover without restarting it.

The test runs its own throwaway PostgreSQL cluster on a free port (in both CI configurations), so
restarting it never touches the shared server. gunicorn serves with production settings:
persistent connections (CONN_MAX_AGE) checked before reuse (CONN_HEALTH_CHECKS).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from conftest import free_port, gunicorn_bind, http, wait_until, wait_until_serving

pytestmark = pytest.mark.integration


def _postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    assert versions, "PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin)"
    return versions[-1].parent


class PostgresCluster:
    """initdb + pg_ctl in a temporary directory, run as the `postgres` OS user when we are root."""

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.root = Path(tempfile.mkdtemp(prefix="rouanet-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    def pg_ctl(self, mode: str, *args: str) -> None:
        # Every start names the log and the port (pg_ctl keeps neither across a stop), and the
        # server never inherits our pipes, or reading pg_ctl's output would wait for the server.
        argv = [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args]
        if mode in {"start", "restart"}:
            options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root}"
            argv += ["-l", str(self.root / "server.log"), "-o", f"{options} -c fsync=off"]
        done = subprocess.run([*argv, mode], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90)
        assert done.returncode == 0, f"pg_ctl {mode}: {done.stdout}{done.stderr}{self.log()}"

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text()[-2000:] if path.exists() else ""

    def init(self) -> None:
        argv = [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync"]
        subprocess.run([*self.as_owner, *argv, "-E", "UTF8"], check=True, capture_output=True, timeout=120)
        self.pg_ctl("start")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def pg_cluster():
    cluster = PostgresCluster()
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.destroy()


def test_requests_recover_after_the_database_restarts_without_restarting_the_web_process(pg_cluster, spawn):
    pg_cluster.create_database("rouanet")
    var = settings.VAR_DIR / "db-restart"
    var.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=pg_cluster.url("rouanet"),
        SECRET_KEY=settings.SECRET_KEY,
        INSECURE_HTTP="1",
        VAR_DIR=str(var),
        MODEL_STORE_CHECK_SECONDS="1",
        THROTTLE_ANON_CHAT="off",
    )
    manage = [sys.executable, "manage.py"]
    for step in (
        ["migrate", "--noinput"],
        ["shell", "-c", "from faq_bot.tests.conftest import build_content; build_content()"],
        ["faq_train", "--wait"],
    ):
        done = subprocess.run([*manage, *step], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{step}: {done.stdout[-2000:]}{done.stderr[-2000:]}"

    port, bind, fd = gunicorn_bind()
    base = f"http://127.0.0.1:{port}"
    gunicorn = ["-m", "gunicorn", "config.wsgi", *bind, "--threads", "2", "--timeout", "60"]
    spawn("db-restart-web", [sys.executable, *gunicorn], env=env, pass_fds=(fd,))

    wait_until_serving(base)

    def ask(kind: str) -> tuple[int, object]:
        if kind == "parse":
            status, body, _ = http("POST", f"{base}/api/faq/parse/", {"text": "esqueci minha senha"})
            return status, body
        status, body, _ = http("POST", f"{base}/api/faq/chat/", {"message": "qual o prazo da prestação de contas"})
        return status, body

    def round_of_requests() -> list[tuple[int, object]]:
        # two at a time, so both gunicorn threads (each with its own persistent connection) serve
        with ThreadPoolExecutor(max_workers=2) as pool:
            return list(pool.map(ask, ["chat", "chat", "parse", "chat", "parse", "chat"]))

    def assert_all_answered(replies: list[tuple[int, object]], when: str) -> None:
        failed = [(status, body) for status, body in replies if status != 200]
        assert not failed, f"{when}: {failed}\n{spawn.log('db-restart-web')[-3000:]}"
        chats = [body for status, body in replies if isinstance(body, dict) and "answer" in body]
        assert chats and all(body["intent"] == "prazo_contas" for body in chats)

    assert_all_answered(round_of_requests(), "before the restart")
    pg_cluster.pg_ctl("restart", "-m", "fast")
    assert_all_answered(round_of_requests(), "right after the restart")  # no request may fail

    pg_cluster.pg_ctl("stop", "-m", "fast")
    status, health, _ = http("GET", f"{base}/healthz?broker=0")
    assert status == 503 and health["database"]["ok"] is False, health
    # While it is down: parsing needs no database and keeps answering from the model in memory;
    # the chat must log the conversation, so it says "try again" with a 503, never a 500.
    # Parse keeps answering across two of the web process's version checks (MODEL_STORE_CHECK_SECONDS=1),
    # each of which now finds the database gone.
    down_since = time.monotonic()

    def parsed_past_two_checks() -> bool:
        status, body, _ = http("POST", f"{base}/api/faq/parse/", {"text": "esqueci minha senha"})
        assert status == 200 and body["intent"]["name"] == "senha", (status, body)
        return time.monotonic() - down_since > 2.2

    wait_until(parsed_past_two_checks, timeout=60, interval=0.2, what="parse answered past two version checks")
    status, body, _ = http("POST", f"{base}/api/faq/chat/", {"message": "qual o prazo da prestação de contas"})
    assert status == 503 and "indisponível" in body["detail"], (status, body)
    pg_cluster.pg_ctl("start")
    assert_all_answered(round_of_requests(), "after the database was down and came back")
    status, health, _ = http("GET", f"{base}/healthz?broker=0")
    assert (
        status == 200 and health["database"]["ok"] is True and health["models"]["versions"]["faq_intent"]["loaded"] == 1
    ), health
