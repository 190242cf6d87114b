"""Admin for the conversation layer: responses, flows as step tables, validation on save."""

from __future__ import annotations

import pytest

from faq_bot.models import Flow, FlowStep, Intent, IntentResponse, Response, ResponseVariant
from faq_bot.validation import faq_content_validate

pytestmark = pytest.mark.django_db


def make_flow(name: str, steps: list[tuple[str, str]], kind: str = Flow.Kind.STORY) -> Flow:
    flow = Flow.objects.create(name=name, kind=kind)
    FlowStep.objects.bulk_create([FlowStep(flow=flow, position=i, kind=k, name=n) for i, (k, n) in enumerate(steps)])
    return flow


def test_flow_page_shows_a_readable_step_table(client, staff_user, base_content):
    flow = make_flow("senha", [("intent", "senha"), ("action", "utter_senha")])
    client.force_login(staff_user)
    listing = client.get("/admin/faq_bot/flow/").content.decode()
    assert "👤 senha → 🤖 utter_senha" in listing
    page = client.get(f"/admin/faq_bot/flow/{flow.pk}/change/").content.decode()
    assert "usuário: intenção" in page and 'value="utter_senha"' in page


def test_intent_and_response_pages_say_which_flows_use_them(client, staff_user, base_content):
    Response.objects.create(name="utter_mais_algo")
    flow = make_flow("menu", [("or", "senha | ingressos"), ("action", "utter_mais_algo")])
    client.force_login(staff_user)
    intent = Intent.objects.get(name="ingressos")
    page = client.get(f"/admin/faq_bot/intent/{intent.pk}/change/").content.decode()
    assert f"/admin/faq_bot/flow/{flow.pk}/change/" in page
    response = Response.objects.get(name="utter_mais_algo")
    page = client.get(f"/admin/faq_bot/response/{response.pk}/change/").content.decode()
    assert f"/admin/faq_bot/flow/{flow.pk}/change/" in page


def test_validation_names_unknown_intents_responses_unused_responses_and_shared_examples(base_content):
    make_flow("quebrado", [("intent", "nao_existe"), ("action", "utter_sumiu"), ("action", "utter_senha")])
    Response.objects.create(name="utter_orfa")
    IntentResponse.objects.create(intent=Intent.objects.get(name="senha"), response="utter_tambem_sumiu")
    from faq_bot.models import Example

    Example.objects.create(intent=Intent.objects.get(name="ingressos"), text="esqueci minha senha")
    issues = [str(i) for i in faq_content_validate()]
    assert "erro: história 'quebrado', passo 1: intenção desconhecida 'nao_existe'." in issues
    assert "erro: história 'quebrado', passo 2: resposta desconhecida 'utter_sumiu'." in issues
    assert not any("utter_senha" in i for i in issues)  # the intent's own answers count as a response
    assert "aviso: a resposta 'utter_orfa' não é usada por nenhum fluxo nem intenção." in issues
    assert any("utter_tambem_sumiu" in i for i in issues)
    assert any(
        "duas intenções: 'ingressos' e 'senha'" in i or "duas intenções: 'senha' e 'ingressos'" in i for i in issues
    )


def test_saving_a_flow_in_the_admin_shows_its_errors(client, staff_user, base_content):
    client.force_login(staff_user)
    data = {
        "name": "nova",
        "kind": "story",
        "active": "on",
        "source": "",
        "steps-TOTAL_FORMS": 2,
        "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
        "steps-0-position": 0,
        "steps-0-kind": "intent",
        "steps-0-name": "senha",
        "steps-0-entities": "[]",
        "steps-1-position": 1,
        "steps-1-kind": "action",
        "steps-1-name": "utter_inexistente",
        "steps-1-entities": "[]",
    }
    response = client.post("/admin/faq_bot/flow/add/", data, follow=True)
    assert response.status_code == 200
    assert Flow.objects.get(name="nova").steps.count() == 2
    assert "resposta desconhecida &#x27;utter_inexistente&#x27;" in response.content.decode()
    assert ResponseVariant.objects.count() == 0


@pytest.mark.parametrize("entities", ["5", '{"tema": "x"}', '["tema"]', '[{"value": "x"}]'])
def test_flow_step_entities_of_the_wrong_shape_are_refused_in_the_admin(client, staff_user, entities):
    client.force_login(staff_user)
    data = {
        "name": "ruim", "kind": "story", "active": "on", "source": "",
        "steps-TOTAL_FORMS": 1, "steps-INITIAL_FORMS": 0, "steps-MIN_NUM_FORMS": 0, "steps-MAX_NUM_FORMS": 1000,
        "steps-0-position": 0, "steps-0-kind": "intent", "steps-0-name": "senha", "steps-0-entities": entities,
    }  # fmt: skip
    response = client.post("/admin/faq_bot/flow/add/", data)
    assert response.status_code == 200 and "Use uma lista como" in response.content.decode()
    assert not Flow.objects.filter(name="ruim").exists()
