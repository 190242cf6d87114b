"""Read FAQ content from Rasa 1.x Markdown, Rasa 2/3 YAML and our JSON, detected by content.

A Rasa project holds intents with annotated examples, synonyms, lookup tables, regexes, domain
responses (variants and buttons), stories, rules and test stories; all of it lands in one
ContentBundle. What we cannot represent (custom actions, forms, slots, …) is listed by file and
line in `bundle.unsupported`, never dropped silently.

Parsers are pure: a file in, a ContentBundle out, or ImportFormatError naming file and line.
YAML is walked as a node tree from the safe composer: tags other than plain strings, lists and
maps (e.g. `!!python/object`) and anchors/aliases (the "billion laughs" trick) are refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .entities import ANNOTATION, parse_annotated, strip_entities

__all__ = ["ANNOTATION", "ContentBundle", "ImportFormatError", "parse_files", "strip_entities"]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 500
INTENT_NAME = re.compile(r"^[a-z0-9][a-z0-9_./-]{0,99}$")
RESPONSE_NAME = re.compile(r"^utter_[A-Za-z0-9_./-]{1,94}$")
# Our export writes an intent's answer sequence as a rule, and golden phrases as test stories,
# with these name prefixes, so that reading the export back restores them as they were.
SEQUENCE_RULE_PREFIX = "sequência da intenção: "
GOLDEN_STORY_PREFIX = "frase de ouro: "


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
    annotated: dict[str, str] = field(default_factory=dict)  # plain example text → annotated text


@dataclass
class ResponseData:
    variants: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class StepData:
    kind: str  # intent | or | action | checkpoint
    name: str
    entities: list[dict[str, str]] = field(default_factory=list)
    text: str = ""


@dataclass
class FlowData:
    name: str
    kind: str  # story | rule | test
    steps: list[StepData] = field(default_factory=list)
    source: str = ""
    conversation_start: bool = False
    active: bool = True


@dataclass
class ContentBundle:
    intents: dict[str, IntentData] = field(default_factory=dict)
    golden: list[tuple[str, str]] = field(default_factory=list)
    responses: dict[str, ResponseData] = field(default_factory=dict)
    sequences: dict[str, list[str]] = field(default_factory=dict)
    flows: list[FlowData] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    unsupported: list[str] = field(default_factory=list)

    def intent(self, name: str, path: str | Path, line: int | None) -> IntentData:
        name = name.strip()
        if not INTENT_NAME.match(name):
            raise ImportFormatError(path, line, f"nome de intenção inválido: {name!r}")
        return self.intents.setdefault(name, IntentData(name=name))

    def skip(self, path: str | Path, line: int | None, what: str) -> None:
        self.unsupported.append(f"{path}:{line}: {what}" if line else f"{path}: {what}")

    def add_entity(self, name: str) -> None:
        if name and name not in self.entities:
            self.entities.append(name)

    def merge(self, other: ContentBundle) -> None:
        for name, data in other.intents.items():
            mine = self.intents.setdefault(name, IntentData(name=name))
            mine.title = mine.title or data.title
            mine.description = mine.description or data.description
            mine.examples.extend(data.examples)
            mine.answers.extend(data.answers)
            mine.annotated.update(data.annotated)
        self.golden.extend(other.golden)
        for name, response in other.responses.items():
            mine_r = self.responses.setdefault(name, ResponseData())
            mine_r.variants.extend(response.variants)
            mine_r.buttons.extend(response.buttons)
        self.sequences.update(other.sequences)
        self.flows.extend(other.flows)
        for name in other.entities:
            self.add_entity(name)
        for target, source in ((self.synonyms, other.synonyms), (self.lookups, other.lookups)):
            for key, values in source.items():
                target.setdefault(key, []).extend(values)
        for key, values in other.regexes.items():
            self.regexes.setdefault(key, []).extend(values)
        self.unsupported.extend(other.unsupported)

    def finish(self) -> ContentBundle:
        """Resolve what needs the whole project: `utter_<intent>` without buttons becomes that intent's
        answers; our exported sequence rules and golden test stories become sequences and golden cases."""
        for name in list(self.responses):
            intent = self.intents.get(name.removeprefix("utter_"))
            response = self.responses[name]
            if intent is not None and not response.buttons:
                intent.answers.extend(response.variants)
                del self.responses[name]
        kept = []
        for flow in self.flows:
            if flow.kind == "rule" and flow.name.startswith(SEQUENCE_RULE_PREFIX):
                intent_name = flow.name.removeprefix(SEQUENCE_RULE_PREFIX)
                self.sequences[intent_name] = [s.name for s in flow.steps if s.kind == "action"]
            elif flow.kind == "test" and flow.name.startswith(GOLDEN_STORY_PREFIX) and len(flow.steps) == 1:
                self.golden.append((flow.steps[0].text, flow.steps[0].name))
            else:
                kept.append(flow)
        self.flows = kept
        return self


def _clean_example(text: str, path: str | Path, line: int | None) -> str:
    # Limits before any pattern runs over the text: annotations at most double an example's length.
    if len(text) > 4 * MAX_TEXT_CHARS:
        raise ImportFormatError(path, line, f"exemplo com mais de {MAX_TEXT_CHARS} caracteres")
    text = strip_entities(text)
    if "\x00" in text:
        raise ImportFormatError(path, line, "caractere NUL no texto")
    if len(text) > MAX_TEXT_CHARS:
        raise ImportFormatError(path, line, f"exemplo com mais de {MAX_TEXT_CHARS} caracteres")
    return text


def _add_example(intent: IntentData, raw: str, path: str | Path, line: int | None) -> None:
    text = _clean_example(raw, path, line)
    if not text:
        return
    intent.examples.append(text)
    if ANNOTATION.search(raw):
        intent.annotated[text] = raw.strip()


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


def _is_test_file(path: Path) -> bool:
    return path.name.startswith("test_") or path.parent.name == "tests"


# --- Rasa 1.x Markdown ------------------------------------------------------------------------

_MD_SECTION = re.compile(r"^##\s*(intent|synonym|regex|lookup)\s*:\s*(.*)$")
_MD_USER = re.compile(r"^\*\s*(?P<body>.+)$")


def parse_rasa_markdown(path: Path) -> ContentBundle:
    """NLU (`## intent:`, `## synonym:`, `## lookup:`, `## regex:`) and stories (`## name`, `* intent`,
    `  - action`, `> checkpoint`, `* a OR b`, e2e `* intent: text`) in one pass."""
    bundle = ContentBundle()
    section: tuple[str, str] | None = None  # (kind, name)
    intent: IntentData | None = None
    flow: FlowData | None = None
    is_test = _is_test_file(path)
    for number, raw in enumerate(_read_text(path).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("<!--"):
            continue
        if line.startswith("##"):
            match = _MD_SECTION.match(line)
            flow, intent = None, None
            if match and match.group(2).strip():
                kind, name = match.group(1), match.group(2).strip()
                section = (kind, name)
                if kind == "intent":
                    intent = bundle.intent(name, path, number)
                elif kind == "lookup":
                    bundle.add_entity(name)
            elif match:
                raise ImportFormatError(path, number, f"seção sem nome: {line!r}")
            else:
                name = line.lstrip("#").strip()
                if not name:
                    raise ImportFormatError(
                        path, number, f"cabeçalho desconhecido: {line!r} (esperado '## intent:nome')"
                    )
                section = ("story", name)
                flow = FlowData(name=name, kind="test" if is_test else "story", source=f"{path.name}:{number}")
                bundle.flows.append(flow)
            continue
        if section is None:
            raise ImportFormatError(path, number, "exemplo fora de uma seção '## intent:…'")
        kind, name = section
        if flow is not None:
            _md_story_line(bundle, flow, line, path, number)
            continue
        if not line.startswith(("- ", "* ")):
            if kind == "lookup" and not line.startswith(("- ", "* ")):
                bundle.skip(path, number, f"tabela de valores em arquivo externo ({line[:60]!r}) não é importada")
                continue
            raise ImportFormatError(path, number, f"linha não reconhecida: {line[:60]!r}")
        value = line[2:].strip()
        if kind == "intent":
            _add_example(intent, value, path, number)
        elif kind == "synonym":
            bundle.synonyms.setdefault(name, []).append(value)
        elif kind == "lookup":
            bundle.lookups.setdefault(name, []).append(value)
        elif kind == "regex":
            bundle.regexes.setdefault(name, []).append(value)
            bundle.add_entity(name)
    if not bundle.intents and not bundle.flows and not (bundle.synonyms or bundle.lookups or bundle.regexes):
        raise ImportFormatError(path, None, "nenhuma intenção encontrada")
    _collect_annotation_entities(bundle)
    return bundle


def _md_story_line(bundle: ContentBundle, flow: FlowData, line: str, path: Path, number: int) -> None:
    if line.startswith(">"):
        flow.steps.append(StepData("checkpoint", line[1:].strip()))
        return
    if line.startswith("- "):
        action = line[2:].strip()
        if action.startswith(("slot{", "form{")) or "{" in action:
            bundle.skip(path, number, f"evento não suportado em história: {action[:60]!r}")
            return
        if not action.startswith("utter_"):
            bundle.skip(path, number, f"ação personalizada '{action}' mantida no fluxo, mas não é executada")
        flow.steps.append(StepData("action", action))
        return
    match = _MD_USER.match(line)
    if not match:
        raise ImportFormatError(path, number, f"linha de história não reconhecida: {line[:60]!r}")
    body = match.group("body").strip()
    text = ""
    head = re.match(r"^([^\s:{]+)\s*:\s*(.+)$", body)  # e2e: `* intent: user text`
    if head and "{" not in head.group(1):
        body, text = head.group(1), head.group(2).strip()
    alternatives = [part.strip() for part in re.split(r"\s+OR\s+", body)]
    names, entities = [], []
    for alternative in alternatives:
        name, _, payload = alternative.partition("{")
        names.append(name.strip())
        if payload:
            entities.extend(_entities_from_json("{" + payload, path, number))
    for name in names:
        if not INTENT_NAME.match(name):
            raise ImportFormatError(path, number, f"nome de intenção inválido: {name!r}")
    if text:
        plain, spans = parse_annotated(text)
        text = plain
        entities.extend({"entity": s["entity"], "value": str(s["value"])} for s in spans)
    kind = "or" if len(names) > 1 else "intent"
    flow.steps.append(StepData(kind, " | ".join(names), entities, text))


def _entities_from_json(raw: str, path: Path, number: int) -> list[dict[str, str]]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(path, number, f"entidades inválidas: {raw[:60]!r}") from exc
    if not isinstance(data, dict):
        raise ImportFormatError(path, number, f"entidades inválidas: {raw[:60]!r}")
    return [{"entity": str(k), "value": str(v)} for k, v in data.items()]


def _collect_annotation_entities(bundle: ContentBundle) -> None:
    for intent in bundle.intents.values():
        for raw in intent.annotated.values():
            for span in parse_annotated(raw)[1]:
                bundle.add_entity(span["entity"])


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
    except RecursionError:
        raise ImportFormatError(path, None, "YAML aninhado demais") from None
    try:
        _check_tags(path, node)
    except RecursionError:
        raise ImportFormatError(path, None, "YAML aninhado demais") from None
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


def _lines_block(path: Path, node: Node, what: str) -> list[tuple[int, str]]:
    """`examples: |` blocks: (line number, text after '- ') per item."""
    items = []
    for offset, raw in enumerate(_scalar(path, node, what).splitlines()):
        line = raw.strip()
        if not line:
            continue
        number = _line(node) + offset + (1 if node.style in ("|", ">") else 0)
        if not line.startswith("- "):
            raise ImportFormatError(path, number, f"item deve começar com '- ': {line[:60]!r}")
        items.append((number, line[2:].strip()))
    return items


_DOMAIN_UNSUPPORTED = {
    "slots": "slots não são importados (os valores vêm das entidades da mensagem)",
    "forms": "formulários não são suportados",
    "actions": "ações personalizadas não são executadas",
    "session_config": "a sessão expira conforme FAQ_SESSION_TIMEOUT_MINUTES",
    "pipeline": "pipeline do Rasa não é importado (o classificador é o nosso)",
    "policies": "políticas do Rasa não são importadas (diálogo por regras e memorização)",
    "e2e_actions": "ações e2e não são suportadas",
}
_IGNORED_KEYS = {"version", "recipe", "language", "assistant_id", "config"}


def parse_rasa_yaml(path: Path) -> ContentBundle:
    """Any Rasa 2/3 YAML file: NLU, domain, stories, rules or test stories (detected by its keys)."""
    root = _compose(path)
    if root is None:
        raise ImportFormatError(path, None, "arquivo vazio")
    top = _mapping(path, root, "documento")
    key_lines = {str(k.value): _line(k) for k, _ in root.value}
    bundle = ContentBundle()
    if "nlu" in top:
        _yaml_nlu(path, top["nlu"], bundle)
    _domain_answers(path, top, bundle)
    if "intents" in top:
        _domain_list(path, top["intents"], bundle, "intents")
    if "entities" in top:
        _domain_list(path, top["entities"], bundle, "entities")
    for key in ("stories", "rules"):
        if key in top:
            _yaml_flows(path, top[key], bundle, key)
    for key in top:
        if key in _DOMAIN_UNSUPPORTED:
            bundle.skip(path, key_lines[key], f"'{key}': {_DOMAIN_UNSUPPORTED[key]}")
        elif key not in _IGNORED_KEYS | {"nlu", "responses", "templates", "intents", "entities", "stories", "rules"}:
            bundle.skip(path, key_lines[key], f"chave '{key}' não reconhecida")
    known = bundle.intents or bundle.responses or bundle.flows or bundle.synonyms or bundle.lookups
    if not (known or bundle.regexes or bundle.entities or bundle.unsupported):
        raise ImportFormatError(path, None, "nenhuma intenção ('nlu:' ou 'responses:') encontrada")
    _collect_annotation_entities(bundle)
    return bundle


def _yaml_nlu(path: Path, nlu: Node, bundle: ContentBundle) -> None:
    if not isinstance(nlu, SequenceNode):
        raise ImportFormatError(path, _line(nlu), "'nlu' deve ser uma lista")
    for item in nlu.value:
        entry = _mapping(path, item, "item de 'nlu'")
        if "examples" not in entry:
            raise ImportFormatError(path, _line(item), "item de 'nlu' sem 'examples'")
        block = entry["examples"]
        if "intent" in entry:
            intent = bundle.intent(_scalar(path, entry["intent"], "intent"), path, _line(item))
            if "metadata" in entry:  # our export keeps the title and description here
                meta = _mapping(path, entry["metadata"], "metadata")
                intent.title = _scalar(path, meta["title"], "title")[:200] if "title" in meta else intent.title
                intent.description = _scalar(path, meta["description"], "description") if "description" in meta else ""
            for number, text in _lines_block(path, block, "examples"):
                _add_example(intent, text, path, number)
            continue
        for kind, target in (("synonym", bundle.synonyms), ("lookup", bundle.lookups), ("regex", bundle.regexes)):
            if kind in entry:
                name = _scalar(path, entry[kind], kind).strip()
                target.setdefault(name, []).extend(text for _, text in _lines_block(path, block, "examples"))
                if kind != "synonym":
                    bundle.add_entity(name)
                break
        else:
            bundle.skip(path, _line(item), f"item de 'nlu' não reconhecido: {sorted(entry)}")


def _domain_list(path: Path, node: Node, bundle: ContentBundle, key: str) -> None:
    if not isinstance(node, SequenceNode):
        raise ImportFormatError(path, _line(node), f"'{key}' deve ser uma lista")
    for item in node.value:
        if isinstance(item, MappingNode):  # `- intent_name: {use_entities: …}` and entity roles/groups
            name = str(item.value[0][0].value)
            bundle.skip(path, _line(item), f"opções de '{name}' em '{key}' não são importadas")
        else:
            name = _scalar(path, item, key).strip()
        if key == "intents":
            bundle.intent(name, path, _line(item))
        else:
            bundle.add_entity(name)


_STEP_UNSUPPORTED = {
    "slot_was_set": "slots não são suportados",
    "active_loop": "formulários não são suportados",
    "bot": "texto literal do bot (e2e) não é suportado",
}


def _yaml_flows(path: Path, node: Node, bundle: ContentBundle, key: str) -> None:
    if not isinstance(node, SequenceNode):
        raise ImportFormatError(path, _line(node), f"'{key}' deve ser uma lista")
    for item in node.value:
        entry = _mapping(path, item, f"item de '{key}'")
        label = "story" if key == "stories" else "rule"
        if label not in entry:
            raise ImportFormatError(path, _line(item), f"item de '{key}' sem '{label}:'")
        kind = "test" if key == "stories" and _is_test_file(path) else label
        flow = FlowData(name=_scalar(path, entry[label], label).strip(), kind=kind, source=f"{path.name}:{_line(item)}")
        if "conversation_start" in entry:
            flow.conversation_start = _scalar(path, entry["conversation_start"], "conversation_start") == "true"
        if "condition" in entry:  # without its condition the flow would fire when it should not
            flow.active = False
            bundle.skip(
                path, _line(entry["condition"]), f"'condition' em '{flow.name}' não é suportado; importado inativo"
            )
        if "wait_for_user_input" in entry:
            bundle.skip(
                path, _line(entry["wait_for_user_input"]), f"'wait_for_user_input' em '{flow.name}' não é suportado"
            )
        if "metadata" in entry:  # our export marks inactive flows here
            meta = _mapping(path, entry["metadata"], "metadata")
            if "active" in meta:
                flow.active = _scalar(path, meta["active"], "active") != "false"
        steps = entry.get("steps")
        if not isinstance(steps, SequenceNode):
            raise ImportFormatError(path, _line(item), f"'{flow.name}': 'steps' deve ser uma lista")
        for step in steps.value:
            _yaml_step(path, step, flow, bundle)
        bundle.flows.append(flow)


def _yaml_step(path: Path, node: Node, flow: FlowData, bundle: ContentBundle) -> None:
    fields = _mapping(path, node, "passo")
    number = _line(node)
    if "intent" in fields or "user" in fields:
        name = _scalar(path, fields["intent"], "intent").strip() if "intent" in fields else ""
        text = _scalar(path, fields["user"], "user").strip() if "user" in fields else ""
        entities = _yaml_entities(path, fields.get("entities"))
        if text:
            plain, spans = parse_annotated(text)
            text = plain
            entities.extend({"entity": s["entity"], "value": str(s["value"])} for s in spans)
        if not name:
            bundle.skip(path, number, f"'{flow.name}': passo 'user' sem 'intent' (e2e) não é suportado")
            return
        if not INTENT_NAME.match(name):
            raise ImportFormatError(path, number, f"nome de intenção inválido: {name!r}")
        flow.steps.append(StepData("intent", name, entities, text))
    elif "action" in fields:
        action = _scalar(path, fields["action"], "action").strip()
        if not action.startswith("utter_"):
            bundle.skip(path, number, f"ação personalizada '{action}' mantida no fluxo, mas não é executada")
        flow.steps.append(StepData("action", action))
    elif "checkpoint" in fields:
        flow.steps.append(StepData("checkpoint", _scalar(path, fields["checkpoint"], "checkpoint").strip()))
    elif "or" in fields:
        options = fields["or"]
        if not isinstance(options, SequenceNode):
            raise ImportFormatError(path, number, "'or' deve ser uma lista")
        names, entities = [], []
        for option in options.value:
            option_fields = _mapping(path, option, "or")
            if "intent" not in option_fields:
                bundle.skip(path, _line(option), "'or' com algo além de intenções não é suportado")
                continue
            names.append(_scalar(path, option_fields["intent"], "intent").strip())
            entities.extend(_yaml_entities(path, option_fields.get("entities")))
        flow.steps.append(StepData("or", " | ".join(names), entities))
    else:
        what = next((w for k, w in _STEP_UNSUPPORTED.items() if k in fields), f"passo {sorted(fields)}")
        bundle.skip(path, number, f"'{flow.name}': {what}")


def _yaml_entities(path: Path, node: Node | None) -> list[dict[str, str]]:
    if node is None:
        return []
    if not isinstance(node, SequenceNode):
        raise ImportFormatError(path, _line(node), "'entities' deve ser uma lista")
    result = []
    for item in node.value:
        if isinstance(item, ScalarNode):
            result.append({"entity": str(item.value)})
        else:
            for key, value in _mapping(path, item, "entities").items():
                result.append({"entity": key, "value": _scalar(path, value, key)})
    return result


def _domain_answers(path: Path, top: dict[str, Node], bundle: ContentBundle) -> None:
    key = "responses" if "responses" in top else "templates" if "templates" in top else None
    if key is None:
        return
    for name, node in _mapping(path, top[key], key).items():
        if not name.startswith("utter_"):
            bundle.skip(path, _line(node), f"resposta '{name}' não começa com utter_")
            continue
        if not RESPONSE_NAME.match(name):
            raise ImportFormatError(path, _line(node), f"nome de resposta inválido: {name[:60]!r}")
        if not isinstance(node, SequenceNode):
            raise ImportFormatError(path, _line(node), f"'{name}' deve ser uma lista de respostas")
        response = bundle.responses.setdefault(name, ResponseData())
        for variant in node.value:
            fields = _mapping(path, variant, name)
            if "text" in fields:
                text = _scalar(path, fields["text"], "text").strip()
                if text:
                    response.variants.append(text)
            for button in fields["buttons"].value if isinstance(fields.get("buttons"), SequenceNode) else []:
                parts = _mapping(path, button, "buttons")
                title = _scalar(path, parts["title"], "title") if "title" in parts else ""
                payload = _scalar(path, parts["payload"], "payload") if "payload" in parts else title
                if (title, payload) not in response.buttons:
                    response.buttons.append((title.strip(), payload.strip()))
            for extra in sorted(set(fields) - {"text", "buttons"}):
                bundle.skip(path, _line(fields[extra]), f"'{extra}' em '{name}' não é suportado")


def parse_domain(path: Path) -> ContentBundle:
    """The domain file given with --domain: read like any other Rasa YAML file."""
    root = _compose(path)
    if root is None:
        return ContentBundle()
    return parse_rasa_yaml(path)


# --- JSON (our own format) --------------------------------------------------------------------


def parse_json(path: Path) -> ContentBundle:
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise ImportFormatError(path, exc.lineno, f"JSON inválido: {exc.msg}") from exc
    except RecursionError:
        raise ImportFormatError(path, None, "JSON aninhado demais") from None
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
# In a project directory: files that hold no content, and folders that are not Rasa data.
SKIPPED_FILES = {"config.yml", "credentials.yml", "endpoints.yml"}
# Rasa Markdown: an NLU section header, or a story turn (`* intent` then `  - utter_…`/`- action_…`).
_RASA_MD = re.compile(r"^(##\s*(intent|synonym|regex|lookup)\s*:|\*\s+\S.*\n\s*-\s+(utter_|action_)\w)", re.MULTILINE)


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".md":
        return "rasa-md"
    if suffix in (".yml", ".yaml"):
        return "rasa-yml"
    if suffix == ".json":
        return "json"
    raise ImportFormatError(path, None, "formato não reconhecido pela extensão; use --format")


def project_files(folder: Path, bundle: ContentBundle) -> list[Path]:
    """Rasa data in a project directory (domain.yml, data/, tests/, or files at the top level)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.suffix.lower() not in (".yml", ".yaml", ".md"):
            continue
        if path.name.lower() in SKIPPED_FILES:
            bundle.skip(path, None, "arquivo de configuração do Rasa não importado")
            continue
        if path.suffix.lower() == ".md" and not _RASA_MD.search(_read_text(path)):
            continue  # documentation, not Rasa data
        found.append(path)
    return found


def parse_files(paths: list[Path], *, fmt: str = "auto", domain: Path | None = None) -> ContentBundle:
    """Parse every file or project directory (and an optional domain) into one bundle; the first
    error stops everything."""
    bundle = ContentBundle()
    files: list[Path] = []
    for path in paths:
        files.extend(project_files(path, bundle) if path.is_dir() else [path])
    for path in files:
        parser = PARSERS[detect_format(path) if fmt == "auto" else fmt]
        bundle.merge(_storable(path, parser(path)))
    if domain is not None:
        bundle.merge(_storable(domain, parse_domain(domain)))
    return bundle.finish()


def _storable(path: Path, bundle: ContentBundle) -> ContentBundle:
    """Refuse, naming the file, any text the database cannot store: a NUL (PostgreSQL refuses it) or a
    lone surrogate (from a "\\ud800" escape: not encodable as UTF-8)."""
    for text in _strings(bundle):
        if "\x00" in text:
            raise ImportFormatError(path, _line_of(path, text), f"caractere NUL no texto {text[:40]!r}")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            shown = text[:40].encode("utf-8", "backslashreplace").decode()
            raise ImportFormatError(path, _line_of(path, text), f"texto com caractere inválido: {shown!r}") from None
    return bundle


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a bundle (dataclasses, lists, dicts, tuples), iteratively."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif is_dataclass(item):
            stack.extend(getattr(item, f.name) for f in fields(item))
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)


def _line_of(path: Path, text: str) -> int | None:
    """The first line of the file holding the text up to its first bad character, if it can be found."""
    good = [ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF for ch in text]
    probe = text[: good.index(False) if False in good else len(text)][:40].strip()
    if not probe:
        return None
    try:
        for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), start=1):
            if probe in line:
                return number
    except OSError:
        return None
    return None
