"""Write the content as a Rasa 3 project that `faq_import` reads back into the same content.

domain.yml              intents, entities, responses (variants and buttons)
data/nlu.yml            intents with annotated examples (+ title/description as metadata),
                        synonyms, lookup tables, regexes
data/stories.yml        stories
data/rules.yml          rules, and each intent's answer sequence as a rule
tests/test_stories.yml  conversation tests, and the golden phrases as one-turn test stories
"""

from __future__ import annotations

from typing import Any

import yaml

from .importers import GOLDEN_STORY_PREFIX, SEQUENCE_RULE_PREFIX
from .models import (
    Entity,
    Flow,
    FlowStep,
    Intent,
    LookupTable,
    RegexPattern,
    RegressionCase,
    Response,
    Synonym,
)

VERSION = "3.1"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def _block(lines: list[str]) -> str:
    return "".join(f"- {line}\n" for line in lines)


def _entities(entities: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in entities:
        if isinstance(item, dict) and item.get("entity"):
            out.append({item["entity"]: item["value"]} if item.get("value") is not None else item["entity"])
    return out


def _steps(flow: Flow) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for step in flow.steps.all():
        if step.kind == FlowStep.Kind.ACTION:
            steps.append({"action": step.name})
        elif step.kind == FlowStep.Kind.CHECKPOINT:
            steps.append({"checkpoint": step.name})
        elif step.kind == FlowStep.Kind.OR:
            steps.append({"or": [{"intent": name} for name in step.intents]})
        else:
            item: dict[str, Any] = {}
            if step.text:
                item["user"] = step.text
            item["intent"] = step.name
            if step.entities:
                item["entities"] = _entities(step.entities)
            steps.append(item)
    return steps


def faq_project_export(*, include_inactive: bool = False) -> dict[str, str]:
    """Relative path → YAML text of a Rasa 3 project with everything we hold."""
    intents = Intent.objects.order_by("name").prefetch_related("examples", "answers", "sequence")
    if not include_inactive:
        intents = intents.filter(active=True)
    intents = list(intents)
    names = {i.name for i in intents}
    nlu: list[dict[str, Any]] = []
    for intent in intents:
        item: dict[str, Any] = {"intent": intent.name}
        metadata = {k: v for k, v in (("title", intent.title), ("description", intent.description)) if v}
        if metadata:
            item["metadata"] = metadata
        item["examples"] = _block([e.annotated or e.text for e in intent.examples.all()])
        nlu.append(item)
    nlu += [{"synonym": s.value, "examples": _block(s.lines)} for s in Synonym.objects.all()]
    nlu += [{"lookup": t.name, "examples": _block(t.lines)} for t in LookupTable.objects.all()]
    nlu += [{"regex": r.name, "examples": _block(r.lines)} for r in RegexPattern.objects.all()]

    responses: dict[str, list[dict[str, Any]]] = {}
    for intent in intents:
        answers = [a.text for a in intent.answers.all() if a.active]
        if answers:
            responses[f"utter_{intent.name}"] = [{"text": t} for t in answers]
    for response in Response.objects.prefetch_related("variants", "buttons"):
        buttons = [{"title": b.title, "payload": b.payload} for b in response.buttons.all()]
        variants = [v.text for v in response.variants.all()] or [""]
        responses[response.name] = [{"text": t, **({"buttons": buttons} if buttons else {})} for t in variants]
    domain = {
        "version": VERSION,
        "intents": [i.name for i in intents],
        "entities": list(Entity.objects.values_list("name", flat=True)),
        "responses": responses,
    }

    flows = Flow.objects.prefetch_related("steps").order_by("kind", "id")
    if not include_inactive:
        flows = flows.filter(active=True)
    stories, rules, tests = [], [], []
    for flow in flows:
        label = "rule" if flow.kind == Flow.Kind.RULE else "story"
        item: dict[str, Any] = {label: flow.name}
        if flow.conversation_start:
            item["conversation_start"] = True
        if not flow.active:
            item["metadata"] = {"active": False}
        item["steps"] = _steps(flow)
        (rules if flow.kind == Flow.Kind.RULE else tests if flow.kind == Flow.Kind.TEST else stories).append(item)
    for intent in intents:
        sequence = [s.response for s in intent.sequence.all()]
        if sequence:
            rules.append(
                {
                    "rule": f"{SEQUENCE_RULE_PREFIX}{intent.name}",
                    "steps": [{"intent": intent.name}, *({"action": a} for a in sequence)],
                }
            )
    golden = RegressionCase.objects.select_related("expected_intent").order_by("id")
    for case in golden:
        if case.expected_intent.name in names:
            tests.append(
                {
                    "story": f"{GOLDEN_STORY_PREFIX}{case.text}",
                    "steps": [{"user": case.text, "intent": case.expected_intent.name}],
                }
            )
    return {
        "domain.yml": dump(domain),
        "data/nlu.yml": dump({"version": VERSION, "nlu": nlu}),
        "data/stories.yml": dump({"version": VERSION, "stories": stories}),
        "data/rules.yml": dump({"version": VERSION, "rules": rules}),
        "tests/test_stories.yml": dump({"version": VERSION, "stories": tests}),
    }
