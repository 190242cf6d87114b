"""Benchmarks against the running product (gunicorn 2 workers + Celery worker + database + broker).

- parse and chat throughput vs the trivial DRF endpoint (`GET /api/ping/`), same server, same run;
- the same three with 1, 2 and 4 gunicorn workers (scaling), on the same database;
- admin edit → new model answering: an editor adds an intent through the Django admin over HTTP;
  the clock stops when the web processes answer a new question with it;
- sustained mixed load (chat, parse, indicator API) with the web workers' memory sampled.

    .venv/bin/python -m benchmarks.live [--backend auto|postgres|sqlite] [--seconds 10] [--soak 60]
    .venv/bin/python -m benchmarks.live --only soak --soak 60 --strict   # CI: fails on errors/growth
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks import wrk
from benchmarks.serve import children, gunicorn, rss_mb
from benchmarks.stack import Stack, django_json, running_stack, services_available

QUESTIONS = [
    "esqueci minha senha do salic",
    "qual o prazo para prestar contas?",
    "como faço para captar recursos",
    "empresa pode deduzir quanto do imposto",
    "oi, bom dia",
    "o que é o pronac do meu projeto",
]

NEW_INTENT = {
    "name": "projeto_no_exterior",
    "title": "Projetos com etapas no exterior",
    "examples": [
        "posso fazer um projeto no exterior pela lei rouanet",
        "a lei rouanet apoia turnê internacional",
        "projeto cultural fora do brasil pode captar",
        "apresentação em outro país pode ser incentivada",
        "como incluir uma viagem internacional no projeto",
        "festival no exterior é permitido",
        "dá para levar o espetáculo para outro país com incentivo",
        "intercâmbio cultural internacional entra na lei",
        "participação em feira internacional de livros pode ser incentivada",
        "posso pagar passagens para o exterior com recurso incentivado",
        "circulação internacional de exposição é aceita",
        "meu projeto tem uma etapa fora do país",
    ],
    "answer": "Projetos com ações no exterior são possíveis quando a proposta justifica o intercâmbio "
    "cultural; as despesas internacionais precisam constar do orçamento aprovado. (Resposta de demonstração.)",
    "probe": "projeto no exterior pode ser feito pela lei rouanet?",
}


def post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def throughput(stack: Stack, seconds: float, base: str | None = None) -> dict:
    """Trivial endpoint, parse and a chat turn (each a new logged conversation), one after another."""
    base = base or stack.base
    ping, parse, chat = f"{base}/api/ping/", f"{base}/api/faq/parse/", f"{base}/api/faq/chat/"
    parse_bodies = [{"text": q} for q in QUESTIONS]
    chat_bodies = [{"message": q} for q in QUESTIONS]
    wrk.run(ping, seconds=2)
    wrk.run(parse, seconds=2, bodies=parse_bodies)
    wrk.run(chat, seconds=2, bodies=chat_bodies)
    trivial = wrk.run(ping, seconds=seconds)
    measured = wrk.run(parse, seconds=seconds, bodies=parse_bodies)
    turns = wrk.run(chat, seconds=seconds, bodies=chat_bodies)
    if not trivial["rps"] or not measured["rps"] or not turns["rps"]:
        raise RuntimeError(f"an endpoint served nothing: {trivial} {measured} {turns}")
    return {
        "trivial": trivial,
        "parse": measured,
        "chat": turns,
        "ratio": measured["rps"] / trivial["rps"],
        "chat_cost_vs_parse": measured["rps"] / turns["rps"],  # how many parses one chat turn costs
    }


def scaling(stack: Stack, seconds: float, workers: list[int]) -> list[dict]:
    """The same measurements with N gunicorn workers, each on its own server over the same database."""
    rows = []
    for n in workers:
        with gunicorn(stack.env, 0, workers=n) as web:
            rows.append({"workers": n, **throughput(stack, seconds, base=f"http://127.0.0.1:{web.port}")})
    return rows


def admin_session(stack: Stack) -> tuple[urllib.request.OpenerDirector, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{stack.base}/admin/login/", timeout=10).read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    form = {"username": stack.editor, "password": stack.password, "csrfmiddlewaretoken": csrf, "next": "/admin/"}
    landed = opener.open(f"{stack.base}/admin/login/", urllib.parse.urlencode(form).encode(), timeout=10)
    if "/admin/login/" in landed.geturl():
        raise RuntimeError("admin login failed for the benchmark editor")
    return opener, next(c.value for c in jar if c.name == "csrftoken")


def admin_edit_to_answer(stack: Stack, timeout: float = 180) -> dict:
    """An editor adds a new intent in the admin; time until the web answers with it."""
    opener, csrf = admin_session(stack)
    intent = NEW_INTENT
    form = {
        "csrfmiddlewaretoken": csrf,
        "name": intent["name"],
        "title": intent["title"],
        "description": "",
        "active": "on",
        "examples-TOTAL_FORMS": len(intent["examples"]),
        "examples-INITIAL_FORMS": 0,
        "examples-MIN_NUM_FORMS": 0,
        "examples-MAX_NUM_FORMS": 1000,
        "answers-TOTAL_FORMS": 1,
        "answers-INITIAL_FORMS": 0,
        "answers-MIN_NUM_FORMS": 0,
        "answers-MAX_NUM_FORMS": 1000,
        "answers-0-text": intent["answer"],
        "answers-0-active": "on",
        # the intent's answer sequence (responses in order): none for this intent
        "sequence-TOTAL_FORMS": 0,
        "sequence-INITIAL_FORMS": 0,
        "sequence-MIN_NUM_FORMS": 0,
        "sequence-MAX_NUM_FORMS": 1000,
        **{f"examples-{i}-text": text for i, text in enumerate(intent["examples"])},
    }
    before = post_json(f"{stack.base}/api/faq/parse/", {"text": intent["probe"]})
    started = time.monotonic()
    saved = opener.open(f"{stack.base}/admin/faq_bot/intent/add/", urllib.parse.urlencode(form).encode(), timeout=30)
    if saved.geturl().endswith("/add/"):
        raise RuntimeError("the admin refused the new intent:\n" + saved.read().decode()[:2000])
    while time.monotonic() - started < timeout:
        answer = post_json(f"{stack.base}/api/faq/parse/", {"text": intent["probe"]})
        if answer["intent"]["name"] == intent["name"]:
            elapsed = time.monotonic() - started
            run = django_json(stack.env, "benchmarks.stack_setup", "last-run")
            return {
                "seconds": elapsed,
                "model_before": before["model"]["version"],
                "model_after": answer["model"]["version"],
                "run": run,
            }
        time.sleep(0.25)
    run = django_json(stack.env, "benchmarks.stack_setup", "last-run")
    raise RuntimeError(f"no model answering with the new intent after {timeout:.0f} s (last run: {run})")


class MemorySampler(threading.Thread):
    """Sums the RSS of the gunicorn workers every `interval` seconds."""

    def __init__(self, master_pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.master_pid, self.interval = master_pid, interval
        self.samples: list[float] = []
        self.worker_pids: set[int] = set()
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            pids = children(self.master_pid)
            self.worker_pids.update(pids)
            self.samples.append(sum(rss_mb(pid) for pid in pids))
            self._halt.wait(self.interval)

    def stop(self) -> list[float]:
        self._halt.set()
        self.join()
        return self.samples


def mixed_requests(stack: Stack) -> list[dict]:
    auth = {"Authorization": f"Token {stack.token}"}
    requests = []
    pages = max(1, stack.projects // 50)  # the list API shows 50 projects a page
    for n, pronac in enumerate(stack.pronacs[:60]):
        question = QUESTIONS[n % len(QUESTIONS)]
        requests.append({"method": "POST", "path": "/api/faq/parse/", "body": {"text": question}})
        requests.append({"method": "POST", "path": "/api/faq/chat/", "body": {"message": question}})
        requests.append({"method": "GET", "path": f"/api/salic/projects/{pronac}/", "headers": auth})
        if n % 6 == 0:
            requests.append(
                {"method": "GET", "path": f"/api/salic/projects/?page={n // 6 % pages + 1}", "headers": auth}
            )
    return requests


def soak(stack: Stack, seconds: float, warmup: float) -> dict:
    """Mixed load; memory is compared between the end of the warm-up and the end of the run."""
    requests = mixed_requests(stack)
    wrk.run(f"{stack.base}/", seconds=warmup, requests=requests)
    workers_before = set(children(stack.web.pid))
    sampler = MemorySampler(stack.web.pid)
    sampler.start()
    time.sleep(1.0)
    result = wrk.run(f"{stack.base}/", seconds=seconds, requests=requests)
    time.sleep(1.0)
    samples = sampler.stop()
    start, end = samples[0], samples[-1]
    return {
        **result,
        "seconds": seconds,
        "memory_start_mb": start,
        "memory_end_mb": end,
        "memory_max_mb": max(samples),
        "memory_growth": (end - start) / start if start else None,
        "workers_restarted": sampler.worker_pids != workers_before,
        "errors": result["non_2xx"] + result["socket_errors"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["auto", "postgres", "sqlite"], default="auto")
    parser.add_argument("--seconds", type=float, default=10, help="per throughput measurement")
    parser.add_argument("--soak", type=float, default=60, help="seconds of mixed load")
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--salic-projects", type=int, default=2000)
    parser.add_argument("--only", nargs="+", choices=["throughput", "scaling", "edit", "soak"])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="gunicorn workers to scale over")
    parser.add_argument("--port", type=int, default=0, help="0 (default): a free port the OS picks")
    parser.add_argument("--strict", action="store_true", help="exit 1 on soak errors or > 10% memory growth")
    args = parser.parse_args()
    backend = args.backend
    if backend == "auto":
        backend = "postgres" if services_available() else "sqlite"
    parts = args.only or ["throughput", "scaling", "edit", "soak"]
    result: dict = {"backend": backend}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        with running_stack(Path(tmp), backend=backend, port=args.port, salic_projects=args.salic_projects) as stack:
            result["setup_s"] = time.monotonic() - started
            if "throughput" in parts:
                result["throughput"] = throughput(stack, args.seconds)
            if "scaling" in parts:
                result["scaling"] = scaling(stack, args.seconds, args.workers)
            if "soak" in parts:
                result["soak"] = soak(stack, args.soak, args.warmup)
            if "edit" in parts:
                result["edit"] = admin_edit_to_answer(stack)
    print(json.dumps(result))
    if args.strict and "soak" in result:
        soaked = result["soak"]
        failed = soaked["errors"] > 0 or (soaked["memory_growth"] or 0) > 0.10 or soaked["workers_restarted"]
        if failed:
            print(f"soak failed: {soaked}", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
