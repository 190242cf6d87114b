"""Fixtures shared by every app's tests."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User

from core.roles import API_CLIENTS, EDITORS, EVALUATORS

ROOT = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """Per-process caches (the production model each process loaded) must not carry one test's
    database into the next: tests pass in any order, not only the order they were written in."""
    from model_store.serving import clear_cache

    clear_cache()
    yield
    clear_cache()


def pytest_sessionstart(session):
    """Compile the pt-BR catalog when it changed (the build does it too; *.mo files are not in git)."""
    po = ROOT / "locale" / "pt_BR" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return
    try:
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
    except FileNotFoundError:
        raise pytest.UsageError("msgfmt not found: install gettext (scripts/test.sh does it)") from None
    # Django (and Python's gettext cache) may have read the catalogs already while starting: forget them.
    import gettext

    from asgiref.local import Local
    from django.utils.translation import trans_real

    gettext._translations.clear()
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()


@contextmanager
def kept_for_the_module(django_db_blocker):
    """Build data once for a whole test module: what the block writes is committed, every test of
    the module sees it (its own writes still roll back), and the database is flushed afterwards.

    Use it in a module-scoped fixture: `with kept_for_the_module(django_db_blocker): ...; yield value`.
    """
    from django.core.management import call_command

    from model_store.serving import clear_cache

    with django_db_blocker.unblock():
        try:
            yield
        finally:
            # flush re-runs post_migrate, so the role groups every test expects are back.
            call_command("flush", interactive=False, verbosity=0)
            clear_cache()


@pytest.fixture
def staff_user(db) -> User:
    return User.objects.create_user("staff", password="pw-staff-123", is_staff=True, is_superuser=True)


def _user_in(group: str, username: str) -> User:
    user = User.objects.create_user(username, password=f"pw-{username}-123", is_staff=group == EDITORS)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor_user(db) -> User:
    return _user_in(EDITORS, "editor")


@pytest.fixture
def evaluator_user(db) -> User:
    return _user_in(EVALUATORS, "evaluator")


@pytest.fixture
def api_client_user(db) -> User:
    return _user_in(API_CLIENTS, "apiclient")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def _database_url() -> str:
    from django.db import connection

    cfg = connection.settings_dict
    if cfg["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{cfg['NAME']}"
    user = cfg.get("USER") or ""
    auth = f"{user}:{cfg['PASSWORD']}@" if cfg.get("PASSWORD") else (f"{user}@" if user else "")
    return f"postgres://{auth}{cfg.get('HOST') or '127.0.0.1'}:{cfg.get('PORT') or 5432}/{cfg['NAME']}"


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_bind() -> tuple[int, list[str], int]:
    """(port, gunicorn --bind arguments, fd to pass) for a socket this process binds and listens on.

    The child inherits the listening socket (`fd://N`), so no other process can take the port between
    choosing it and the child listening, as with a port number from free_port().
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    _LISTENERS.append(sock)  # open until the session ends: the fd number must stay valid for the child
    return sock.getsockname()[1], ["--bind", f"fd://{sock.fileno()}"], sock.fileno()


_LISTENERS: list[socket.socket] = []


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not reached within {timeout:.0f} s")
        time.sleep(interval)


def http(method: str, url: str, body: dict | None = None, headers: dict | None = None, timeout: float = 30):
    """(status, JSON body or text, seconds taken) of one request; redirects are not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    started = time.monotonic()
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    elapsed = time.monotonic() - started
    try:
        return status, json.loads(raw), elapsed
    except ValueError:
        return status, raw.decode(errors="replace"), elapsed


def wait_until_serving(base: str, *, timeout: float = 60) -> None:
    """Wait until a web process at `base` answers /healthz (the database up) with a 200."""

    def up() -> bool:
        try:
            return http("GET", f"{base}/healthz?broker=0", timeout=5)[0] == 200
        except OSError:
            return False

    wait_until(up, timeout=timeout, what="web process answers")


def process_env(**overrides: str) -> dict[str, str]:
    """Environment of a web, worker or beat process serving the test database with production settings."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "INSECURE_HTTP": "1",
        "VAR_DIR": str(settings.VAR_DIR),
        "MODEL_STORE_HEARTBEAT_INTERVAL": "1",
        "FAQ_RETRAIN_DEBOUNCE_SECONDS": "1",
        **overrides,
    }


CELERY_WORKER_ARGS = [
    "-m",
    "celery",
    "-A",
    "config",
    "worker",
    "--pool=solo",
    "--purge",
    "--without-gossip",
    "--without-mingle",
    "--loglevel=INFO",
    "-Q",
    "default,training",
]


@pytest.fixture
def spawn():
    """Start processes that are stopped at teardown: `spawn(name, argv, env=..., pass_fds=...) -> Popen`.

    Output goes to `VAR_DIR/test-<name>.log`; `spawn.log(name)` reads it (readiness, failure messages).
    """
    started: list[tuple[subprocess.Popen, object]] = []

    def start(name: str, argv: list[str], *, env: dict[str, str], pass_fds: tuple[int, ...] = ()) -> subprocess.Popen:
        log = open(settings.VAR_DIR / f"test-{name}.log", "w")  # noqa: SIM115 - closed in teardown
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, pass_fds=pass_fds)
        started.append((proc, log))
        return proc

    start.log = lambda name: (settings.VAR_DIR / f"test-{name}.log").read_text()
    try:
        yield start
    finally:
        for proc, log in reversed(started):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=15)
            log.close()


def start_celery_worker(spawn, name: str = "worker", *, argv: list[str] | None = None, **env: str) -> subprocess.Popen:
    """A real worker on the configured broker; returns once it answered a ping (60 s at most).

    `argv` replaces the default command line (`python -m celery … worker`), e.g. to inject a fault.
    """
    from config.celery import ping

    proc = spawn(name, argv or [sys.executable, *CELERY_WORKER_ARGS], env=process_env(**env))
    deadline = time.monotonic() + 60
    while True:
        try:
            # Short waits: the worker purges the queues as it starts, so a ping sent before is lost.
            if ping.apply_async().get(timeout=1) == "pong":
                return proc
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Celery worker did not start:\n{spawn.log(name)[-3000:]}")


@pytest.fixture
def celery_worker_process(transactional_db, spawn):
    """A real `celery -A config worker` process on the configured broker and the test database.

    Never skips: if no worker answers within 60 s the test fails, so CI cannot pass without one.
    """
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield start_celery_worker(spawn)
    finally:
        app.conf.task_always_eager = previous


@pytest.hookimpl(tryfirst=True)  # before the tmp_path plugin reads the option
def pytest_configure(config):
    """tmp_path folders under this run's VAR_DIR: pytest keeps only the last three
    /tmp/pytest-of-<user>/pytest-N folders, so a concurrent run would delete this run's files."""
    if config.option.basetemp is None:
        config.option.basetemp = str(settings.VAR_DIR / "tmp")


@pytest.hookimpl(trylast=True)  # after pytest-django destroyed the test database
def pytest_sessionfinish(session, exitstatus):
    _ci_checks(session, exitstatus)
    # The run's own var/test/<run> folder (database, broker, process logs) stays only when it failed.
    if getattr(settings, "TEST_VAR_DIR_PER_RUN", False) and session.exitstatus == 0:
        shutil.rmtree(settings.VAR_DIR, ignore_errors=True)


def _ci_checks(session, exitstatus) -> None:
    """In CI a skipped test or a run without integration tests is a failure, not a pass."""
    if not os.environ.get("CI") or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    stats = reporter.stats if reporter else {}
    skipped = stats.get("skipped", [])
    ran_integration = any("integration" in getattr(r, "keywords", {}) for r in stats.get("passed", []))
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; every service must be available in CI.", red=True)
        session.exitstatus = 1
    elif os.environ.get("REQUIRE_INTEGRATION") and not ran_integration:
        reporter.write_line("CI: no integration test ran.", red=True)
        session.exitstatus = 1


BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A Playwright page in Debian's headless chromium, pointed at the live test server."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls made by the test
    # between browser steps are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="pt-BR")
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        try:
            yield page
        finally:
            context.close()
            browser.close()
