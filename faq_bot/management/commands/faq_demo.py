from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from faq_bot.models import Intent
from faq_bot.names import MODEL_NAME
from faq_bot.training import faq_train_blocking
from model_store.services import production_version


class Command(BaseCommand):
    help = "Load the demo FAQ content (fixtures/faq) when empty and make sure a production model exists."

    def handle(self, *args: Any, **opts: Any) -> None:
        if not Intent.objects.exists():
            folder = settings.BASE_DIR / "fixtures" / "faq"
            files = [folder / "content.json", folder / "golden.json", folder / "dialogue"]
            call_command("faq_import", *map(str, files), stdout=self.stdout)
        if production_version(MODEL_NAME) is None:
            self.stdout.write("training the FAQ classifier (first run)…")
            run = faq_train_blocking(trigger="demo")
            version = run.version
            self.stdout.write(
                f"FAQ model: run {run.status}, v{version.version if version else '-'} {version.status if version else ''}"
            )
