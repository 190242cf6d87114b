"""Socket.IO channel under load: N concurrent rasa-webchat-like clients, next to the REST webhook.

    python -m benchmarks.socketio_load [--clients 50] [--messages 10] [--backend sqlite|postgres]

Loopback only and bounded: every client sends `--messages` messages one after the other (waiting for
the whole answer each time), so a run sends clients × messages messages per channel. Measured on the
same stack (demo FAQ content, a trained model, throttles off):

- Socket.IO on the ASGI process (uvicorn, config.asgi), websocket transport as the widget upgrades to;
- Rasa's REST webhook on the same uvicorn process;
- Rasa's REST webhook on gunicorn (2 sync workers, config.wsgi), the web process of the README.

Round trip: from sending a message to receiving the last bot message of its answer (Socket.IO) or
the HTTP response (REST). Messages per second: all messages of a channel over its wall time.
"""

from __future__ import annotations

import argparse
import json
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from benchmarks.serve import ROOT, gunicorn, manage, stop, wait_for_ping
from benchmarks.stack import backend_env, services_available

QUESTIONS = [
    "qual o prazo para prestar contas?",
    "como faço para captar recursos?",
    "esqueci minha senha do salic",
    "o que é a lei rouanet?",
    "quem pode patrocinar um projeto?",
]
WAIT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def uvicorn(env: dict[str, str], port: int, log: Path):
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--no-server-header", "--no-proxy-headers", "--log-level", "warning", "--timeout-graceful-shutdown", "3"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            wait_for_ping(proc, port, log, what="uvicorn")
            yield proc
        finally:
            stop(proc)


class WidgetClient:
    def __init__(self, base: str) -> None:
        import socketio

        self.events: queue.Queue = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("bot_uttered", lambda data: self.events.put(data))
        self.sio.on("session_confirm", lambda data: self.events.put({"session": data}))
        self.sio.connect(base, socketio_path="/socket.io/", transports=["websocket"], wait_timeout=WAIT_SECONDS)
        self.sio.emit("session_request", {"session_id": None})
        self.session = self.events.get(timeout=WAIT_SECONDS)["session"]

    def ask(self, text: str, expect: int) -> float:
        started = time.perf_counter()
        self.sio.emit("user_uttered", {"message": text, "session_id": self.session})
        for _ in range(expect):
            self.events.get(timeout=WAIT_SECONDS)
        return time.perf_counter() - started

    def close(self) -> None:
        self.sio.disconnect()


def bubbles_per_question(base: str) -> dict[str, int]:
    """How many bot_uttered events each question gets (one calm client, answers settle in 1 s)."""
    client = WidgetClient(base)
    counts = {}
    try:
        for text in QUESTIONS:
            client.sio.emit("user_uttered", {"message": text, "session_id": client.session})
            n = 0
            try:
                client.events.get(timeout=WAIT_SECONDS)
                n = 1
                while True:
                    client.events.get(timeout=1.0)
                    n += 1
            except queue.Empty:
                pass
            counts[text] = n
    finally:
        client.close()
    if not all(counts.values()):
        raise RuntimeError(f"some questions got no answer over Socket.IO: {counts}")
    return counts


def run_clients(clients: int, work) -> tuple[list[float], float, list[str]]:
    """Start `clients` threads running `work(i, times)`; (round trips, wall seconds, error texts)."""
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def thread(i: int) -> None:
        mine: list[float] = []
        try:
            work(i, mine, barrier)
        except Exception as exc:  # counted and reported, never hidden
            errors.append(f"{type(exc).__name__}: {exc}")
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    barrier.wait(timeout=120)  # everybody connected
    started = time.perf_counter()
    for t in threads:
        t.join(timeout=600)
    return times, time.perf_counter() - started, errors


def socketio_load(base: str, clients: int, messages: int, bubbles: dict[str, int]):
    def work(i: int, times: list[float], barrier: threading.Barrier) -> None:
        try:
            client = WidgetClient(base)
        except Exception:
            barrier.wait(timeout=120)
            raise
        barrier.wait(timeout=120)
        try:
            for k in range(messages):
                text = QUESTIONS[(i + k) % len(QUESTIONS)]
                times.append(client.ask(text, bubbles[text]))
        finally:
            client.close()

    return run_clients(clients, work)


def rest_load(base: str, clients: int, messages: int):
    def work(i: int, times: list[float], barrier: threading.Barrier) -> None:
        barrier.wait(timeout=120)
        for k in range(messages):
            body = json.dumps({"sender": f"bench-{i}", "message": QUESTIONS[(i + k) % len(QUESTIONS)]}).encode()
            request = urllib.request.Request(
                f"{base}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:
                if response.status != 200 or not json.load(response):
                    raise RuntimeError(f"REST webhook answered {response.status} without messages")
            times.append(time.perf_counter() - started)

    return run_clients(clients, work)


def summary(name: str, times: list[float], wall: float, errors: list[str]) -> dict:
    ordered = sorted(times)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)] if ordered else None
    return {
        "channel": name,
        "messages": len(times),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "messages_per_s": round(len(times) / wall, 1) if wall else None,
        "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p95_ms": round(p95 * 1000, 1) if p95 is not None else None,
        "wall_s": round(wall, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--messages", type=int, default=10, help="messages per client (bounded loop)")
    parser.add_argument("--backend", choices=["auto", "sqlite", "postgres"], default="sqlite")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary VAR_DIR (server logs)")
    args = parser.parse_args(argv)
    backend = args.backend
    if backend == "auto":
        backend = "postgres" if services_available() else "sqlite"
    tmp = tempfile.mkdtemp(prefix="socketio-bench-")
    try:
        var = Path(tmp)
        env = backend_env(var, backend, "rouanet_bench_socketio", THROTTLE_ANON_POLL="off", FAQ_HANDOFF_ENABLED="0")
        manage(env, "migrate", "--noinput", "-v0")
        folder = ROOT / "fixtures" / "faq"
        manage(env, "faq_import", str(folder / "content.json"), str(folder / "golden.json"), str(folder / "dialogue"))
        manage(env, "faq_train", "--wait")
        asgi_port, wsgi_port = free_port(), free_port()
        results = []
        with uvicorn(env, asgi_port, var / "uvicorn.log"), gunicorn(env, wsgi_port):
            asgi = f"http://127.0.0.1:{asgi_port}"
            bubbles = bubbles_per_question(asgi)
            rest_load(asgi, 5, 2)  # warm-up: models loaded, connections open
            results.append(summary("Socket.IO (uvicorn)", *socketio_load(asgi, args.clients, args.messages, bubbles)))
            results.append(summary("REST webhook (same uvicorn)", *rest_load(asgi, args.clients, args.messages)))
            wsgi = f"http://127.0.0.1:{wsgi_port}"
            rest_load(wsgi, 5, 2)
            results.append(summary("REST webhook (gunicorn, 2 workers)", *rest_load(wsgi, args.clients, args.messages)))
    finally:
        if args.keep:
            print(f"VAR_DIR kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"backend {backend}, {args.clients} concurrent clients × {args.messages} messages each, loopback")
    print("| channel | messages | errors | messages/s | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['channel']} | {r['messages']} | {r['errors']} | {r['messages_per_s']} | {r['p50_ms']} | {r['p95_ms']} |"
        )
    for r in results:
        if r["first_error"]:
            print(f"{r['channel']}: {r['errors']} client(s) failed, first: {r['first_error']}")
    if args.json:
        args.json.write_text(json.dumps({"backend": backend, "clients": args.clients, "results": results}, indent=2))
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
