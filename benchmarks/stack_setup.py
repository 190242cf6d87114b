"""Inside Django, against the benchmark database: users for the load tests, or the last FAQ run's timings.

python -m benchmarks.stack_setup users      → {"editor": …, "password": …, "token": …, "pronacs": […]}
python -m benchmarks.stack_setup last-run   → {"status": …, "queued_s": …, "train_s": …, "version": …}
"""

from __future__ import annotations

import json
import os
import sys

EDITOR = "bench-editor"
PASSWORD = "bench-editor-password-7291"


def users() -> dict:
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from core.roles import API_CLIENTS, EDITORS
    from salic_ml.models import Project

    editor, _ = User.objects.get_or_create(username=EDITOR, defaults={"is_staff": True})
    editor.set_password(PASSWORD)
    editor.save()
    editor.groups.add(Group.objects.get(name=EDITORS))
    client, _ = User.objects.get_or_create(username="bench-api-client")
    client.groups.add(Group.objects.get(name=API_CLIENTS))
    token, _ = Token.objects.get_or_create(user=client)
    pronacs = list(Project.objects.order_by("pronac").values_list("pronac", flat=True)[:200])
    return {
        "editor": EDITOR,
        "password": PASSWORD,
        "token": token.key,
        "pronacs": pronacs,
        "projects": Project.objects.count(),
    }


def last_run() -> dict:
    from faq_bot.names import MODEL_NAME
    from model_store.models import TrainingRun

    run = TrainingRun.objects.filter(name=MODEL_NAME).select_related("version").order_by("-pk").first()
    if run is None:
        return {}
    return {
        "status": run.status,
        "version": run.version.version if run.version else None,
        "queued_s": (run.started_at - run.created_at).total_seconds() if run.started_at else None,
        "train_s": (run.finished_at - run.started_at).total_seconds() if run.finished_at and run.started_at else None,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(json.dumps({"users": users, "last-run": last_run}[sys.argv[1]]()))
