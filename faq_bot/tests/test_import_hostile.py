"""Hostile FAQ files are refused by file (and line where it can be found), in pt-BR, quickly, and
nothing reaches the database: deep nesting, lone surrogates, NUL, huge names, quadratic patterns."""

from __future__ import annotations

import json
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from faq_bot.importers import ImportFormatError, parse_files
from faq_bot.models import Intent

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as error:
        parse_files([path])
    return error.value


def test_deeply_nested_yaml_and_json_are_refused_not_a_recursion_error(tmp_path):
    assert "aninhado demais" in str(refused(write(tmp_path, "nlu.yml", "nlu: " + "[" * 5000 + "]" * 5000)))
    assert "aninhado demais" in str(refused(write(tmp_path, "golden.json", "[" * 5000 + "]" * 5000)))


def test_a_lone_surrogate_is_refused_with_the_file_and_line(tmp_path):
    domain = 'version: "3.1"\nintents:\n- ajuda\nresponses:\n  utter_ajuda:\n  - text: "estamos aqui \\ud800 agora"\n'
    error = refused(write(tmp_path, "domain.yml", domain))
    assert "caractere inválido" in str(error) and error.line == 6


def test_nul_inside_an_answer_is_refused_by_file(tmp_path):
    golden = [{"text": "qual o prazo", "intent": "prazo\u0000"}]
    with pytest.raises(ImportFormatError):
        parse_files([write(tmp_path, "golden.json", json.dumps(golden))])


def test_a_long_line_of_open_brackets_is_refused_quickly(tmp_path):
    line = "- [" * 50_000  # 150 KB on one line: the annotation pattern used to be quadratic here
    path = write(tmp_path, "nlu.md", f"## intent:ruim\n{line}\n")
    started = time.perf_counter()
    error = refused(path)
    assert "mais de" in str(error) and error.line == 2
    assert time.perf_counter() - started < 5  # was ~35 s; a generous bound, the work is linear now


def test_the_command_refuses_in_portuguese_and_changes_nothing(tmp_path):
    path = write(tmp_path, "nlu.yml", "nlu: " + "{a: " * 3000 + "1" + "}" * 3000)
    with pytest.raises(CommandError, match="aninhado demais"):
        call_command("faq_import", str(path), stdout=StringIO(), stderr=StringIO())
    assert not Intent.objects.exists()
