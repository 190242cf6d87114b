"""Server time and SQL queries per dashboard page, against the configured database.

    DJANGO_SETTINGS_MODULE=config.settings python -m benchmarks.salic_pages_bench --runs 200

Needs imported data and a production salic_complexity model (salic_import, salic_train). Requests go
through Django's test client (no network, no static files), as a throwaway evaluator created in a
transaction that is rolled back at the end. Pages: the list (unfiltered; filtered, sorted, paged),
diagnoses of random projects and random segment pages, with the segment summaries cache empty at
the start (as right after a promotion).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any


def _measure(client: Any, label: str, urls: list[str]) -> dict[str, Any]:
    """Time each URL once, in order; report p50/p95 and the most queries one request made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = max(queries, len(ctx.captured_queries))
    times.sort()
    return {
        "page": label,
        "requests": len(urls),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "max_queries": queries,
    }


def run(runs: int) -> list[dict[str, Any]]:
    from django.contrib.auth.models import Group, User
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client

    from core.roles import EVALUATORS
    from salic_ml.models import ProjectScore, Segment
    from salic_ml.selectors import production_model

    version = production_model()
    if version is None:
        raise SystemExit("No production salic_complexity model: run salic_import and salic_train first.")
    rng = random.Random(1)
    pronacs = list(ProjectScore.objects.filter(model_version=version).values_list("project__pronac", flat=True))
    segments = list(Segment.objects.values_list("code", flat=True))
    pages = [
        ("list, no filter", ["/salic/"] * runs),
        (
            "list, filtered and sorted",
            [f"/salic/?band=complexo&uf=SP&ordering=name&page={1 + i % 3}" for i in range(runs)],
        ),
        ("diagnosis, random projects", [f"/salic/projects/{rng.choice(pronacs)}/" for _ in range(runs)]),
        ("segment, random segments", [f"/salic/segments/{rng.choice(segments)}/" for _ in range(runs)]),
    ]
    results = []
    with transaction.atomic():
        user = User.objects.create_user("benchmark-evaluator-tmp")
        user.groups.add(Group.objects.get(name=EVALUATORS))
        client = Client(secure=True)  # production settings redirect plain HTTP
        client.force_login(user)
        client.get("/salic/")  # compile templates, open the connection
        cache.clear()  # segment summaries start cold, as after a promotion
        for label, urls in pages:
            results.append(_measure(client, label, urls))
        transaction.set_rollback(True)
    return results


def main() -> None:
    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="requests per page kind")
    args = parser.parse_args()
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Server time only: no collectstatic manifest needed to render the pages.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    for row in run(args.runs):
        print(
            f"{row['p50_ms']:>7} ms p50 {row['p95_ms']:>7} ms p95 {row['max_queries']:>3} queries"
            f"  {row['page']} ({row['requests']} requests)"
        )


if __name__ == "__main__":
    main()
