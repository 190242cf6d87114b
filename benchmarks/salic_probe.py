"""In-process timings of the SALIC read paths on the current database (run inside Django).

python -m benchmarks.salic_probe   (with the same environment as manage.py)
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from salic_ml.models import Project

    user, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True, "is_superuser": True})
    client = Client()
    client.force_login(user)
    pronacs = list(Project.objects.values_list("pronac", flat=True))
    rng = random.Random(1)
    result = {}
    for label, make_url in (
        ("project_detail_api", lambda: f"/api/salic/projects/{rng.choice(pronacs)}/"),
        ("project_list_api", lambda: f"/api/salic/projects/?page={rng.randint(1, 20)}"),
        ("plain_select_page", lambda: "/api/ping/"),
    ):
        for _ in range(20):
            client.get(make_url())
        timings, queries = [], 0
        for _ in range(200):
            url = make_url()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = max(queries, len(ctx.captured_queries))
        timings.sort()
        result[label] = {
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            "max_queries": queries,
        }
    print(json.dumps(result))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    main()
