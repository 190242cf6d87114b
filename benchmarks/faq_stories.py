"""The Rasa boilerplate's own conversation tests, replayed through our dialogue.

Import the whole project (`faq_import` on the folder) → train our classifier (the real training
path, registry and gate included) → replay `tests/test_stories.yml` with the real dialogue: a turn
counts when the predicted intent and the bot actions, in order, are exactly the expected ones (any
variant of a response counts). Target: ≥ 95% of turns. Also: a chat turn with dialogue against a
parse, in the same process (target ≤ 2×), and the queries of a chat turn.

    .venv/bin/python -m benchmarks.faq_stories [--repeat 300]

Runs on a throwaway SQLite test database; prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOILERPLATE = ROOT.parent / "shared" / "data" / "rasa-ptbr-boilerplate"


def _timed(client, url: str, payloads: list[dict]) -> float:
    """Median milliseconds per request."""
    samples = []
    for payload in payloads:
        started = time.perf_counter()
        response = client.post(url, json.dumps(payload), content_type="application/json")
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
    return statistics.median(samples)


def run(repeat: int) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from faq_bot.training import faq_train_blocking

    call_command("faq_import", str(BOILERPLATE), stdout=StringIO())
    started = time.perf_counter()
    version = faq_train_blocking(trigger="benchmark").version
    train_s = time.perf_counter() - started
    tests = version.report["conversation_tests"]
    # The dialogue alone: the same stories with the story's own intents instead of classifying the text.
    from faq_bot.classifier import IntentClassifier  # noqa: F401 - the artifact's class
    from faq_bot.conversation_tests import conversation_tests_load, replay
    from faq_bot.dialogue import load_dialogue_content

    stories = conversation_tests_load()
    for story in stories:
        for turn in story.turns:
            turn.text = ""
    dialogue_only = replay(None, load_dialogue_content(), stories)

    settings.MODEL_STORE_CHECK_SECONDS = 60  # the serving steady state: no version check per request
    settings.FAQ_DIALOGUE_CACHE_SECONDS = 60
    client = Client()
    texts = ["boa tarde!", "Você gosta de futebol?", "Qual estilo de música você ouve?", "Até logo."]
    parse = [{"text": texts[i % len(texts)]} for i in range(repeat)]
    _timed(client, "/api/faq/parse/", parse[:20])
    parse_ms = _timed(client, "/api/faq/parse/", parse)
    first = client.post("/api/faq/chat/", json.dumps({"message": "oi"}), content_type="application/json").json()
    chat = [{"message": texts[i % len(texts)], "conversation_id": first["conversation_id"]} for i in range(repeat)]
    chat_ms = _timed(client, "/api/faq/chat/", chat)
    with CaptureQueriesContext(connection) as queries:
        client.post("/api/faq/chat/", json.dumps(chat[0]), content_type="application/json")
    return {
        "model_version": version.version,
        "train_s": round(train_s, 1),
        "stories": tests["stories"],
        "turns": tests["turns"],
        "turns_ok": tests["turns_ok"],
        "turn_accuracy": tests["turn_accuracy"],
        "dialogue_only_turns_ok": dialogue_only["turns_ok"],
        "dialogue_only_turn_accuracy": dialogue_only["turn_accuracy"],
        "parse_ms": round(parse_ms, 2),
        "chat_ms": round(chat_ms, 2),
        "chat_over_parse": round(chat_ms / parse_ms, 2),
        "chat_queries": len(queries),
        "chat_query_sql": [q["sql"][:60] for q in queries.captured_queries],
    }


def table(result: dict) -> str:
    lines = ["| story | turns exact | result | first wrong turn |", "|---|---|---|---|"]
    for story in result["stories"]:
        error = story["first_error"]
        wrong = (
            f"{error['turn']}: expected {error['expected_intent']} → {error['expected_actions']}, "
            f"got {error['predicted_intent']} → {error['predicted_actions']}"
            if error
            else "—"
        )
        lines.append(
            f"| {story['name']} | {story['turns_ok']}/{story['turns']} | {'ok' if story['ok'] else 'FAIL'} | {wrong} |"
        )
    lines.append(
        f"| **all** | **{result['turns_ok']}/{result['turns']} = {100 * result['turn_accuracy']:.1f}%** | "
        f"target ≥ 95%: {'reached' if result['turn_accuracy'] >= 0.95 else 'not reached'} | |"
    )
    lines.append("")
    lines.append(
        f"dialogue alone (the stories' own intents, no NLU): {result['dialogue_only_turns_ok']}/{result['turns']} = "
        f"{100 * result['dialogue_only_turn_accuracy']:.1f}% of turns"
    )
    lines.append(
        f"chat turn {result['chat_ms']:.2f} ms vs parse {result['parse_ms']:.2f} ms (median, in-process test client) = "
        f"{result['chat_over_parse']:.2f}× (target ≤ 2×); {result['chat_queries']} queries per chat turn"
    )
    return "\n".join(lines)


def main() -> None:
    import django
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    django.setup()
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        result = run(args.repeat)
    finally:
        teardown_databases(old, verbosity=0)
    print(table(result))
    result.pop("chat_query_sql")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    main()
