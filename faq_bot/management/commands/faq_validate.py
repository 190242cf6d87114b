from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faq_bot.conversation_tests import describe_error, faq_conversation_tests_run
from faq_bot.validation import faq_content_validate


class Command(BaseCommand):
    help = (
        "Valida o conteúdo como o `rasa data validate` (fluxos com intenções ou respostas desconhecidas, "
        "respostas sem uso, exemplos em duas intenções) e, com --tests, repassa os testes de conversa "
        "com o modelo em produção. Sai com erro se houver problemas do tipo 'erro' ou testes falhando."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tests", action="store_true", help="repassa também os testes de conversa")

    def handle(self, *args: Any, **opts: Any) -> None:
        issues = faq_content_validate()
        for issue in issues:
            self.stdout.write(str(issue))
        failing = 0
        if opts["tests"]:
            results = faq_conversation_tests_run()
            if results is None:
                self.stdout.write("testes de conversa: nenhum modelo em produção ou nenhum teste")
            else:
                for story in results["stories"]:
                    verdict = "ok" if story["ok"] else f"FALHA — {describe_error(story['first_error'])}"
                    self.stdout.write(f"teste '{story['name']}': {verdict}")
                failing = results["total"] - results["passed"]
                self.stdout.write(
                    f"testes de conversa: {results['passed']}/{results['total']} passaram; "
                    f"{results['turns_ok']}/{results['turns']} turnos certos"
                )
        errors = sum(issue.level == "erro" for issue in issues)
        if errors or failing:
            raise CommandError(f"{errors} erro(s) de validação e {failing} teste(s) de conversa falhando.")
        self.stdout.write(self.style.SUCCESS(f"conteúdo válido ({len(issues)} aviso(s))"))
