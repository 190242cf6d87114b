from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from faq_bot.content import faq_content_export


class Command(BaseCommand):
    help = "Export FAQ content as our JSON or as Rasa 3 YAML (NLU to stdout/--out, responses to --domain)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", dest="fmt", choices=["rasa-yml", "json"], default="json")
        parser.add_argument("--out", type=Path, default=None)
        parser.add_argument("--domain", type=Path, default=None, help="where to write the domain (rasa-yml)")

    def handle(self, *args: Any, **opts: Any) -> None:
        content, domain = faq_content_export(fmt=opts["fmt"])
        if opts["out"]:
            opts["out"].write_text(content, encoding="utf-8")
        else:
            self.stdout.write(content, ending="")
        if domain is not None and opts["domain"]:
            opts["domain"].write_text(domain, encoding="utf-8")
