"""Prepare the demo: users for each role with a printed password, then each app's demo data."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from core.roles import EDITORS, EVALUATORS

# Each app may offer a `<app>_demo` command; run whichever exist, in this order.
DEMO_COMMANDS = ("faq_demo", "salic_demo")


class Command(BaseCommand):
    help = "Create demo users (admin, editor, avaliador) and load demo data and models."

    def handle(self, *args: Any, **options: Any) -> None:
        password_file = settings.VAR_DIR / "demo-password"
        if not password_file.exists():
            password_file.write_text(secrets.token_urlsafe(12))
            password_file.chmod(0o600)
        password = password_file.read_text().strip()
        users = [("admin", None, True), ("editor", EDITORS, False), ("avaliador", EVALUATORS, False)]
        for username, group, superuser in users:
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = superuser or group == EDITORS
            user.is_superuser = superuser
            user.set_password(password)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
        available = get_commands()
        for name in DEMO_COMMANDS:
            if name in available:
                call_command(name, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo users — password for all: {password}\n"
                "  admin      (superuser: models, promotion, everything)\n"
                "  editor     (FAQ content)\n"
                "  avaliador  (SALIC dashboards)"
            )
        )
