"""`manage.py salic_generate --projects N --seed S --out DIR [--dialect salic]`: synthetic SALIC CSVs for demos and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from salic_ml.demo.generator import minimum_projects, salic_generate


class Command(BaseCommand):
    help = "Write realistic SALIC CSVs (and planted.csv, the anomalies planted in them) to a directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--projects", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument(
            "--dialect",
            choices=("standard", "salic"),
            default="standard",
            help="'salic' writes the same data as SALIC's own extracts (planilha_*.csv with every column)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["projects"] < minimum_projects():
            raise CommandError(f"--projects must be at least {minimum_projects()} (one project per planted kind)")
        result = salic_generate(projects=opts["projects"], seed=opts["seed"], out=opts["out"], dialect=opts["dialect"])
        self.stdout.write(result.summary())
