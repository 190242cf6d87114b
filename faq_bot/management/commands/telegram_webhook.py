from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from faq_bot.channels.telegram import TelegramError, bot_api


class Command(BaseCommand):
    help = (
        "Registra, mostra ou remove o webhook do bot no Telegram (usa TELEGRAM_BOT_TOKEN e "
        "TELEGRAM_WEBHOOK_SECRET do ambiente). Ex.: telegram_webhook set https://exemplo.gov.br/webhooks/telegram/webhook"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["set", "info", "delete"], help="set, info ou delete")
        parser.add_argument("url", nargs="?", help="URL pública do webhook (https), para set")

    def handle(self, *args: Any, action: str, url: str | None = None, **opts: Any) -> None:
        if not settings.TELEGRAM_BOT_TOKEN:
            raise CommandError("Defina TELEGRAM_BOT_TOKEN (o token que o @BotFather deu) no ambiente.")
        try:
            if action == "set":
                self._set(url)
            elif action == "delete":
                bot_api("deleteWebhook", {"drop_pending_updates": False})
                self.stdout.write("Webhook removido: o Telegram não enviará mais mensagens a este servidor.")
            else:
                info = bot_api("getWebhookInfo", {})["result"]
                self.stdout.write(f"URL: {info.get('url') or '(nenhuma)'}")
                self.stdout.write(f"Atualizações pendentes: {info.get('pending_update_count', 0)}")
                if info.get("last_error_message"):
                    self.stdout.write(f"Último erro informado pelo Telegram: {info['last_error_message']}")
        except TelegramError as exc:
            raise CommandError(f"O Telegram recusou o pedido: {exc}") from exc

    def _set(self, url: str | None) -> None:
        if not url or not url.startswith("https://"):
            raise CommandError("Informe a URL pública do webhook, começando com https:// (exigência do Telegram).")
        if not settings.TELEGRAM_WEBHOOK_SECRET:
            raise CommandError(
                "Defina TELEGRAM_WEBHOOK_SECRET (1 a 256 caracteres A-Z, a-z, 0-9, _ ou -) antes de registrar."
            )
        bot_api(
            "setWebhook",
            {
                "url": url,
                "secret_token": settings.TELEGRAM_WEBHOOK_SECRET,
                "allowed_updates": ["message", "edited_message", "callback_query"],
            },
        )
        self.stdout.write(f"Webhook registrado: {url}")
