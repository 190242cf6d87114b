"""`manage.py salic_demo`: on an empty database, generate and import a moderate data set; train if needed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from core.formatting import integer
from model_store.services import production_version
from salic_ml.demo.generator import salic_generate
from salic_ml.ingest import salic_import_run
from salic_ml.modelling.training import salic_train_blocking
from salic_ml.models import Project
from salic_ml.names import MODEL_NAME


class Command(BaseCommand):
    help = "Carrega dados SALIC de demonstração (gerados e importados), a menos que o banco já tenha projetos."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--projects", type=int, default=3000, help="quantos projetos gerar")
        parser.add_argument("--seed", type=int, default=7, help="semente: a mesma semente gera os mesmos dados")

    def handle(self, *args: Any, **opts: Any) -> None:
        existing = Project.objects.count()
        if existing:
            self.stdout.write(f"demonstração SALIC: o banco já tem {integer(existing)} projetos.")
        else:
            out = settings.VAR_DIR / "salic-demo"
            salic_generate(projects=opts["projects"], seed=opts["seed"], out=out)
            result = salic_import_run(paths=[out])
            self.stdout.write(f"demonstração SALIC: {result.summary()}")
        if production_version(MODEL_NAME) is None:
            run = salic_train_blocking(trigger="demo")
            self.stdout.write(
                f"demonstração SALIC: treino do modelo {run.get_status_display()}, v{run.version.version if run.version else '-'}"
            )
