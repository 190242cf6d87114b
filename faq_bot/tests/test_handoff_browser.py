"""Handoff in real browsers: a citizen on /chat/ asks for a person, staff answer from the admin inbox."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import ARTIFACTS
from faq_bot.models import Handoff, Message
from faq_bot.training import faq_train_blocking
from model_store.serving import clear_cache

from .conftest import build_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_asks_for_a_person_staff_reply_from_the_admin_and_the_page_shows_it(
    browser_page, settings, editor_user
):
    settings.MODEL_STORE_CHECK_SECONDS = 0
    settings.FAQ_HANDOFF_DAYS = [0, 1, 2, 3, 4, 5, 6]
    settings.FAQ_HANDOFF_HOURS = "00:00-00:00"
    clear_cache()
    build_content()
    faq_train_blocking()
    page = browser_page
    page.goto(page.base_url + "/chat/")
    page.get_by_label("Sua pergunta").fill("quero falar com um atendente")
    page.keyboard.press("Enter")
    page.get_by_text("vou chamar uma pessoa da equipe").wait_for()
    page.get_by_label("Sua pergunta").fill("esqueci minha senha")
    page.keyboard.press("Enter")
    page.locator(".msg.user").nth(1).wait_for()
    page.wait_for_function("() => !document.getElementById('chat-send').disabled")
    assert page.locator(".msg.bot").count() == 1  # the bot said nothing to the second message
    assert Message.objects.filter(to_staff=True).count() == 2

    # Staff: the inbox lists the conversation; open it, read it, reply.
    staff = Client()
    staff.force_login(editor_user)
    admin = page.context.browser.new_context(locale="pt-BR")
    admin.add_cookies([{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": page.base_url}])
    inbox = admin.new_page()
    inbox.goto(page.base_url + "/admin/faq_bot/handoff/")
    row = inbox.locator("#result_list tbody tr").first
    assert "aguardando" in row.inner_text() and "esqueci minha senha" in row.inner_text()
    row.locator("a").first.click()
    inbox.get_by_text("quero falar com um atendente").wait_for()
    inbox.get_by_label("Sua resposta ao cidadão").fill("Olá! Sou da equipe. Vou te ajudar com a senha.")
    inbox.get_by_role("button", name="Enviar resposta").click()
    inbox.get_by_text("Resposta enviada ao cidadão.").wait_for()
    assert "em atendimento" in inbox.locator("#handoff-status").inner_text()

    staff_bubble = page.locator(".msg.bot.staff")
    staff_bubble.wait_for()
    assert "Olá! Sou da equipe. Vou te ajudar com a senha." in staff_bubble.inner_text()
    assert "Atendente" in staff_bubble.locator(".author").inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-handoff.png"), full_page=True)

    inbox.get_by_role("button", name="Encerrar e devolver ao assistente").click()
    inbox.get_by_text("o assistente volta a responder").wait_for()
    page.get_by_text("O atendimento foi encerrado.").wait_for()
    page.get_by_label("Sua pergunta").fill("esqueci minha senha")
    page.keyboard.press("Enter")
    page.get_by_text("Resposta sobre senha.").wait_for()
    handoff = Handoff.objects.get()
    assert handoff.status == "closed" and handoff.taken_by == editor_user
    admin.close()
