from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from faq_bot.content import faq_content_export, faq_content_import
from faq_bot.importers import ImportFormatError, parse_files, parse_rasa_markdown, parse_rasa_yaml, strip_entities
from faq_bot.models import Answer, Example, Intent, RegressionCase

BOILERPLATE = Path(__file__).resolve().parents[3] / "shared" / "data" / "rasa-ptbr-boilerplate"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_entity_markup_is_reduced_to_its_text():
    assert strip_entities('quero [dois](quantidade) ingressos para [Recife]{"entity": "cidade"}') == (
        "quero dois ingressos para Recife"
    )


def test_rasa_markdown_intents_and_examples(tmp_path):
    path = write(
        tmp_path, "nlu.md", "## intent:senha\n- esqueci a [senha](coisa)\n- troca de senha\n\n## synonym:x\n- y\n"
    )
    bundle = parse_rasa_markdown(path)
    assert list(bundle.intents) == ["senha"]
    assert bundle.intents["senha"].examples == ["esqueci a senha", "troca de senha"]


def test_malformed_markdown_names_file_and_line(tmp_path):
    path = write(tmp_path, "nlu.md", "## intent:ok\n- um\nisto não é um exemplo\n")
    with pytest.raises(ImportFormatError) as error:
        parse_rasa_markdown(path)
    assert error.value.line == 3 and "nlu.md:3" in str(error.value)


def test_rasa_yaml_with_domain_answers(tmp_path):
    nlu = write(
        tmp_path,
        "nlu.yml",
        'version: "3.1"\nnlu:\n- intent: senha\n  examples: |\n    - esqueci a senha\n    - troca de [senha](x)\n'
        "- synonym: abc\n  examples: |\n    - a\n",
    )
    domain = write(tmp_path, "domain.yml", "responses:\n  utter_senha:\n  - text: Use o gov.br.\n  - text: Outra.\n")
    bundle = parse_files([nlu], domain=domain)
    assert bundle.intents["senha"].examples == ["esqueci a senha", "troca de senha"]
    assert bundle.intents["senha"].answers == ["Use o gov.br.", "Outra."]


def test_rasa_1_templates_are_read_as_answers(tmp_path):
    nlu = write(tmp_path, "nlu.md", "## intent:oi\n- oi\n")
    domain = write(tmp_path, "domain.yml", "templates:\n  utter_oi:\n  - text: Olá!\n")
    assert parse_files([nlu], domain=domain).intents["oi"].answers == ["Olá!"]


def test_yaml_error_names_the_line(tmp_path):
    path = write(tmp_path, "nlu.yml", "nlu:\n- intent: a\n  examples: |\n    - x\n  - broken: [\n")
    with pytest.raises(ImportFormatError) as error:
        parse_rasa_yaml(path)
    assert error.value.line is not None and "YAML inválido" in error.value.message


def test_yaml_python_tags_are_refused_without_running_anything(tmp_path):
    path = write(tmp_path, "nlu.yml", "nlu: !!python/object/apply:os.system ['touch /tmp/pwned-by-yaml']\n")
    with pytest.raises(ImportFormatError, match="tag YAML não permitida"):
        parse_rasa_yaml(path)
    assert not Path("/tmp/pwned-by-yaml").exists()


def test_yaml_alias_bombs_are_refused(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n"
    with pytest.raises(ImportFormatError, match="aliases"):
        parse_rasa_yaml(write(tmp_path, "nlu.yml", bomb))


def test_json_and_golden_cases(tmp_path):
    path = write(
        tmp_path,
        "c.json",
        '{"intents": [{"name": "oi", "title": "Olá", "examples": ["oi", "olá"], "answers": ["Oi!"]}],'
        ' "golden": [{"text": "oi oi", "intent": "oi"}]}',
    )
    bundle = parse_files([path])
    assert bundle.intents["oi"].title == "Olá" and bundle.golden == [("oi oi", "oi")]


@pytest.mark.django_db
def test_a_malformed_file_imports_nothing(tmp_path):
    good = write(tmp_path, "a.md", "## intent:a\n- um\n")
    bad = write(tmp_path, "b.json", '{"intents": [{"name": "b", "examples": "not a list"}]}')
    with pytest.raises(CommandError, match="b.json.*nada foi importado"):
        call_command("faq_import", str(good), str(bad), stdout=StringIO())
    assert Intent.objects.count() == 0


@pytest.mark.django_db
def test_import_merges_by_default_and_replaces_on_request(tmp_path):
    call_command("faq_import", str(write(tmp_path, "a.md", "## intent:a\n- um\n- dois\n")), stdout=StringIO())
    call_command("faq_import", str(write(tmp_path, "b.md", "## intent:a\n- Dois\n- três\n")), stdout=StringIO())
    assert sorted(Example.objects.values_list("text", flat=True)) == ["dois", "três", "um"]
    call_command("faq_import", str(write(tmp_path, "c.md", "## intent:c\n- só c\n")), "--replace", stdout=StringIO())
    assert list(Intent.objects.values_list("name", flat=True)) == ["c"]


@pytest.mark.django_db
def test_export_round_trips_through_json_and_rasa_yaml(tmp_path, base_content):
    Answer.objects.create(intent=Intent.objects.get(name="senha"), text="Linha 1\nLinha 2 com https://www.gov.br")
    before = _snapshot()
    content, _ = faq_content_export(fmt="json")
    faq_content_import(bundle=parse_files([write(tmp_path, "x.json", content)]), replace=True)
    assert _snapshot() == before
    nlu, domain = faq_content_export(fmt="rasa-yml")
    bundle = parse_files([write(tmp_path, "nlu.yml", nlu)], domain=write(tmp_path, "domain.yml", domain))
    faq_content_import(bundle=bundle, replace=True)
    assert _snapshot()[:2] == before[:2]  # Rasa YAML carries no golden set


def _snapshot():
    examples = sorted(Example.objects.values_list("intent__name", "text"))
    answers = sorted(Answer.objects.values_list("intent__name", "text"))
    golden = sorted(RegressionCase.objects.values_list("text", "expected_intent__name"))
    return examples, answers, golden


@pytest.mark.django_db
def test_the_real_rasa_ptbr_boilerplate_imports(tmp_path):
    files = sorted(str(p) for p in BOILERPLATE.glob("nlu*.yml"))
    call_command("faq_import", *files, "--domain", str(BOILERPLATE / "domain.yml"), stdout=StringIO())
    assert Intent.objects.count() >= 30
    assert Example.objects.count() >= 300
    assert not Example.objects.filter(text__contains="](").exists()
    assert Answer.objects.filter(intent__name="cumprimentar").exists()
    assert Intent.objects.filter(name="explica/intent").exists()
