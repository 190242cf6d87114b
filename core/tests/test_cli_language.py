"""The command line speaks pt-BR: every management command of ours has Portuguese help for itself
and for each of its options (Django's own options, such as --verbosity, are Django's)."""

from __future__ import annotations

import argparse
import re

import pytest
from django.core.management import call_command, get_commands, load_command_class

# salic_import belongs to the SALIC ingest, reworded together with it (listed in docs/LANGUAGE.md).
OURS = ("faq_", "salic_", "models", "demo_setup")
NOT_YET = {"salic_import"}
DJANGO_OPTIONS = {"help", "version", "verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color",
                  "skip_checks"}  # fmt: skip
ENGLISH = re.compile(
    r"\b(the|of|and|with|a run|run|queue|train|print|result|load|write|wait|model names|version|versions|"
    r"drop|check|every|file|instead|replace|delete|older|than|incrementally|here|now|unless|when)\b",
    re.I,
)


def english_in(text: str) -> bool:
    """English words outside code: `literals`, --options and SETTING_NAMES are not prose."""
    return bool(ENGLISH.search(re.sub(r"`[^`]*`|--[\w-]+|[A-Z_]{4,}", "", text)))


def our_commands() -> list[tuple[str, str]]:
    return sorted(
        (name, app)
        for name, app in get_commands().items()
        if name.startswith(OURS)
        and name not in NOT_YET
        and app.split(".")[0] in ("core", "faq_bot", "salic_ml", "model_store")
    )


def help_texts(parser: argparse.ArgumentParser) -> list[str]:
    texts = [parser.description or ""]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                texts.append(choice.help or "")
            for sub in action.choices.values():
                texts += help_texts(sub)
        elif action.dest not in DJANGO_OPTIONS:
            assert action.help, f"option {action.option_strings or action.dest} has no help"
            texts.append(action.help)
    return texts


@pytest.mark.parametrize("name,app", our_commands())
def test_every_command_explains_itself_in_portuguese(name, app):
    command = load_command_class(app, name)
    assert command.help and not english_in(command.help), command.help
    parser = command.create_parser("manage.py", name)
    english = [t for t in help_texts(parser) if english_in(t)]
    assert not english, english


def test_the_registry_cli_answers_in_portuguese(db, capsys):
    from io import StringIO

    out = StringIO()
    call_command("models", "list", stdout=out)
    assert out.getvalue().strip() == "nenhum modelo registrado"
    with pytest.raises(Exception, match="modelo 'nada' não encontrado"):
        call_command("models", "show", "nada", stdout=StringIO())
