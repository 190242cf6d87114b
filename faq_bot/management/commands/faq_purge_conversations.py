from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from faq_bot.answering import faq_conversations_purge


class Command(BaseCommand):
    help = "Apaga as conversas mais antigas que o prazo de retenção (FAQ_CONVERSATION_RETENTION_DAYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.FAQ_CONVERSATION_RETENTION_DAYS,
            help="apaga as conversas com mais dias que isto",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        deleted = faq_conversations_purge(older_than_days=opts["days"])
        self.stdout.write(f"{deleted} conversa(s) removida(s) (mais antigas que {opts['days']} dias)")
