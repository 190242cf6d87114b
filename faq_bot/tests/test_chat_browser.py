"""The chat page in a real browser: ask, read the answer, pick a suggestion, give feedback."""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS
from faq_bot.models import Answer, Feedback, Intent, Message
from faq_bot.training import faq_train_blocking
from model_store.serving import clear_cache

from .conftest import build_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_asks_picks_a_suggestion_and_rates_the_answer(browser_page, settings):
    settings.MODEL_STORE_CHECK_SECONDS = 0
    clear_cache()
    build_content()
    Answer.objects.filter(intent__name="senha").update(
        text="Use a opção <b>Esqueci minha senha</b>.\nMais em https://www.gov.br/cultura"
    )
    faq_train_blocking()
    page = browser_page
    page.goto(page.base_url + "/chat/")
    page.get_by_label("Sua pergunta").fill("esqueci minha senha")
    page.keyboard.press("Enter")
    answer = page.locator(".msg.bot").first
    answer.wait_for()
    # Markup from the admin is shown as text, the URL becomes a link, the line break is kept.
    assert "<b>Esqueci minha senha</b>" in answer.inner_text()
    assert answer.locator("a[href='https://www.gov.br/cultura']").count() == 1
    assert answer.locator("br").count() == 1

    settings.FAQ_FALLBACK_MIN_CONFIDENCE = 1.01  # the next question gets suggestions
    page.get_by_label("Sua pergunta").fill("xyzzy")
    page.get_by_role("button", name="Enviar").click()
    suggestion = page.locator(".suggestions button").first
    suggestion.wait_for()
    chosen_title = suggestion.inner_text()
    settings.FAQ_FALLBACK_MIN_CONFIDENCE = 0.5
    suggestion.click()
    page.locator(".msg.bot").nth(2).wait_for()
    page.get_by_role("button", name="👍 Ajudou").last.click()
    page.get_by_text("Obrigado pela avaliação!").wait_for()
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)

    picked = Message.objects.filter(source="suggestion").get()
    assert Intent.objects.get(name=picked.intent).title == chosen_title
    assert Feedback.objects.get().message == picked and Feedback.objects.get().helpful
