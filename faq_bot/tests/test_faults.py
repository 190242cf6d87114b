"""Faults with real processes (DESIGN §7): a worker killed mid-training, and the broker stopped.

Every process here is real: Celery workers, beat, a gunicorn web process and, for the broker
fault, a `redis-server` of our own on a free port, so stopping it disturbs nobody else's tests and
the test runs the same way in both CI configurations.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from conftest import (
    CELERY_WORKER_ARGS,
    free_port,
    gunicorn_bind,
    http,
    process_env,
    start_celery_worker,
    wait_until,
)
from faq_bot.models import Example, Intent
from faq_bot.names import MODEL_NAME
from faq_bot.nlp import canonical
from faq_bot.training import faq_retrain_now, faq_train_blocking
from model_store.models import ModelVersion, TrainingRun
from model_store.runs import UNSENT
from model_store.services import production_version

from .conftest import build_content

pytestmark = pytest.mark.integration

FINISHED = ("succeeded", "failed", "skipped")
SUBJECTS = (
    "audiovisual curta metragem",
    "museu acervo restauro",
    "orquestra sinfonica concerto",
    "livro editora publicacao",
    "festival de circo lona",
    "patrimonio tombado igreja",
    "oficina de teatro infantil",
    "danca contemporanea espetaculo",
    "exposicao de fotografia galeria",
    "biblioteca comunitaria leitura",
    "coral de vozes regencia",
    "artesanato indigena feira",
    "cinema itinerante praca",
    "revista literaria digital",
    "grafite muralismo urbano",
    "hip hop batalha de rima",
    "opera montagem cenario",
    "carnaval bloco de rua",
    "capoeira roda mestre",
    "cordel xilogravura sertao",
)
QUESTIONS = (
    "como apresentar projeto de {s}",
    "posso captar recursos para {s}",
    "quais documentos para {s}",
    "orçamento aceito em {s}",
    "prazo de execução de {s}",
    "contrapartida social em {s}",
    "quem pode propor {s}",
    "limite de custos de {s}",
    "divulgação obrigatória de {s}",
    "prestação de contas de {s}",
    "alterar o plano de {s}",
    "equipe técnica de {s}",
    "acessibilidade em {s}",
    "ingressos gratuitos de {s}",
    "patrocinador de {s}",
    "dúvida sobre {s} na lei",
    "regras de {s} no salic",
    "enquadramento de {s}",
    "parecer técnico de {s}",
    "readequação de {s}",
)


def add_many_intents() -> None:
    """400 more examples in 20 intents: a fresh worker takes seconds to train on them.

    Written straight to the database so no retraining is scheduled by the edit itself.
    """
    for i, subject in enumerate(SUBJECTS):
        intent = Intent.objects.create(name=f"tema_{i:02d}", title=subject.title())
        texts = [q.format(s=subject) for q in QUESTIONS]
        Example.objects.bulk_create([Example(intent=intent, text=t, canonical_text=canonical(t)) for t in texts])


@contextmanager
def run_row_locked_mid_training(run_id: int, *, timeout: float = 120):
    """Wait until the run is training (0 < progress < 85) and hold a lock its next write needs.

    Every progress report updates the run's row, and the candidate is only registered after the
    85% report, so while this lock is held the worker cannot register, promote or finish: it is
    stopped mid-training for as long as the caller needs. (PostgreSQL: the row lock; SQLite: the
    write lock of an IMMEDIATE transaction.)
    """
    deadline = time.monotonic() + timeout
    while True:
        with transaction.atomic():
            run = TrainingRun.objects.select_for_update().get(pk=run_id)
            if run.status == TrainingRun.Status.RUNNING and 0 < run.progress < 85:
                yield run
                return
        assert run.status in TrainingRun.ACTIVE, f"the run ended ({run.status}) before it could be interrupted"
        assert time.monotonic() < deadline, f"the run never reached mid-training: {run.status} {run.progress}%"
        time.sleep(0.02)


def test_a_worker_killed_mid_training_is_failed_by_the_next_request_production_is_unchanged_and_it_succeeds(
    celery_worker_process, spawn, settings
):
    build_content()
    v1 = faq_train_blocking().version
    add_many_intents()
    run = faq_retrain_now(trigger="falha: worker morto")

    with run_row_locked_mid_training(run.pk) as caught:
        os.kill(celery_worker_process.pid, signal.SIGKILL)
        assert celery_worker_process.wait(timeout=15) == -signal.SIGKILL
    assert 0 < caught.progress < 85

    run.refresh_from_db()
    assert run.status == "running", "nobody but the sweep may decide that the run died"
    assert production_version(MODEL_NAME) == v1
    assert ModelVersion.objects.filter(name=MODEL_NAME).count() == 1

    # Nobody sweeps by hand: a new run request (and the new worker's claim) must find the dead run.
    # With a 2 s heartbeat timeout it is stale as soon as its last heartbeat is 2 s old.
    settings.MODEL_STORE_HEARTBEAT_TIMEOUT = 2
    start_celery_worker(spawn, "worker-2", MODEL_STORE_HEARTBEAT_TIMEOUT="2")
    wait_until(
        lambda: timezone.now() - TrainingRun.objects.get(pk=run.pk).heartbeat_at > timedelta(seconds=2.5),
        timeout=30,
        what="heartbeat of the dead run goes stale",
    )
    later = faq_retrain_now(trigger="falha: depois do worker morto")
    run.refresh_from_db()
    assert run.status == "failed", "the new request did not find the stale run"
    assert "heartbeat" in run.error and run.finished_at is not None and run.version is None
    assert production_version(MODEL_NAME) == v1
    assert ModelVersion.objects.filter(name=MODEL_NAME).count() == 1

    later = wait_until(
        lambda: TrainingRun.objects.filter(pk=later.pk, status__in=FINISHED).first(),
        timeout=180,
        what="the later run finishes",
    )
    assert later.status == "succeeded", later.error
    # The run finished and its version went through the gate; production follows the verdict (the
    # out-of-scope rule may refuse 20 new intents on this small content — that is the gate's call).
    assert later.version.version == 2 and later.version.gate_passed is not None
    assert production_version(MODEL_NAME) == (later.version if later.version.gate_passed else v1)
    assert later.version.metrics["intents"] == 24


# --- The broker stopped -------------------------------------------------------------------------


class RedisServer:
    """Our own redis-server on a free port: the broker (db 0) and the cache (db 1), as in production."""

    def __init__(self, spawn) -> None:
        self.spawn = spawn
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def start(self) -> None:
        self.starts += 1
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = self.spawn(f"redis-{self.starts}", argv, env=dict(os.environ))
        wait_until(self.ping, timeout=20, what="redis-server answers")

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], timeout=20, capture_output=True)
        self.proc.wait(timeout=20)
        assert not self.ping()


def test_with_the_broker_down_the_chat_keeps_answering_and_a_retrain_request_runs_when_it_returns(
    transactional_db, spawn, staff_user
):
    broker = RedisServer(spawn)
    broker.start()
    build_content()
    v1 = faq_train_blocking().version
    env = process_env(
        CELERY_BROKER_URL=broker.url(0),
        CELERY_RESULT_BACKEND=broker.url(0),
        REDIS_URL=broker.url(1),
        MODEL_STORE_CHECK_SECONDS="1",
        MODEL_STORE_SWEEP_SECONDS="1",
    )
    port, bind, fd = gunicorn_bind()
    base = f"http://127.0.0.1:{port}"
    python = sys.executable
    spawn("fault-worker", [python, *CELERY_WORKER_ARGS], env=env)
    schedule = settings.VAR_DIR / "test-fault-beat-schedule"
    spawn("fault-beat", [python, "-m", "celery", "-A", "config", "beat", "-s", str(schedule), "-l", "INFO"], env=env)
    gunicorn = ["-m", "gunicorn", "config.wsgi", *bind, "--threads", "2", "--timeout", "60"]
    spawn("fault-web", [python, *gunicorn], env=env, pass_fds=(fd,))
    wait_until(lambda: "ready." in spawn.log("fault-worker"), timeout=60, what="worker ready")
    wait_until(lambda: _up(f"{base}/healthz?broker=0"), timeout=60, what="web process answers")

    def parse() -> tuple[int, dict]:
        status, body, _ = http("POST", f"{base}/api/faq/parse/", {"text": "esqueci minha senha"})
        return status, body

    status, body = parse()
    assert status == 200 and body["model"]["version"] == v1.version, body

    broker.stop()

    for _ in range(3):
        status, body = parse()
        assert status == 200, body
        assert body["intent"]["name"] == "senha" and body["model"]["version"] == v1.version
    status, body, _ = http("POST", f"{base}/api/faq/chat/", {"message": "qual o prazo da prestação de contas"})
    assert status == 200, body
    assert (
        body["intent"] == "prazo_contas" and body["answer"] == "Resposta sobre prazo_contas." and not body["fallback"]
    )

    # An editor adds an example and asks for a retrain in the admin while the broker is down.
    text = "meia entrada no show"
    Example.objects.create(intent=Intent.objects.get(name="ingressos"), text=text, canonical_text=canonical(text))
    client = Client()
    client.force_login(staff_user)
    csrf = "f" * 32
    cookies = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; csrftoken={csrf}"
    status, body, seconds = http(
        "POST", f"{base}/admin/faq_bot/intent/train-now/", headers={"Cookie": cookies, "X-CSRFToken": csrf}
    )
    assert status == 302, body
    assert seconds < 10, f"the admin waited {seconds:.1f} s for the missing broker"
    run = TrainingRun.objects.get(trigger="admin: treinar agora")
    assert run.status == "queued" and run.task_id == ""
    assert run.message.startswith("broker indisponível") and UNSENT in run.params
    assert parse()[0] == 200
    status, health, _ = http("GET", f"{base}/healthz?broker=0")
    assert status == 200 and health["database"]["ok"] and not health["cache"]["ok"], health
    status, health, seconds = http("GET", f"{base}/healthz")  # with the broker round trip
    assert status == 200 and health["broker"]["ok"] is False, health
    assert seconds < 10, f"/healthz took {seconds:.1f} s to notice the broker is down"

    broker.start()

    run = wait_until(
        lambda: TrainingRun.objects.filter(pk=run.pk, status__in=FINISHED).first(),
        timeout=180,
        what="the retrain requested while the broker was down runs (see test-fault-beat.log, test-fault-worker.log)",
    )
    assert run.status == "succeeded", run.error
    assert run.task_id and UNSENT not in run.params
    assert run.version.version == 2 and run.version.gate_passed is not None
    assert production_version(MODEL_NAME) == (run.version if run.version.gate_passed else v1)
    serving = 2 if run.version.gate_passed else v1.version
    wait_until(
        lambda: parse()[1].get("model", {}).get("version") == serving,
        timeout=30,
        what=f"the web process serves v{serving}",
    )


def _up(url: str) -> bool:
    try:
        return http("GET", url, timeout=5)[0] == 200
    except OSError:
        return False
