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
    helpful = page.get_by_role("button", name="Ajudou", exact=True).last
    # inline SVG thumbs, not emoji that need a font the page does not ship
    assert helpful.locator("svg.thumb-up path").count() == 1 and "👍" not in helpful.inner_text()
    helpful.click()
    page.get_by_text("Obrigado pela avaliação!").wait_for()
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)

    picked = Message.objects.filter(source="suggestion").get()
    assert Intent.objects.get(name=picked.intent).title == chosen_title
    assert Feedback.objects.get().message == picked and Feedback.objects.get().helpful


def test_a_conversation_shows_several_bubbles_and_a_button_answers_the_question(browser_page, settings):
    from io import StringIO

    from django.core.management import call_command

    from .test_rasa_projects import RASA1

    settings.MODEL_STORE_CHECK_SECONDS = 0
    clear_cache()
    call_command("faq_import", str(RASA1), stdout=StringIO())
    faq_train_blocking()
    page = browser_page
    page.goto(page.base_url + "/chat/")
    page.get_by_label("Sua pergunta").fill("bom dia")
    page.keyboard.press("Enter")
    question = page.locator(".msg.bot").nth(1)
    question.wait_for()
    assert page.locator(".msg.bot").count() == 2  # the greeting, then the follow-up question
    assert "Você quer saber como se cadastrar no SALIC?" in question.inner_text()
    assert question.locator(".buttons button").all_inner_texts() == ["Sim", "Não"]
    question.get_by_role("button", name="Sim", exact=True).click()
    page.locator(".msg.bot").nth(2).wait_for()
    assert page.locator(".msg.user").last.inner_text() == "Sim"
    assert "O cadastro é feito com a sua conta gov.br" in page.locator(".msg.bot").last.inner_text()
    assert question.get_by_role("button", name="Não", exact=True).is_disabled()
    page.screenshot(path=str(ARTIFACTS / "chat-dialogue.png"), full_page=True)
    last = Message.objects.order_by("-id").first()
    assert last.text == "/afirmar" and last.actions == ["utter_cadastro"]
