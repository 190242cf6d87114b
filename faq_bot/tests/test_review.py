from __future__ import annotations

import json

import pytest

from faq_bot.models import Example, Feedback, Message, RegressionCase
from faq_bot.training import faq_train_blocking
from model_store.models import TrainingRun
from model_store.serving import clear_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def chatted(base_content, settings, client):
    settings.MODEL_STORE_CHECK_SECONDS = 0
    clear_cache()
    faq_train_blocking()
    settings.FAQ_FALLBACK_MIN_CONFIDENCE = 1.01  # every answer below: a fallback
    ids = []
    for text in ("xyzzy plugh", "quero saber do ingresso"):
        body = client.post("/api/faq/chat/", json.dumps({"message": text}), content_type="application/json").json()
        ids.append(body["message_id"])
    settings.FAQ_FALLBACK_MIN_CONFIDENCE = 0.0
    confident = client.post(
        "/api/faq/chat/", json.dumps({"message": "esqueci a senha"}), content_type="application/json"
    )
    ids.append(confident.json()["message_id"])
    Feedback.objects.create(message_id=ids[2], helpful=False)
    return ids


def test_the_review_queue_lists_fallbacks_and_unhelpful_answers(client, editor_user, chatted):
    client.force_login(editor_user)
    page = client.get("/admin/faq_bot/message/?fila=sim").content.decode()
    assert "xyzzy plugh" in page and "esqueci a senha" in page
    assert Message.objects.needing_review(min_confidence=0.5).count() == 3


def test_add_as_example_of_the_chosen_intent_schedules_a_retrain(client, editor_user, chatted):
    client.force_login(editor_user)
    from faq_bot.models import Intent

    ingressos = Intent.objects.get(name="ingressos")
    response = client.post(
        "/admin/faq_bot/message/",
        {"action": "add_as_example", "_selected_action": [chatted[1]], "intent": ingressos.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert Example.objects.filter(intent=ingressos, text="quero saber do ingresso").exists()
    assert TrainingRun.objects.filter(status="queued", trigger="example added").exists()
    assert Message.objects.get(pk=chatted[1]).reviewed


def test_add_as_example_from_the_review_queue_reports_how_many_were_added(client, editor_user, chatted):
    client.force_login(editor_user)
    from faq_bot.models import Intent

    ingressos = Intent.objects.get(name="ingressos")
    response = client.post(
        "/admin/faq_bot/message/?fila=sim",
        {"action": "add_as_example", "_selected_action": chatted[:2], "intent": ingressos.pk},
        follow=True,
    )
    text = response.content.decode()
    assert "2 exemplo(s) adicionado(s) a &#x27;ingressos&#x27;" in text, text[:3000]
    assert Example.objects.filter(intent=ingressos, text__in=["xyzzy plugh", "quero saber do ingresso"]).count() == 2


def test_add_as_regression_case_and_mark_reviewed(client, editor_user, chatted):
    client.force_login(editor_user)
    from faq_bot.models import Intent

    senha = Intent.objects.get(name="senha")
    client.post(
        "/admin/faq_bot/message/",
        {"action": "add_as_regression_case", "_selected_action": [chatted[0]], "intent": senha.pk},
    )
    assert RegressionCase.objects.filter(text="xyzzy plugh", expected_intent=senha).exists()
    client.post("/admin/faq_bot/message/", {"action": "mark_reviewed", "_selected_action": [chatted[2]]})
    assert Message.objects.needing_review(min_confidence=0.5).count() == 1


def test_an_action_without_an_intent_explains_itself(client, editor_user, chatted):
    client.force_login(editor_user)
    response = client.post(
        "/admin/faq_bot/message/", {"action": "add_as_example", "_selected_action": [chatted[0]]}, follow=True
    )
    assert "Escolha a intenção" in response.content.decode()
    assert not Message.objects.get(pk=chatted[0]).reviewed


def test_quality_panel_shows_rates_per_version_with_the_local_chart_library(client, editor_user, chatted):
    client.force_login(editor_user)
    page = client.get("/admin/faq_bot/message/quality/").content.decode()
    assert "/static/vendor/plotly.min.js" in page and "cdn" not in page.lower()
    data = json.loads(page.split('id="quality-data" type="application/json">')[1].split("</script>")[0])
    assert data["versions"] == [{"version": 1, "messages": 3, "fallback_rate": 0.6667, "rated": 1, "helpful_rate": 0.0}]
    assert sum(day["messages"] for day in data["days"]) == 3


def test_chat_page_is_portuguese_and_loads_only_local_assets(client, base_content):
    page = client.get("/chat/").content.decode()
    assert 'lang="pt-BR"' in page and "Sua pergunta" in page
    assert "http://" not in page.replace("http://127.0.0.1", "") and "https://" not in page
    assert "csrftoken" in client.cookies


def test_quality_panel_has_one_heading_pt_br_day_labels_and_rounded_rates(client, editor_user, chatted):
    client.force_login(editor_user)
    page = client.get("/admin/faq_bot/message/quality/").content.decode()
    assert page.count("<h1>Qualidade do assistente</h1>") == 1
    data = json.loads(page.split('id="quality-data" type="application/json">')[1].split("</script>")[0])
    assert all(len(d["label"]) == 10 and d["label"][2] == "/" and d["label"][5] == "/" for d in data["days"])
    assert "<td>66,7%</td>" in page and "/static/js/plotly-pt-br.js" in page


def test_a_fallback_is_not_marked_with_a_green_check(client, editor_user, chatted):
    client.force_login(editor_user)
    page = client.get("/admin/faq_bot/message/?fila=sim").content.decode()
    fallback_cells = page.split('<td class="field-fallback_col">')[1:]
    assert fallback_cells and all("icon-yes" not in cell.split("</td>")[0] for cell in fallback_cells)
    assert '<span class="faq-fallback"' in page and "faq_bot/review.css" in page


def test_the_admin_index_links_the_review_queue_and_the_quality_panel(client, editor_user, base_content):
    client.force_login(editor_user)
    page = client.get("/admin/").content.decode()
    assert 'href="/admin/faq_bot/message/?fila=sim">Fila de revisão</a>' in page
    assert 'href="/admin/faq_bot/message/quality/">Painel de qualidade</a>' in page
