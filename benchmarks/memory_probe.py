"""Resident memory of a web process, before and after it holds both production models.

    python -m benchmarks.memory_probe   (same environment as manage.py; prints one JSON line)

The process imports the whole URL configuration as a gunicorn worker does (the reference), then
loads the FAQ and SALIC production models through the same cached loader the views use, then
serves 300 parses and 100 project details through the test client.
"""

from __future__ import annotations

import json
import os
import resource

from benchmarks.serve import rss_mb


def main() -> None:
    import django

    django.setup()
    from django.test import Client, override_settings
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - import every view module, as a serving worker does
    baseline = rss_mb(os.getpid())

    from faq_bot.names import MODEL_NAME as FAQ
    from model_store.serving import get_production_model
    from salic_ml.models import Project
    from salic_ml.names import MODEL_NAME as SALIC

    loaded = {name: get_production_model(name) for name in (FAQ, SALIC)}
    missing = [name for name, model in loaded.items() if model is None]
    if missing:
        raise RuntimeError(f"no production model for {missing}")
    with_models = rss_mb(os.getpid())

    from django.contrib.auth.models import User

    user, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True, "is_superuser": True})
    client = Client()
    client.force_login(user)
    pronacs = list(Project.objects.values_list("pronac", flat=True)[:100])
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for n in range(300):
            client.post("/api/faq/parse/", {"text": f"como prestar contas do projeto {n}"}, "application/json")
        for pronac in pronacs:
            client.get(f"/api/salic/projects/{pronac}/")
    print(
        json.dumps(
            {
                "baseline_mb": baseline,
                "with_models_mb": with_models,
                "after_requests_mb": rss_mb(os.getpid()),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "versions": {name: model.version for name, model in loaded.items()},
            }
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    main()
