from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faq_bot.content import faq_content_export
from faq_bot.export import faq_project_export


class Command(BaseCommand):
    help = (
        "Exporta o conteúdo como o nosso JSON ou como um projeto Rasa 3 (--format rasa-yml --out PASTA: "
        "domain.yml, data/, tests/). Intenções inativas ficam de fora, a menos que use --include-inactive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", dest="fmt", choices=["rasa-yml", "json"], default="json", help="formato (padrão: json)"
        )
        parser.add_argument("--out", type=Path, default=None, help="arquivo (json) ou pasta do projeto (rasa-yml)")
        parser.add_argument("--domain", type=Path, default=None, help="modo antigo: só NLU em --out e o domínio aqui")
        parser.add_argument("--include-inactive", action="store_true", help="inclui intenções e fluxos inativos")

    def handle(self, *args: Any, **opts: Any) -> None:
        out: Path | None = opts["out"]
        if opts["fmt"] == "rasa-yml" and out is not None and opts["domain"] is None and out.suffix == "":
            if out.exists() and not out.is_dir():
                raise CommandError(f"{out} existe e não é uma pasta.")
            files = faq_project_export(include_inactive=opts["include_inactive"])
            for relative, text in files.items():
                target = out / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            self.stdout.write(f"projeto Rasa 3 escrito em {out}: {', '.join(files)}")
            return
        content, domain = faq_content_export(fmt=opts["fmt"], include_inactive=opts["include_inactive"])
        if out:
            out.write_text(content, encoding="utf-8")
        else:
            self.stdout.write(content, ending="")
        if domain is not None and opts["domain"]:
            opts["domain"].write_text(domain, encoding="utf-8")
