"""Services that change FAQ content: import, export, add an example, and edit-time warnings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.db import transaction

from core.formatting import decimal

from .duplicates import NEAR_DUPLICATE_SIMILARITY, best_matches
from .importers import ContentBundle, FlowData, ResponseData
from .models import (
    Answer,
    Conversation,
    Entity,
    Example,
    Flow,
    FlowStep,
    Intent,
    IntentResponse,
    LookupTable,
    RegexPattern,
    RegressionCase,
    Response,
    ResponseButton,
    ResponseVariant,
    Synonym,
)
from .nlp import canonical

MIN_EXAMPLES = 5


@dataclass
class ImportStats:
    intents_created: int = 0
    examples_added: int = 0
    answers_added: int = 0
    golden_added: int = 0
    skipped_duplicates: int = 0
    responses_saved: int = 0
    flows_saved: int = 0
    entity_rows_saved: int = 0
    warnings: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    @property
    def changes_training_data(self) -> bool:
        return bool(self.intents_created or self.examples_added)


def humanize(name: str) -> str:
    return name.replace("/", " › ").replace("_", " ").replace("-", " ").strip().capitalize()


@transaction.atomic
def faq_content_import(*, bundle: ContentBundle, replace: bool = False, user: Any = None) -> ImportStats:
    """Merge (or with `replace`, substitute) the bundle into the database, all or nothing.

    Schedules one debounced retrain when intents or examples changed; answers alone never retrain.
    """
    stats = ImportStats()
    if replace:
        RegressionCase.objects.all().delete()
        Intent.objects.all().delete()
        for model in (Response, Flow, Entity, Synonym, LookupTable, RegexPattern):
            model.objects.all().delete()
    existing = {i.name: i for i in Intent.objects.all()}
    known_examples = {(e.intent_id, e.canonical_text) for e in Example.objects.only("intent_id", "canonical_text")}
    known_answers = {(a.intent_id, a.text.strip()) for a in Answer.objects.only("intent_id", "text")}
    new_examples, new_answers = [], []
    for name, data in bundle.intents.items():
        intent = existing.get(name)
        if intent is None:
            intent = Intent.objects.create(
                name=name, title=(data.title or humanize(name))[:200], description=data.description
            )
            existing[name] = intent
            stats.intents_created += 1
        for text in data.examples:
            key = (intent.pk, canonical(text))
            if not key[1] or key in known_examples:
                stats.skipped_duplicates += 1
                continue
            known_examples.add(key)
            annotated = data.annotated.get(text, "")[:1000]
            new_examples.append(Example(intent=intent, text=text, canonical_text=key[1], annotated=annotated))
        for text in data.answers:
            if (intent.pk, text.strip()) not in known_answers:
                known_answers.add((intent.pk, text.strip()))
                new_answers.append(Answer(intent=intent, text=text.strip()))
    Example.objects.bulk_create(new_examples, batch_size=500)
    Answer.objects.bulk_create(new_answers, batch_size=500)
    stats.examples_added, stats.answers_added = len(new_examples), len(new_answers)

    known_golden = set(RegressionCase.objects.values_list("text", flat=True))
    for text, intent_name in bundle.golden:
        intent = existing.get(intent_name)
        if intent is None:
            stats.warnings.append(f"caso de ouro ignorado: intenção '{intent_name}' não existe ({text!r})")
            continue
        if text not in known_golden:
            RegressionCase.objects.create(text=text, expected_intent=intent)
            known_golden.add(text)
            stats.golden_added += 1
    _import_dialogue(bundle, existing, stats)
    from .dialogue import dialogue_cache_clear

    transaction.on_commit(dialogue_cache_clear)
    stats.unsupported = list(bundle.unsupported)
    from .validation import faq_content_validate

    stats.issues = [str(issue) for issue in faq_content_validate()]
    if stats.changes_training_data or replace:
        from .training import faq_retrain_schedule

        faq_retrain_schedule(trigger="import", user=user)
    return stats


def _import_dialogue(bundle: ContentBundle, intents: dict[str, Intent], stats: ImportStats) -> None:
    """Responses, answer sequences, flows and entity data: a row with the same name is replaced."""
    for name, data in bundle.responses.items():
        _response_save(name, data)
        stats.responses_saved += 1
    for intent_name, actions in bundle.sequences.items():
        intent = intents.get(intent_name)
        if intent is None:
            stats.warnings.append(f"sequência ignorada: intenção '{intent_name}' não existe")
            continue
        IntentResponse.objects.filter(intent=intent).delete()
        IntentResponse.objects.bulk_create(
            [IntentResponse(intent=intent, position=i, response=a) for i, a in enumerate(actions)]
        )
    for flow in bundle.flows:
        _flow_save(flow)
        stats.flows_saved += 1
    for name in bundle.entities:
        Entity.objects.get_or_create(name=name[:100])
    for model, key, column, items in (
        (Synonym, "value", "examples", bundle.synonyms),
        (LookupTable, "name", "elements", bundle.lookups),
        (RegexPattern, "name", "patterns", bundle.regexes),
    ):
        for name, lines in items.items():
            unique = list(dict.fromkeys(line.strip() for line in lines if line.strip()))
            model.objects.update_or_create(**{key: name[:100]}, defaults={column: "\n".join(unique)})
            stats.entity_rows_saved += 1


def _response_save(name: str, data: ResponseData) -> Response:
    response, _ = Response.objects.get_or_create(name=name)
    response.variants.all().delete()
    response.buttons.all().delete()
    ResponseVariant.objects.bulk_create(
        [ResponseVariant(response=response, position=i, text=t) for i, t in enumerate(dict.fromkeys(data.variants))]
    )
    ResponseButton.objects.bulk_create(
        [
            ResponseButton(response=response, position=i, title=title[:200], payload=payload[:500])
            for i, (title, payload) in enumerate(data.buttons)
        ]
    )
    return response


def _flow_save(data: FlowData) -> Flow:
    Flow.objects.filter(kind=data.kind, name=data.name[:200]).delete()
    flow = Flow.objects.create(
        name=data.name[:200],
        kind=data.kind,
        source=data.source[:300],
        conversation_start=data.conversation_start,
        active=data.active,
    )
    FlowStep.objects.bulk_create(
        [
            FlowStep(flow=flow, position=i, kind=s.kind, name=s.name[:300], entities=s.entities, text=s.text[:500])
            for i, s in enumerate(data.steps)
        ]
    )
    return flow


def faq_content_export(*, fmt: str, include_inactive: bool = True) -> tuple[str, str | None]:
    """Return (content, domain) as text: our JSON (domain None) or Rasa 3 NLU YAML plus a domain.
    The whole project (flows, entities, tests) is `export.faq_project_export`."""
    intents = Intent.objects.prefetch_related("examples", "answers").order_by("name")
    if fmt == "rasa-yml" and not include_inactive:
        intents = intents.filter(active=True)
    golden = RegressionCase.objects.select_related("expected_intent").order_by("id")
    if fmt == "json":
        data = {
            "intents": [
                {
                    "name": i.name,
                    "title": i.title,
                    "description": i.description,
                    "active": i.active,
                    "examples": [e.text for e in i.examples.all()],
                    "answers": [a.text for a in i.answers.all()],
                }
                for i in intents
            ],
            "golden": [{"text": g.text, "intent": g.expected_intent.name} for g in golden],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n", None
    if fmt != "rasa-yml":
        raise ValueError(f"unknown export format {fmt!r}")
    nlu = {
        "version": "3.1",
        "nlu": [
            {"intent": i.name, "examples": "".join(f"- {e.text}\n" for e in i.examples.all())}
            for i in intents
            if i.examples.all()
        ],
    }
    domain = {
        "version": "3.1",
        "intents": [i.name for i in intents],
        "responses": {
            f"utter_{i.name}": [{"text": a.text} for a in i.answers.all()] for i in intents if i.answers.all()
        },
    }
    return _yaml(nlu), _yaml(domain)


class _LiteralDumper(yaml.SafeDumper):
    pass


def _literal_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _literal_str)


def _yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_LiteralDumper, allow_unicode=True, sort_keys=False, width=1000)


@transaction.atomic
def faq_example_add(*, intent: Intent, text: str, user: Any = None) -> Example:
    """Add one example (e.g. from the review queue) and schedule the debounced retrain."""
    from .training import faq_retrain_schedule

    example, _ = Example.objects.get_or_create(
        intent=intent, canonical_text=canonical(text), defaults={"text": text.strip()[:500]}
    )
    faq_retrain_schedule(trigger="example added", user=user)
    return example


def faq_content_warnings(*, intent: Intent) -> list[str]:
    """Edit-time warnings for one intent: cross-intent duplicates, near-duplicates, too few examples."""
    warnings: list[str] = []
    mine = list(intent.examples.values_list("text", "canonical_text"))
    if len(mine) < MIN_EXAMPLES:
        warnings.append(
            f"A intenção '{intent.name}' tem {len(mine)} exemplo(s); com menos de {MIN_EXAMPLES} ela não é "
            "validada na validação cruzada."
        )
    if not mine:
        return warnings
    others = list(
        Example.objects.exclude(intent=intent)
        .filter(intent__active=True)
        .values_list("text", "canonical_text", "intent__name")
    )
    if not others:
        return warnings
    by_canonical = {c: name for _, c, name in others}
    for text, canon in mine:
        if canon in by_canonical:
            warnings.append(f"O exemplo \"{text}\" já existe na intenção '{by_canonical[canon]}'.")
    matches = best_matches([c for _, c in mine], [c for _, c, _ in others])
    for (text, canon), (best, score) in zip(mine, matches, strict=True):
        other_text, other_canon, other_intent = others[best]
        if score >= NEAR_DUPLICATE_SIMILARITY and other_canon != canon:
            warnings.append(
                f'O exemplo "{text}" é quase igual a "{other_text}" da intenção \'{other_intent}\' '
                f"(similaridade {decimal(score)}); isso confunde o classificador."
            )
    return warnings


@transaction.atomic
def faq_conversation_save_as_test(*, conversation: Conversation, name: str = "") -> Flow:
    """A conversation test from a logged conversation: each message with the intent and the bot
    actions it got (edit the flow afterwards where the bot was wrong)."""
    messages = list(conversation.messages.order_by("created_at", "id"))
    flow = Flow.objects.create(
        name=(name or f"conversa {conversation.public_id}")[:200],
        kind=Flow.Kind.TEST,
        source=f"conversa {conversation.public_id}",
    )
    steps: list[FlowStep] = []
    for message in messages:
        steps.append(
            FlowStep(kind=FlowStep.Kind.INTENT, name=message.intent or "nlu_fallback", text=message.text[:500])
        )
        steps.extend(FlowStep(kind=FlowStep.Kind.ACTION, name=action) for action in message.actions)
    for position, step in enumerate(steps):
        step.flow, step.position = flow, position
    FlowStep.objects.bulk_create(steps)
    return flow
