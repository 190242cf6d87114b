"""Read FAQ content from Rasa 1.x Markdown, Rasa 2/3 YAML (+ domain responses) and our JSON.

Parsers are pure: a file in, a ContentBundle out, or ImportFormatError naming file and line.
YAML is walked as a node tree from the safe composer: tags other than plain strings, lists and
maps (e.g. `!!python/object`) and anchors/aliases (the "billion laughs" trick) are refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 500
# `[text](entity)`, `[text]{"entity": …}`; a closing bracket missing at the very end is tolerated
# because real files contain it (`[meajuda](meajuda`).
ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*(?:\)|$)|\{[^}]*(?:\}|$))")
INTENT_NAME = re.compile(r"^[a-z0-9][a-z0-9_./-]*$")


class ImportFormatError(Exception):
    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class IntentData:
    name: str
    title: str = ""
    description: str = ""
    examples: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)


@dataclass
class ContentBundle:
    intents: dict[str, IntentData] = field(default_factory=dict)
    golden: list[tuple[str, str]] = field(default_factory=list)

    def intent(self, name: str, path: str | Path, line: int | None) -> IntentData:
        name = name.strip()
        if not INTENT_NAME.match(name):
            raise ImportFormatError(path, line, f"nome de intenção inválido: {name!r}")
        return self.intents.setdefault(name, IntentData(name=name))

    def merge(self, other: ContentBundle) -> None:
        for name, data in other.intents.items():
            mine = self.intents.setdefault(name, IntentData(name=name))
            mine.title = mine.title or data.title
            mine.description = mine.description or data.description
            mine.examples.extend(data.examples)
            mine.answers.extend(data.answers)
        self.golden.extend(other.golden)


def strip_entities(text: str) -> str:
    """`quero [dois](quantidade) ingressos` → `quero dois ingressos`."""
    return ENTITY.sub(r"\1", text).strip()


def _clean_example(text: str, path: str | Path, line: int | None) -> str:
    text = strip_entities(text)
    if "\x00" in text:
        raise ImportFormatError(path, line, "caractere NUL no texto")
    if len(text) > MAX_TEXT_CHARS:
        raise ImportFormatError(path, line, f"exemplo com mais de {MAX_TEXT_CHARS} caracteres")
    return text


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFormatError(path, None, f"não foi possível ler o arquivo: {exc.strerror}") from exc
    if size > MAX_FILE_BYTES:
        raise ImportFormatError(path, None, f"arquivo maior que {MAX_FILE_BYTES // 1024 // 1024} MB")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(path, None, "o arquivo não está em UTF-8") from exc
    if "\x00" in text:
        raise ImportFormatError(path, None, "arquivo com caractere NUL (binário?)")
    return text


# --- Rasa 1.x Markdown ------------------------------------------------------------------------


def parse_rasa_markdown(path: Path) -> ContentBundle:
    bundle = ContentBundle()
    current: IntentData | None = None
    in_other_section = False
    for number, raw in enumerate(_read_text(path).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("<!--"):
            continue
        if line.startswith("##"):
            header = line.lstrip("#").strip()
            kind, _, name = header.partition(":")
            if kind.strip() == "intent" and name.strip():
                current, in_other_section = bundle.intent(name, path, number), False
            elif kind.strip() in {"synonym", "regex", "lookup"}:
                current, in_other_section = None, True
            else:
                raise ImportFormatError(path, number, f"cabeçalho desconhecido: {line!r} (esperado '## intent:nome')")
            continue
        if line.startswith(("- ", "* ")):
            if in_other_section:
                continue
            if current is None:
                raise ImportFormatError(path, number, "exemplo fora de uma seção '## intent:…'")
            text = _clean_example(line[2:], path, number)
            if text:
                current.examples.append(text)
            continue
        raise ImportFormatError(path, number, f"linha não reconhecida: {line[:60]!r}")
    if not bundle.intents:
        raise ImportFormatError(path, None, "nenhuma intenção encontrada")
    return bundle


# --- YAML (Rasa 2/3 NLU and domain) -----------------------------------------------------------

_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class _NoAliasComposer(yaml.SafeLoader):
    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "âncoras e aliases YAML não são aceitos", event.start_mark)
        return super().compose_node(parent, index)


def _compose(path: Path) -> Node | None:
    text = _read_text(path)
    try:
        loader = _NoAliasComposer(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImportFormatError(path, mark.line + 1 if mark else None, f"YAML inválido: {problem}") from exc
    _check_tags(path, node)
    return node


def _check_tags(path: Path, node: Node | None) -> None:
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if current.tag not in _SAFE_TAGS:
            raise ImportFormatError(path, current.start_mark.line + 1, f"tag YAML não permitida: {current.tag}")
        if isinstance(current, MappingNode):
            for key, value in current.value:
                stack.extend([key, value])
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _mapping(path: Path, node: Node, what: str) -> dict[str, Node]:
    if not isinstance(node, MappingNode):
        raise ImportFormatError(path, _line(node), f"{what}: esperado um mapa (chave: valor)")
    return {str(k.value): v for k, v in node.value}


def _scalar(path: Path, node: Node, what: str) -> str:
    if not isinstance(node, ScalarNode):
        raise ImportFormatError(path, _line(node), f"{what}: esperado um texto")
    return str(node.value)


def parse_rasa_yaml(path: Path) -> ContentBundle:
    root = _compose(path)
    if root is None:
        raise ImportFormatError(path, None, "arquivo vazio")
    top = _mapping(path, root, "documento")
    bundle = ContentBundle()
    if "nlu" in top:
        nlu = top["nlu"]
        if not isinstance(nlu, SequenceNode):
            raise ImportFormatError(path, _line(nlu), "'nlu' deve ser uma lista")
        for item in nlu.value:
            entry = _mapping(path, item, "item de 'nlu'")
            if "intent" not in entry:
                continue  # synonym, regex and lookup entries carry no training examples
            intent = bundle.intent(_scalar(path, entry["intent"], "intent"), path, _line(item))
            if "examples" not in entry:
                raise ImportFormatError(path, _line(item), f"intenção '{intent.name}' sem 'examples'")
            block = entry["examples"]
            for offset, raw in enumerate(_scalar(path, block, "examples").splitlines()):
                line = raw.strip()
                if not line:
                    continue
                number = _line(block) + offset + (1 if block.style in ("|", ">") else 0)
                if not line.startswith("- "):
                    raise ImportFormatError(path, number, f"exemplo deve começar com '- ': {line[:60]!r}")
                text = _clean_example(line[2:], path, number)
                if text:
                    intent.examples.append(text)
    _domain_answers(path, top, bundle)
    if not bundle.intents:
        raise ImportFormatError(path, None, "nenhuma intenção ('nlu:' ou 'responses:') encontrada")
    return bundle


def _domain_answers(path: Path, top: dict[str, Node], bundle: ContentBundle) -> None:
    key = "responses" if "responses" in top else "templates" if "templates" in top else None
    if key is None:
        return
    for name, node in _mapping(path, top[key], key).items():
        if not name.startswith("utter_"):
            continue
        if not isinstance(node, SequenceNode):
            raise ImportFormatError(path, _line(node), f"'{name}' deve ser uma lista de respostas")
        intent = bundle.intent(name.removeprefix("utter_"), path, _line(node))
        for variant in node.value:
            fields = _mapping(path, variant, name)
            if "text" in fields:
                text = _scalar(path, fields["text"], "text").strip()
                if text:
                    intent.answers.append(text)


def parse_domain(path: Path) -> ContentBundle:
    """Answers only, from a domain file's `responses:` (Rasa 2/3) or `templates:` (Rasa 1)."""
    root = _compose(path)
    top = _mapping(path, root, "documento") if root is not None else {}
    bundle = ContentBundle()
    _domain_answers(path, top, bundle)
    return bundle


# --- JSON (our own format) --------------------------------------------------------------------


def parse_json(path: Path) -> ContentBundle:
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise ImportFormatError(path, exc.lineno, f"JSON inválido: {exc.msg}") from exc
    bundle = ContentBundle()
    golden = data if isinstance(data, list) else data.get("golden", []) if isinstance(data, dict) else None
    if golden is None:
        raise ImportFormatError(path, 1, "esperado um objeto com 'intents' ou uma lista de casos de ouro")
    for number, item in enumerate(data.get("intents", []) if isinstance(data, dict) else [], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ImportFormatError(path, None, f"intenção nº {number}: falta 'name'")
        intent = bundle.intent(item["name"], path, None)
        intent.title = str(item.get("title", ""))[:200]
        intent.description = str(item.get("description", ""))
        for field_name in ("examples", "answers"):
            values = item.get(field_name, [])
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ImportFormatError(
                    path, None, f"intenção '{intent.name}': '{field_name}' deve ser lista de textos"
                )
        intent.examples.extend(t for t in (_clean_example(v, path, None) for v in item.get("examples", [])) if t)
        intent.answers.extend(v.strip() for v in item.get("answers", []) if v.strip())
    for number, case in enumerate(golden, start=1):
        if (
            not isinstance(case, dict)
            or not isinstance(case.get("text"), str)
            or not isinstance(case.get("intent"), str)
        ):
            raise ImportFormatError(path, None, f"caso de ouro nº {number}: esperado {{'text', 'intent'}}")
        bundle.golden.append((_clean_example(case["text"], path, None), case["intent"].strip()))
    if not bundle.intents and not bundle.golden:
        raise ImportFormatError(path, None, "nenhuma intenção nem caso de ouro no arquivo")
    return bundle


PARSERS = {"rasa-md": parse_rasa_markdown, "rasa-yml": parse_rasa_yaml, "json": parse_json}


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".md":
        return "rasa-md"
    if suffix in (".yml", ".yaml"):
        return "rasa-yml"
    if suffix == ".json":
        return "json"
    raise ImportFormatError(path, None, "formato não reconhecido pela extensão; use --format")


def parse_files(paths: list[Path], *, fmt: str = "auto", domain: Path | None = None) -> ContentBundle:
    """Parse every file (and an optional domain) into one bundle; the first error stops everything."""
    bundle = ContentBundle()
    for path in paths:
        parser = PARSERS[detect_format(path) if fmt == "auto" else fmt]
        bundle.merge(parser(path))
    if domain is not None:
        bundle.merge(parse_domain(domain))
    return bundle
