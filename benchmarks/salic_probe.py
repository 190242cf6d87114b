"""In-process timings of the SALIC read paths on the current database, next to a plain SELECT page.

    python -m benchmarks.salic_probe   (same environment as manage.py; prints one JSON line)

Server time through Django's test client (no network): the REST detail and list, the dashboard
list and diagnosis pages, and the reference `bench/plain-select/<pronac>/` (one indexed SELECT of
the project row rendered as JSON, see benchmarks/urls.py).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time


def timed(client, make_url, *, requests: int, warmup: int = 20) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        client.get(make_url())
    timings, queries = [], 0
    for _ in range(requests):
        url = make_url()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        queries = max(queries, len(ctx.captured_queries))
    timings.sort()
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "max_queries": queries,
    }


def main(requests: int = 200) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client, override_settings

    from salic_ml.models import Project

    user, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True, "is_superuser": True})
    client = Client()
    client.force_login(user)
    pronacs = list(Project.objects.values_list("pronac", flat=True))
    rng = random.Random(1)
    last_page = max(1, min(20, len(pronacs) // 50))  # both lists show 50 projects a page
    pages = {
        "plain_select_page": lambda: f"/bench/plain-select/{rng.choice(pronacs)}/",
        "project_detail_api": lambda: f"/api/salic/projects/{rng.choice(pronacs)}/",
        "project_list_api": lambda: f"/api/salic/projects/?page={rng.randint(1, last_page)}",
        "dashboard_list": lambda: f"/salic/?page={rng.randint(1, last_page)}",
        "dashboard_project": lambda: f"/salic/projects/{rng.choice(pronacs)}/",
    }
    with override_settings(ROOT_URLCONF="benchmarks.urls", ALLOWED_HOSTS=["testserver"]):
        result = {label: timed(client, make_url, requests=requests) for label, make_url in pages.items()}
    print(json.dumps(result))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    main(int(os.environ.get("PROBE_REQUESTS", "200")))
