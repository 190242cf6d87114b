"""Everything a person reads in the admin and on the dashboards is Portuguese: a walk over every admin
page (index, app pages, lists, add and change forms) and every dashboard page, failing on words
Django derives from code or ships in English when a name or a translation is missing."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import Client

from faq_bot.models import Conversation, Message
from faq_bot.tests.conftest import build_content
from faq_bot.training import faq_train_blocking
from salic_ml.dashboard.tests.conftest import build_world

pytestmark = pytest.mark.django_db

# Words the pages show when a model or field has no Portuguese name (Django derives them from code),
# or when a text is not translated. Compared with whole visible labels, case-insensitively.
ENGLISH = {
    "Name", "Status", "Message", "Trigger", "Gate passed", "Created at", "Updated at", "Version", "Kind",
    "Reason", "Forced", "Progress", "Model versions", "Model version", "Promotions", "Training runs",
    "Training run", "Dataset snapshots", "Model artifacts", "Actor label", "From version", "To version",
    "Row counts", "Source", "Fingerprint", "Params", "Metrics", "Duration seconds", "Requested by",
    "Text", "Canonical text", "Active", "Title", "Description", "Intent", "Intents", "Examples", "Example",
    "Answers", "Answer", "Position", "Steps", "Step", "Patterns", "Elements", "Value", "Values",
    "Conversation", "Conversations", "Helpful", "Comment", "Feedback", "Feedbacks", "Reviewed", "Fallback rate",
    "Confidence", "Channel", "Sender id", "Public id", "Entities", "Entity", "Synonyms", "Lookup tables",
    "Regex patterns", "Responses", "Response", "Flows", "Flow", "Regression cases", "Content states",
    "Changed at", "Pending run", "Add", "Change", "Delete", "View", "Save", "Search", "Filter", "Action",
    "Yes", "No", "Unknown", "Home", "History", "Log out", "Welcome", "Download", "Export",
    "Project", "Projects", "Segment", "Segments", "Area", "Areas", "Proponent", "Proponents", "Score",
    "Scores", "Band", "Complexity", "Indicators", "Evidence", "Rating", "Comments", "Updated", "Created",
    "Selected", "All", "Previous", "Next", "Page", "Login", "Username", "Password",
    "Delete selected intenções", "Delete selected", "Select all", "Clear selection", "Run",
}  # fmt: skip
ENGLISH_LOWER = {word.lower() for word in ENGLISH}
# Whole sentences Django writes when its catalog is not used, and our own earlier slips.
ENGLISH_PHRASES = ("was added successfully", "was changed successfully", "Select %s", "(succeeded)", "(failed)")
# Portuguese grammar slips of Django's gender-neutral catalog with our feminine model names.
GRAMMAR_SLIPS = (r"O intenção", r"intenções selecionados", r"O mensagem", r"O conversa", r"Visualizar model")

LABEL_PATTERNS = (
    r"<th[^>]*>(.*?)</th>",
    r"<h[1-3][^>]*>(.*?)</h[1-3]>",
    r"<caption[^>]*>(.*?)</caption>",
    r'<div class="breadcrumbs">(.*?)</div>',
    r"<label[^>]*>(.*?)</label>",
    r"<option[^>]*>(.*?)</option>",
    r'<input type="submit"[^>]*value="([^"]*)"',
    r"<button[^>]*>(.*?)</button>",
    r"<legend[^>]*>(.*?)</legend>",
    r'<a [^>]*class="[^"]*(?:button|addlink|historylink|viewsitelink)[^"]*"[^>]*>(.*?)</a>',
)


def visible_labels(html: str) -> set[str]:
    """Headers, breadcrumbs, headings, form labels, options and buttons: where names appear."""
    found = set()
    for pattern in LABEL_PATTERNS:
        for chunk in re.findall(pattern, html, flags=re.S):
            found.update(t.strip().rstrip(":").strip() for t in re.split(r"<[^>]+>|›|&rsaquo;", chunk) if t.strip())
    return found


def english_on(html: str) -> list[str]:
    hits = sorted(label for label in visible_labels(html) if label.lower() in ENGLISH_LOWER)
    hits += [phrase for phrase in ENGLISH_PHRASES if phrase in html]
    hits += [slip for slip in GRAMMAR_SLIPS if re.search(slip, html)]
    return hits


@pytest.fixture
def content(db):
    """Something on every page: FAQ content, a trained model with its run, a conversation, SALIC scores."""
    build_content()
    faq_train_blocking()
    conversation = Conversation.objects.create(public_id="00000000-0000-0000-0000-0000000000aa")
    Message.objects.create(conversation=conversation, text="oi", intent="saudacao", confidence=0.9, fallback=True)
    return build_world()


# Admin pages of our own beyond the model pages: the review queue, the quality panel.
CUSTOM_ADMIN_PAGES = ["/admin/faq_bot/message/?fila=sim", "/admin/faq_bot/message/quality/"]


def admin_urls() -> list[str]:
    urls = ["/admin/", *CUSTOM_ADMIN_PAGES, *sorted({f"/admin/{m._meta.app_label}/" for m in admin.site._registry})]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls.append(base)
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(f"{base}{first.pk}/change/")
        urls.append(f"{base}add/")
    return urls


def test_every_admin_page_speaks_portuguese(client, staff_user, content):
    client.force_login(staff_user)
    english, visited = {}, 0
    for url in admin_urls():
        response = client.get(url)
        if url.endswith("/add/") and response.status_code == 403:
            continue  # read-only registries: no add page at all
        assert response.status_code == 200, url
        visited += 1
        if hits := english_on(response.content.decode()):
            english[url] = hits
    assert visited > 40, visited
    assert not english, "\n".join(f"{u}: {h}" for u, h in english.items())


def test_every_admin_message_after_a_save_is_portuguese_and_agrees_in_gender(client, staff_user, content):
    client.force_login(staff_user)
    response = client.post(
        "/admin/faq_bot/synonym/add/", {"value": "Lei Rouanet", "examples": '["rouanet"]'}, follow=True
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "was added" not in text and "O sinônimo" not in text and not english_on(text), english_on(text)
    assert "Registro salvo" in text


def test_every_dashboard_page_speaks_portuguese(evaluator_user, content):
    client = Client()
    client.force_login(evaluator_user)
    world = content
    segment = world.rich.segment.code
    urls = [
        "/salic/",
        "/salic/?band=muito_complexo",
        f"/salic/projects/{world.rich.pronac}/",
        f"/salic/segments/{segment}/",
    ]
    urls += ["/", "/chat/", "/salic/entrar/"]
    english = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if hits := english_on(response.content.decode()):
            english[url] = hits
    assert not english, "\n".join(f"{u}: {h}" for u, h in english.items())


# Words that only an English text would contain (whole words, case-insensitive).
ENGLISH_WORDS = re.compile(
    r"\b(the|of|and|with|one|its|was|were|is|are|per|by|from|retry|later|found|invalid|input)\b", re.I
)


def test_the_openapi_document_is_portuguese(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    texts: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("summary", "description", "title") and isinstance(value, str):
                    texts.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)
    assert len(texts) > 40
    english = sorted({t for t in texts if ENGLISH_WORDS.search(re.sub(r"`[^`]*`", "", t))})
    assert not english, english
    assert "token" in schema["info"]["description"].lower()
