"""`manage.py salic_generate --projects N --seed S --out DIR [--dialect salic]`: synthetic SALIC CSVs for demos and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from salic_ml.demo.generator import minimum_projects, salic_generate


class Command(BaseCommand):
    help = "Escreve CSVs SALIC realistas (e planted.csv, as anomalias plantadas neles) numa pasta."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--projects", type=int, default=3000, help="quantos projetos gerar")
        parser.add_argument("--seed", type=int, default=7, help="semente: a mesma semente gera os mesmos arquivos")
        parser.add_argument("--out", type=Path, required=True, help="pasta onde escrever os CSVs")
        parser.add_argument(
            "--dialect",
            choices=("standard", "salic"),
            default="standard",
            help="'salic' escreve os mesmos dados como as extrações do próprio SALIC (planilha_*.csv, todas as colunas)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["projects"] < minimum_projects():
            raise CommandError(
                f"--projects precisa ser pelo menos {minimum_projects()} (um projeto por tipo de anomalia plantada)"
            )
        result = salic_generate(projects=opts["projects"], seed=opts["seed"], out=opts["out"], dialect=opts["dialect"])
        self.stdout.write(result.summary())
