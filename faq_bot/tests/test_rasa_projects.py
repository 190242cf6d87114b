"""Whole Rasa projects in: a Rasa 1.x Markdown project (ours) and the real Rasa 3 boilerplate."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from faq_bot.importers import parse_files
from faq_bot.models import (
    Answer,
    Entity,
    Example,
    Flow,
    Intent,
    LookupTable,
    RegexPattern,
    Response,
    ResponseButton,
    Synonym,
)

from .test_importers import BOILERPLATE, write

RASA1 = Path(__file__).resolve().parent / "fixtures" / "rasa1"

pytestmark = pytest.mark.django_db


def steps(flow: Flow) -> list[tuple[str, str]]:
    return [(s.kind, s.name) for s in flow.steps.all()]


def test_a_rasa_1_project_directory_imports_everything_it_holds():
    out = StringIO()
    call_command("faq_import", str(RASA1), stdout=out)
    # annotated examples keep their markup and train on the plain text
    example = Example.objects.get(text="até quando vai o prazo de captar")
    assert example.annotated == "até quando vai o prazo de [captar](tema:captacao)"
    assert Synonym.objects.get(value="captacao").lines == ["captação", "captar", "captacao de recursos"]
    assert LookupTable.objects.get(name="tema").lines == ["captação", "prestação de contas", "projeto"]
    assert RegexPattern.objects.get(name="pronac").lines == [r"\b\d{6}\b"]
    assert set(Entity.objects.values_list("name", flat=True)) == {"tema", "pronac"}
    # templates: utter_<intent> without buttons are the intent's answers; the others are named responses
    assert sorted(Answer.objects.filter(intent__name="cumprimentar").values_list("text", flat=True)) == [
        "Oi! Que bom te ver por aqui.",
        "Olá! Sou o assistente do SALIC.",
    ]
    offer = Response.objects.get(name="utter_oferecer_cadastro")
    assert list(offer.buttons.values_list("title", "payload")) == [("Sim", "/afirmar"), ("Não", "/negar")]
    assert Answer.objects.filter(intent__name="prazo").count() == 2  # the image-only variant is reported
    # stories with checkpoints, entities and OR steps; Markdown e2e test stories
    story = Flow.objects.get(name="Story 1", kind="story")
    assert steps(story) == [
        ("intent", "cumprimentar"),
        ("action", "utter_cumprimentar"),
        ("action", "utter_oferecer_cadastro"),
        ("checkpoint", "ofereceu_cadastro"),
    ]
    assert Flow.objects.get(name="prazo com tema").steps.first().entities == [{"entity": "tema", "value": "captacao"}]
    assert steps(Flow.objects.get(name="qualquer um dos dois"))[0] == ("or", "cadastro | afirmar")
    test = Flow.objects.get(kind="test")
    assert [(s.name, s.text) for s in test.steps.all() if s.kind == "intent"] == [
        ("cumprimentar", "bom dia"),
        ("afirmar", "quero"),
    ]
    # what cannot be represented is listed by file and line
    text = out.getvalue()
    assert "stories.md:25: evento não suportado em história: 'slot{\"visto\": true}'" in text
    assert "stories.md:26: ação personalizada 'action_registrar'" in text
    assert "domain.yml:12: 'slots'" in text
    assert "domain.yml:34: 'image' em 'utter_prazo' não é suportado" in text


def test_the_real_rasa_3_boilerplate_imports_as_a_project_directory():
    out = StringIO()
    call_command("faq_import", str(BOILERPLATE), stdout=out)
    assert Intent.objects.filter(name="explica/intent").exists()
    assert Flow.objects.filter(kind="story").count() == 20
    assert Flow.objects.filter(kind="rule").count() == 4
    assert Flow.objects.filter(kind="test").count() == 5
    assert steps(Flow.objects.get(name="religiao")) == [
        ("intent", "religiao"),
        ("action", "utter_religiao"),
        ("action", "utter_continuar_conversa"),
    ]
    assert Response.objects.get(name="utter_continuar_conversa").variants.exists()
    assert Answer.objects.filter(intent__name="despedir").count() == 3
    text = out.getvalue()
    assert "domain.yml:91: 'forms': formulários não são suportados" in text
    assert "stories.yml:100: ação personalizada 'action_exemplo'" in text
    assert "rules.yml:22: 'condition' em 'Envia formulário' não é suportado; importado inativo" in text
    assert not Flow.objects.get(name="Envia formulário").active
    # validation like `rasa data validate`
    assert "aviso: a resposta 'utter_risada' não é usada por nenhum fluxo nem intenção." in text


def test_a_story_naming_an_unknown_intent_is_reported_and_a_broken_file_imports_nothing(tmp_path):
    write(tmp_path, "nlu.md", "## intent:oi\n- oi\n- olá\n")
    write(tmp_path, "stories.md", "## conversa\n* tchau\n  - utter_oi\n")
    out = StringIO()
    call_command("faq_import", str(tmp_path), stdout=out)
    assert "erro: história 'conversa', passo 1: intenção desconhecida 'tchau'." in out.getvalue()
    broken = tmp_path / "broken"
    broken.mkdir()
    write(broken, "nlu.md", "## intent:novo\n- novo\n")
    write(broken, "stories.yml", "stories:\n- story: x\n  steps: {}\n")
    with pytest.raises(CommandError, match="stories.yml:2.*nada foi importado"):
        call_command("faq_import", str(broken), stdout=StringIO())
    assert not Intent.objects.filter(name="novo").exists()


def test_yaml_nlu_annotations_synonyms_lookups_and_regexes(tmp_path):
    nlu = write(
        tmp_path,
        "nlu.yml",
        'version: "3.1"\nnlu:\n- intent: prazo\n  examples: |\n'
        '    - prazo de [captação]{"entity": "tema", "value": "captacao"}\n    - qual o prazo\n'
        "- synonym: captacao\n  examples: |\n    - captar\n"
        "- lookup: tema\n  examples: |\n    - captação\n"
        "- regex: pronac\n  examples: |\n    - \\d{6}\n",
    )
    bundle = parse_files([nlu])
    assert bundle.intents["prazo"].annotated == {
        "prazo de captação": 'prazo de [captação]{"entity": "tema", "value": "captacao"}'
    }
    assert bundle.synonyms == {"captacao": ["captar"]}
    assert bundle.lookups == {"tema": ["captação"]} and bundle.regexes == {"pronac": [r"\d{6}"]}
    assert ResponseButton.objects.count() == 0


def test_the_boilerplate_response_selector_rule_answers_each_retrieval_intent():
    from faq_bot.dialogue import load_dialogue_content, next_actions, render

    call_command("faq_import", str(BOILERPLATE), stdout=StringIO())
    content = load_dialogue_content()
    actions, flow, _ = next_actions(content, history=[], intent="explica/forms", entities={}, unsure=False)
    assert actions == ["utter_explica"] and flow == "explica"
    [message] = render(content, actions, intent="explica/forms", slots={}, seed=1)
    assert message.text == "Ok, vou te explicar o que é um formulário!"


def test_e2e_test_steps_without_an_intent_are_listed_as_unsupported(tmp_path):
    path = write(
        tmp_path,
        "test_e2e.yml",
        "stories:\n- story: só texto\n  steps:\n  - user: oi\n  - action: utter_oi\n",
    )
    bundle = parse_files([path])
    assert bundle.unsupported == [f"{path}:4: 'só texto': passo 'user' sem 'intent' (e2e) não é suportado"]
    assert bundle.flows[0].kind == "test" and [s.kind for s in bundle.flows[0].steps] == ["action"]


def test_names_too_long_or_malformed_are_refused_with_file_and_line(tmp_path):
    from faq_bot.importers import ImportFormatError

    long_intent = write(tmp_path, "nlu.md", "## intent:" + "a" * 101 + "\n- oi\n")
    with pytest.raises(ImportFormatError, match="nlu.md:1: nome de intenção inválido"):
        parse_files([long_intent])
    bad_response = write(tmp_path, "domain.yml", "responses:\n  utter_com espaço:\n  - text: oi\n")
    with pytest.raises(ImportFormatError, match="domain.yml:3: nome de resposta inválido"):
        parse_files([bad_response])


def test_documentation_in_a_project_folder_is_not_read_as_stories(tmp_path):
    write(tmp_path, "README.md", "# Projeto\n\n## Como usar\n* instale\n* rode o treino\n")
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", "stories.md", "## oi\n* cumprimentar\n  - utter_oi\n")
    bundle = parse_files([tmp_path])
    assert [f.name for f in bundle.flows] == ["oi"]
