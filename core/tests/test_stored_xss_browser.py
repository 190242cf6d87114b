"""Stored XSS, proven in a real browser, and the Content-Security-Policy the pages work under.

Editors' and importers' text (answers, intent titles and names, SALIC names, chat messages) carries
`<script>` and attribute-breaking `<img onerror>` payloads that would set `window.__xss`. Each page
is visited twice: with the CSP (no violation may be reported, so the policy breaks nothing and no
payload became markup) and without it (escaping alone must hold: no payload may run). Every
visit also checks that the payload is on screen as literal text and that no dialog opened and no
script error happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Page

from conftest import ARTIFACTS
from faq_bot.models import Answer, Intent, Message
from faq_bot.tests.conftest import build_content
from faq_bot.training import faq_train_blocking
from model_store.models import ModelVersion
from model_store.serving import clear_cache
from salic_ml.dashboard.tests.conftest import build_world
from salic_ml.models import BudgetLine, Project, Proponent, Segment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def payload(where: str) -> str:
    """Text that runs `window.__xss = where` if it ever becomes markup (element body or attribute)."""
    return f"{where}<script>window.__xss='{where}'</script>\"'><img src=x onerror=\"window.__xss='{where}'\">"


REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolation([e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(" "));
});
"""


@dataclass
class Watch:
    """What the browser reported: CSP violations, console errors, uncaught errors and dialogs."""

    page: Page
    violations: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.violations.clear()
        self.console.clear()
        self.errors.clear()
        self.dialogs.clear()


@pytest.fixture
def watch(browser_page: Page) -> Watch:
    page = browser_page
    w = Watch(page)
    page.expose_function("__cspViolation", lambda text: w.violations.append(text))
    page.add_init_script(REPORTER)

    def on_console(message) -> None:
        # The admin pages declare no icon, so chromium's own /favicon.ico request may 404: not the page's doing.
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):
            w.console.append(f"{message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: w.errors.append(str(e)))

    def on_dialog(dialog) -> None:
        w.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return w


def with_and_without_csp(settings, check) -> None:
    """Run `check(csp_on)` under the policy, then with the header switched off."""
    policy = django_settings.SECURE_CSP
    check(True)
    settings.SECURE_CSP = {}
    try:
        check(False)
    finally:
        settings.SECURE_CSP = policy


def visit(w: Watch, path: str, *, csp: bool, wait_for: str | Sequence[str] = ()) -> None:
    w.reset()
    response = w.page.goto(w.page.base_url + path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    header = response.headers.get("content-security-policy")
    if csp:
        assert header and "script-src 'self'" in header, path
    else:
        assert header is None, path
    for selector in [wait_for] if isinstance(wait_for, str) else wait_for:
        w.page.locator(selector).first.wait_for()


def assert_clean(w: Watch, where: str, *, shown: Sequence[str] = ()) -> None:
    """No payload ran, the browser reported nothing, and each `shown` text is on screen verbatim."""
    page = w.page
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)  # let violation events and late errors arrive
    assert page.evaluate("window.__xss") is None, f"{where}: a payload ran ({page.evaluate('window.__xss')})"
    assert w.violations == [], f"{where}: CSP violations {w.violations}"
    assert w.dialogs == [], f"{where}: dialogs {w.dialogs}"
    inline = page.locator("script:not([src]):not([type='application/json'])").count()
    assert inline == 0, f"{where}: {inline} inline script element(s)"
    assert page.locator("img[src='x']").count() == 0, f"{where}: a payload became an <img>"
    assert w.errors == [], f"{where}: script errors {w.errors}"
    assert w.console == [], f"{where}: console errors {w.console}"
    text = page.locator("body").inner_text()
    for expected in shown:
        assert expected in text, f"{where}: {expected!r} is not shown as text"


def log_in(w: Watch, login_path: str, username: str, password: str) -> None:
    visit(w, login_path, csp=True, wait_for="#id_password")
    assert_clean(w, login_path)
    w.page.fill("#id_username", username)
    w.page.fill("#id_password", password)
    w.page.locator("form [type=submit]").last.click()
    w.page.wait_for_url(lambda url: login_path not in url)  # logged in and redirected


def test_faq_content_and_chat_messages_show_as_text_on_the_chat_and_admin_pages(watch, staff_user, settings):
    settings.MODEL_STORE_CHECK_SECONDS = 0
    clear_cache()
    build_content()
    senha = Intent.objects.get(name="senha")
    Intent.objects.filter(pk=senha.pk).update(title=payload("title"))
    Answer.objects.filter(intent=senha).update(text=payload("answer"))
    # The name validator refuses markup in the admin and the importers; the pages must not rely on it.
    Intent.objects.filter(name="ingressos").update(name=payload("name"))
    run = faq_train_blocking()
    assert run.status == "succeeded", run.error
    version = run.version
    ModelVersion.objects.filter(pk=version.pk).update(gate_reasons=[f"A intenção '{payload('gate')}' piorou."])
    page = watch.page

    def chat(csp: bool) -> None:
        settings.FAQ_FALLBACK_MIN_CONFIDENCE = 0.5
        visit(watch, "/chat/", csp=csp, wait_for="button.starter")
        # Starters carry the titles both as button text and in a data attribute.
        assert page.locator("button.starter", has_text="window.__xss='title'").get_attribute("data-text") == payload(
            "title"
        )
        page.get_by_label("Sua pergunta").fill("esqueci minha senha")
        page.keyboard.press("Enter")
        page.locator(".msg.bot .feedback").first.wait_for()
        assert page.locator(".msg.bot .body").first.inner_text() == payload("answer")
        settings.FAQ_FALLBACK_MIN_CONFIDENCE = 1.01  # the next answer offers the titles as suggestions
        page.get_by_label("Sua pergunta").fill(payload("question"))
        page.keyboard.press("Enter")
        page.locator(".suggestions button").first.wait_for()
        assert payload("title") in page.locator(".suggestions").inner_text()
        assert_clean(watch, "chat", shown=[payload("answer"), payload("question"), payload("title")])
        if csp:
            page.screenshot(path=str(ARTIFACTS / "xss-chat.png"), full_page=True)

    with_and_without_csp(settings, chat)
    settings.FAQ_FALLBACK_MIN_CONFIDENCE = 0.5
    assert Message.objects.filter(text=payload("question")).count() == 2
    # A message the model sent to the renamed intent, for the review queue's intent column.
    conversation = Message.objects.first().conversation
    Message.objects.create(conversation=conversation, text="quanto custa", intent=payload("name"), fallback=True)

    log_in(watch, "/admin/login/", "staff", "pw-staff-123")
    pages = [
        ("/admin/faq_bot/intent/", (), [payload("title"), payload("name")]),
        (f"/admin/faq_bot/intent/{senha.pk}/change/", "#id_title", [payload("title")]),
        ("/admin/faq_bot/message/?fila=sim", (), [payload("question"), payload("name")]),
        ("/admin/faq_bot/message/quality/", "#chart-versions.js-plotly-plot svg", []),
        (f"/admin/model_store/modelversion/{version.pk}/change/", ".mv-report", [payload("name"), payload("gate")]),
    ]

    def admin(csp: bool) -> None:
        for path, wait_for, shown in pages:
            visit(watch, path, csp=csp, wait_for=wait_for)
            assert_clean(watch, path, shown=shown)
            if "/change/" in path and "intent" in path:
                # Form fields hold the stored text unchanged.
                assert page.input_value("#id_title") == payload("title")
                assert page.input_value("#id_answers-0-text") == payload("answer")
            if csp:
                name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
                page.screenshot(path=str(ARTIFACTS / f"xss-{name}.png"), full_page=True)

    with_and_without_csp(settings, admin)


def test_salic_names_show_as_text_on_the_dashboards(watch, evaluator_user, settings):
    world = build_world()
    project = world.rich
    Project.objects.filter(pk=project.pk).update(name=payload("project"))
    Segment.objects.filter(pk=project.segment_id).update(name=payload("segment"))
    Proponent.objects.filter(pk=project.proponent_id).update(name=payload("proponent"))
    BudgetLine.objects.filter(line_id=9000).update(item_name=payload("item"))
    seg = project.segment.code
    pages = [
        ("/salic/", "#chart-histogram.js-plotly-plot svg", ["project", "segment", "proponent"]),
        (
            f"/salic/projects/{project.pronac}/",
            ["#chart-gauge.js-plotly-plot svg", ".chart-distribution.js-plotly-plot svg"],
            ["project", "segment", "proponent", "item"],
        ),
        (f"/salic/segments/{seg}/", "#chart-histogram.js-plotly-plot svg", ["project", "segment", "proponent"]),
    ]
    log_in(watch, "/salic/entrar/", "evaluator", "pw-evaluator-123")
    page = watch.page

    def dashboards(csp: bool) -> None:
        for path, wait_for, shown in pages:
            visit(watch, path, csp=csp, wait_for=wait_for)
            assert_clean(watch, path, shown=[payload(s) for s in shown])
            if csp:
                name = "-".join(path.strip("/").split("/")[:2])
                page.screenshot(path=str(ARTIFACTS / f"xss-{name}.png"), full_page=True)

    with_and_without_csp(settings, dashboards)


def test_home_admin_index_and_api_docs_work_under_the_policy(watch, staff_user):
    page = watch.page
    visit(watch, "/", csp=True, wait_for="h1")
    assert_clean(watch, "home", shown=["Assistente de dúvidas"])
    visit(watch, "/api/docs/", csp=True, wait_for=".swagger-ui .info .title")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert_clean(watch, "api docs", shown=["Rouanet ML API"])
    assert page.locator(".swagger-ui .opblock").count() > 10
    page.screenshot(path=str(ARTIFACTS / "csp-api-docs.png"))
    log_in(watch, "/admin/login/", "staff", "pw-staff-123")
    visit(watch, "/admin/", csp=True, wait_for="#content-main")
    assert_clean(watch, "admin index", shown=["Conteúdo, modelos e dados"])
