"""`faq_export --format rasa-yml` writes a Rasa 3 project that `faq_import` reads back identically."""

from __future__ import annotations

from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from faq_bot.models import (
    Answer,
    Entity,
    Example,
    Flow,
    Intent,
    IntentResponse,
    LookupTable,
    RegexPattern,
    RegressionCase,
    Response,
    Synonym,
)

from .test_importers import BOILERPLATE
from .test_rasa_projects import RASA1

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "intents": sorted(Intent.objects.values_list("name", "title", "description", "active")),
        "examples": sorted(Example.objects.values_list("intent__name", "text", "annotated")),
        "answers": sorted(Answer.objects.values_list("intent__name", "text")),
        "responses": {
            r.name: (
                [v.text for v in r.variants.all()],
                [(b.title, b.payload) for b in r.buttons.all()],
            )
            for r in Response.objects.all()
        },
        "sequences": sorted(IntentResponse.objects.values_list("intent__name", "position", "response")),
        "flows": sorted(
            (
                f.kind,
                f.name,
                f.conversation_start,
                f.active,
                tuple((s.kind, s.name, str(s.entities), s.text) for s in f.steps.all()),
            )
            for f in Flow.objects.all()
        ),
        "entities": sorted(Entity.objects.values_list("name", flat=True)),
        "synonyms": sorted(Synonym.objects.values_list("value", "examples")),
        "lookups": sorted(LookupTable.objects.values_list("name", "elements")),
        "regexes": sorted(RegexPattern.objects.values_list("name", "patterns")),
        "golden": sorted(RegressionCase.objects.values_list("text", "expected_intent__name")),
    }


def round_trip(tmp_path, *extra: str) -> dict:
    out = tmp_path / "projeto"
    call_command("faq_export", "--format", "rasa-yml", "--out", str(out), *extra, stdout=StringIO())
    call_command("faq_import", str(out), "--replace", stdout=StringIO())
    return snapshot()


@pytest.mark.parametrize("project", [RASA1, BOILERPLATE], ids=["rasa1-markdown", "rasa3-boilerplate"])
def test_export_then_import_gives_back_identical_content(tmp_path, project):
    call_command("faq_import", str(project), stdout=StringIO())
    intent = Intent.objects.order_by("name").first()
    intent.title, intent.description = "Título escrito à mão", "Descrição\ncom duas linhas"
    intent.save()
    IntentResponse.objects.create(intent=intent, position=0, response=f"utter_{intent.name}")
    IntentResponse.objects.create(intent=intent, position=1, response="utter_extra")
    Response.objects.get_or_create(name="utter_extra")[0].variants.create(text="Mais uma: {tema}")
    RegressionCase.objects.create(text="uma frase de ouro qualquer", expected_intent=intent)
    Flow.objects.filter(pk=Flow.objects.order_by("id").first().pk).update(active=False)
    before = snapshot()
    assert before["flows"] and before["responses"]
    assert round_trip(tmp_path, "--include-inactive") == before


def test_inactive_intents_are_left_out_unless_asked(tmp_path):
    call_command("faq_import", str(RASA1), stdout=StringIO())
    Intent.objects.filter(name="negar").update(active=False)
    out = tmp_path / "p"
    call_command("faq_export", "--format", "rasa-yml", "--out", str(out), stdout=StringIO())
    domain = yaml.safe_load((out / "domain.yml").read_text())
    assert "negar" not in domain["intents"] and "utter_negar" not in domain["responses"]
    nlu = yaml.safe_load((out / "data" / "nlu.yml").read_text())
    assert {"intent": "prazo"}.items() <= next(i for i in nlu["nlu"] if i.get("intent") == "prazo").items()
    assert (
        "- até quando vai o prazo de [captar](tema:captacao)\n"
        in next(i for i in nlu["nlu"] if i.get("intent") == "prazo")["examples"]
    )
    call_command("faq_export", "--format", "rasa-yml", "--out", str(out), "--include-inactive", stdout=StringIO())
    assert "negar" in yaml.safe_load((out / "domain.yml").read_text())["intents"]


def test_inactive_flows_are_left_out_by_default(tmp_path):
    call_command("faq_import", str(RASA1), stdout=StringIO())
    Flow.objects.filter(name="prazo com tema").update(active=False)
    out = tmp_path / "p"
    call_command("faq_export", "--format", "rasa-yml", "--out", str(out), stdout=StringIO())
    stories = yaml.safe_load((out / "data" / "stories.yml").read_text())["stories"]
    assert "prazo com tema" not in [s["story"] for s in stories]
