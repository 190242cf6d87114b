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
    help = "Carrega o conteúdo de demonstração do assistente (fixtures/faq) se estiver vazio e garante um modelo em produção."

    def handle(self, *args: Any, **opts: Any) -> None:
        if not Intent.objects.exists():
            folder = settings.BASE_DIR / "fixtures" / "faq"
            files = [folder / "content.json", folder / "golden.json", folder / "dialogue"]
            call_command("faq_import", *map(str, files), stdout=self.stdout)
        if production_version(MODEL_NAME) is None:
            self.stdout.write("treinando o classificador do assistente (primeira vez)…")
            run = faq_train_blocking(trigger="demo")
            version = run.version
            self.stdout.write(
                f"modelo do assistente: treino {run.get_status_display()}, "
                f"v{version.version if version else '-'} {version.get_status_display() if version else ''}"
            )
