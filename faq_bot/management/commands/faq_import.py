from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faq_bot.content import faq_content_import
from faq_bot.importers import ImportFormatError, parse_files


class Command(BaseCommand):
    help = (
        "Importa conteúdo do assistente: arquivos ou pastas de projeto Rasa (1.x Markdown, 2/3 YAML: "
        "domain.yml, data/, tests/) ou o nosso JSON. Mescla, a menos que use --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="arquivos ou pastas de projeto Rasa")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=["auto", "rasa-md", "rasa-yml", "json"],
            default="auto",
            help="formato (padrão: detectar)",
        )
        parser.add_argument(
            "--domain",
            type=Path,
            default=None,
            help="arquivo de domínio do Rasa com as respostas (responses/templates)",
        )
        parser.add_argument("--replace", action="store_true", help="substitui todo o conteúdo em vez de mesclar")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            bundle = parse_files(opts["paths"], fmt=opts["fmt"], domain=opts["domain"])
        except ImportFormatError as exc:
            raise CommandError(f"{exc} — nada foi importado.") from exc
        stats = faq_content_import(bundle=bundle, replace=opts["replace"])
        for warning in stats.warnings:
            self.stderr.write(f"aviso: {warning}")
        if stats.unsupported:
            self.stdout.write(f"não suportado ({len(stats.unsupported)} item(ns), não importado ou não executado):")
            for line in stats.unsupported:
                self.stdout.write(f"  {line}")
        if stats.issues:
            self.stdout.write(f"validação ({len(stats.issues)} problema(s)):")
            for line in stats.issues:
                self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"importado: {stats.intents_created} intenções novas, {stats.examples_added} exemplos, "
                f"{stats.answers_added} respostas, {stats.golden_added} casos de ouro, "
                f"{stats.responses_saved} respostas nomeadas, {stats.flows_saved} fluxos, "
                f"{stats.entity_rows_saved} sinônimos/tabelas/regex "
                f"({stats.skipped_duplicates} exemplos repetidos ignorados)"
            )
        )
