"""Prepare the demo: one user per role, each with its own random password, then each app's demo data."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token

from core.roles import API_CLIENTS, EDITORS, EVALUATORS

# Each app may offer a `<app>_demo` command; run whichever exist, in this order.
DEMO_COMMANDS = ("faq_demo", "salic_demo")

# username, group (None: superuser), what the role may do (pt-BR)
DEMO_USERS = (
    ("admin", None, "superusuário: modelos, promoções, tudo"),
    ("editor", EDITORS, "conteúdo do assistente"),
    ("avaliador", EVALUATORS, "painéis SALIC"),
    ("cliente-api", API_CLIENTS, "API REST com token (sem acesso às páginas)"),
)


class Command(BaseCommand):
    help = (
        "Cria os usuários de demonstração (admin, editor, avaliador, cliente-api), cada um com sua senha "
        "aleatória, e carrega os dados e modelos de demonstração. Nunca altera um usuário que já existe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="cria os usuários mesmo numa configuração de produção (DEBUG desligado e HTTPS exigido)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        production = not settings.DEBUG and not settings.INSECURE_HTTP
        if production and not options["allow_production"]:
            raise CommandError(
                "Configuração de produção (DEBUG desligado e HTTPS exigido): usuários de demonstração não são "
                "criados. Use --allow-production se for mesmo isso o que deseja."
            )
        created = self._users()
        available = get_commands()
        for name in DEMO_COMMANDS:
            if name in available:
                call_command(name, stdout=self.stdout, stderr=self.stderr)
        self._report(created)

    def _users(self) -> dict[str, str]:
        """Create the missing demo users; returns {username: password} of the ones created now."""
        secrets_file = settings.VAR_DIR / "demo-passwords.json"
        known: dict[str, str] = json.loads(secrets_file.read_text()) if secrets_file.exists() else {}
        created: dict[str, str] = {}
        for username, group, _ in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue  # never touch an existing account (its password may be someone's real one)
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(username, password=password)
            user.is_superuser = group is None
            user.is_staff = group in (None, EDITORS)
            user.save(update_fields=["is_superuser", "is_staff"])
            if group:
                user.groups.add(Group.objects.get(name=group))
            created[username] = known[username] = password
        if created:
            secrets_file.write_text(json.dumps(known, indent=2))
            secrets_file.chmod(0o600)
        return created

    def _report(self, created: dict[str, str]) -> None:
        secrets_file = settings.VAR_DIR / "demo-passwords.json"
        known: dict[str, str] = json.loads(secrets_file.read_text()) if secrets_file.exists() else {}
        lines = ["Usuários de demonstração (senhas também em var/demo-passwords.json):"]
        for username, _, role in DEMO_USERS:
            if username in created:
                state = f"senha {created[username]}"
            elif username in known:
                state = f"senha {known[username]} (criado antes)"
            else:
                state = "já existia; senha não alterada"
            lines.append(f"  {username:<12} {role} — {state}")
        client = User.objects.filter(username="cliente-api", groups__name=API_CLIENTS).first()
        if client is not None:
            token, _ = Token.objects.get_or_create(user=client)
            lines.append(
                f"  token da API de cliente-api: {token.key}\n"
                f'  ex.: curl -H "Authorization: Token {token.key}" http://127.0.0.1:8000/api/salic/projects/'
            )
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
