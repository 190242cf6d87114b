"""People first, in a real browser at a desktop (1280 px) and a phone (390 px) width: the training
outcome on the intent pages, the review queue's count and layout, the quality panel, and the pt-BR
403 page. Screenshots are kept under var/screenshots/ (CI artefacts)."""

from __future__ import annotations

import pytest
from django.conf import settings

from faq_bot.models import Conversation, Example, Intent, Message
from faq_bot.nlp import canonical
from faq_bot.tests.conftest import BASE_CONTENT
from faq_bot.training import faq_train, faq_train_blocking
from model_store.models import ModelVersion, TrainingRun
from model_store.runs import training_run_execute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"
WIDTHS = [pytest.param(1280, id="1280px"), pytest.param(390, id="390px")]


@pytest.fixture
def queued_not_run():
    """Training runs go to the (embedded) broker as in production and wait there: no worker runs here."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


def shot(page, name: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def log_in(page, width: int, username: str = "editor") -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}-123")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_sees_the_rejection_that_blocks_and_the_outcome_of_the_next_change(
    browser_page, editor_user, base_content, width, queued_not_run
):
    assert faq_train_blocking().version.status == ModelVersion.Status.PRODUCTION
    copy = Intent.objects.create(name="copia_senha", title="Cópia")
    Example.objects.bulk_create(
        [Example(intent=copy, text=t, canonical_text=canonical(t)) for t in BASE_CONTENT["senha"]]
    )
    rejected = faq_train_blocking()
    assert rejected.version.status == ModelVersion.Status.REJECTED

    page = browser_page
    log_in(page, width)
    page.goto(page.base_url + "/admin/faq_bot/intent/")
    box = page.locator("#faq-training")
    box.get_by_text(f"a versão v{rejected.version.version} foi rejeitada pelo portão").wait_for()
    assert box.get_by_role("link", name="copia_senha").is_visible()
    shot(page, "intent-list-rejected", width)

    # an unrelated change: the save message names the run, the box polls until the verdict is known
    intent = Intent.objects.get(name="ingressos")
    page.goto(page.base_url + f"/admin/faq_bot/intent/{intent.pk}/change/")
    page.locator(f"input[name='examples-{intent.examples.count()}-text']").fill("meia entrada para estudante")
    page.locator("input[name=_continue]").click()
    queued = TrainingRun.objects.get(status="queued")
    page.get_by_text(f"o treino #{queued.pk} foi agendado").wait_for()
    page.locator("#faq-training").get_by_text(f"Treino #{queued.pk} na fila").wait_for()
    training_run_execute(queued.pk, faq_train)
    verdict = page.locator("#faq-training").get_by_text(f"Treino #{queued.pk}: a versão v3 foi rejeitada")
    verdict.wait_for(timeout=20000)  # replaced by the poller, no reload
    shot(page, "intent-change-outcome", width)
    assert no_horizontal_overflow(page)

    page.locator("#faq-training").get_by_role("link", name="Abrir o relatório").first.click()
    page.wait_for_url("**/admin/model_store/modelversion/*/change/")
    assert "v3" in page.content()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_review_queue_counts_what_it_adds_and_gives_the_message_room(
    browser_page, editor_user, base_content, width
):
    conversation = Conversation.objects.create(public_id="00000000-0000-0000-0000-000000000001")
    long_text = "gostaria de saber como faço para comprar ingresso com desconto para estudante no teatro"
    for i, text in enumerate([long_text, "xyzzy plugh", "quero saber do ingresso"]):
        Message.objects.create(conversation=conversation, text=text, intent="ingressos", confidence=0.2 + i / 10,
                               fallback=True)  # fmt: skip
    page = browser_page
    log_in(page, width)
    page.goto(page.base_url + "/admin/faq_bot/message/?fila=sim")
    shot(page, "review-queue", width)
    if width >= 1280:
        text_width = page.locator("#result_list td.field-text").first.bounding_box()["width"]
        assert text_width >= 250, text_width
        table = page.locator("#result_list").bounding_box()
        viewport = page.viewport_size["width"]
        assert table["x"] + table["width"] <= viewport + 1, (table, viewport)  # no column cut off
    assert page.locator("td.field-fallback_col .faq-fallback").count() == 3
    assert page.locator("td.field-fallback_col img[alt=True]").count() == 0

    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "add_as_example")
    page.select_option("select[name=intent]", label=str(Intent.objects.get(name="ingressos")))
    page.locator("button[name=index]").click()
    page.get_by_text("3 exemplo(s) adicionado(s) a 'ingressos'").wait_for()
    shot(page, "review-queue-added", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_quality_panel_has_pt_br_dates_and_one_heading(browser_page, editor_user, base_content, width):
    conversation = Conversation.objects.create(public_id="00000000-0000-0000-0000-000000000002")
    Message.objects.create(conversation=conversation, text="oi", intent="saudacao", confidence=0.9)
    page = browser_page
    log_in(page, width)
    assert page.get_by_role("link", name="Painel de qualidade").is_visible()
    page.get_by_role("link", name="Painel de qualidade").click()
    page.locator("#chart-days.js-plotly-plot svg").first.wait_for()
    ticks = page.locator("#chart-days .xtick text").evaluate_all("els => els.map(e => e.textContent)")
    assert ticks and all(len(t) == 10 and t[2] == t[5] == "/" for t in ticks), ticks  # dd/mm/aaaa, no hours
    assert page.locator("h1").all_inner_texts() == ["Qualidade do assistente"]
    modebar = page.locator("#chart-days .modebar-btn").evaluate_all("els => els.map(e => e.dataset.title)")
    assert "Baixar gráfico como PNG" in modebar and not any("Download" in (t or "") for t in modebar)
    shot(page, "quality-panel", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_on_the_salic_dashboards_gets_a_portuguese_403_with_a_way_back(browser_page, editor_user, width):
    page = browser_page
    log_in(page, width)
    response = page.goto(page.base_url + "/salic/")
    assert response.status == 403
    page.get_by_role("heading", name="Acesso restrito").wait_for()
    assert "Forbidden" not in page.content()
    assert page.get_by_role("link", name="Ir para a administração").is_visible()
    assert no_horizontal_overflow(page)
    shot(page, "forbidden", width)
    page.get_by_role("link", name="Voltar ao início").click()
    page.wait_for_url(page.base_url + "/")
