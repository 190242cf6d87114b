"""The real rasa-webchat widget (vendored from npm) in Debian's chromium, talking Socket.IO to uvicorn."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from conftest import ARTIFACTS, BROWSER_ARGS, ROOT, process_env
from faq_bot.models import Conversation
from faq_bot.training import faq_train_blocking

from .channels import start_asgi
from .test_rasa_projects import RASA1

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]
GREETINGS = {"Olá! Sou o assistente do SALIC.", "Oi! Que bom te ver por aqui."}


def test_the_rasa_widget_greets_answers_and_follows_a_button(spawn, monkeypatch, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM reads between Playwright steps
    call_command("faq_import", str(RASA1), stdout=StringIO())
    faq_train_blocking()
    # Production settings serve collected static files only: collect them (the vendored bundle included).
    static = tmp_path / "static"
    env = process_env(STATIC_ROOT=str(static))
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    base = start_asgi(spawn, FAQ_WIDGET_INIT_PAYLOAD="/cumprimentar", STATIC_ROOT=str(static))
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="pt-BR")
        page.set_default_timeout(20000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(base + "/chat/widget/")
            page.locator(".rw-launcher").click()
            bot = page.locator(".rw-response .rw-message-text")  # the widget types bubbles one by one
            # initPayload "/cumprimentar": the story's greeting, then the question with two quick replies.
            expect(bot).to_have_count(2)
            assert bot.nth(0).inner_text().strip() in GREETINGS
            assert bot.nth(1).inner_text().strip() == "Você quer saber como se cadastrar no SALIC?"
            replies = page.locator(".rw-replies .rw-reply")
            expect(replies).to_have_count(2)
            assert replies.all_inner_texts() == ["Sim", "Não"]
            replies.filter(has_text="Sim").click()
            expect(bot).to_have_count(3)
            assert bot.nth(2).inner_text().strip() == (
                "O cadastro é feito com a sua conta gov.br, na tela inicial do SALIC."
            )
            page.locator(".rw-new-message").fill("qual o prazo de captação?")
            page.keyboard.press("Enter")
            expect(bot).to_have_count(4)
            assert "captacao" in bot.nth(3).inner_text()
            page.screenshot(path=str(ARTIFACTS / "rasa-webchat.png"), full_page=True)
        except Exception:
            print(page.locator(".rw-messages-container").inner_html())
            raise
        finally:
            browser.close()
    assert errors == []
    conversation = Conversation.objects.get(channel="socketio")
    assert list(conversation.messages.order_by("id").values_list("text", "intent")) == [
        ("/cumprimentar", "cumprimentar"),
        ("/afirmar", "afirmar"),
        ("qual o prazo de captação?", "prazo"),
    ]
