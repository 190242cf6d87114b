"""The conversation: content the dialogue needs (flows, responses, entity data), cached per process
for FAQ_DIALOGUE_CACHE_SECONDS, and one turn of dialogue on a conversation's stored state.

Flows and responses are read from the database, never from the model artifact: editing them takes
effect like an answer edit, without retraining.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from .entities import EntityExtractor
from .models import (
    Answer,
    Conversation,
    Example,
    Flow,
    FlowStep,
    IntentResponse,
    LookupTable,
    RegexPattern,
    ResponseButton,
    ResponseVariant,
    Synonym,
)
from .policy import DialoguePolicy, FlowSpec, Step, Turn

SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
INTENT_PAYLOAD = re.compile(r"^/(?P<intent>[a-z0-9][a-z0-9_./-]*)\s*(?P<entities>\{.*\})?\s*$", re.DOTALL)


def parse_intent_payload(text: str) -> tuple[str, dict[str, str]] | None:
    """`/inform{"tema": "captacao"}` → ("inform", {"tema": "captacao"}); None for ordinary text.

    Text that starts with `/` but is not in that shape (`/`, `/ 2 dúvidas`) is ordinary text."""
    match = INTENT_PAYLOAD.match(text.strip()) if text.startswith("/") else None
    if not match:
        return None
    entities: dict[str, str] = {}
    if match.group("entities"):
        try:
            data = json.loads(match.group("entities"))
        except json.JSONDecodeError:
            return None
        if not isinstance(data, dict):
            return None
        entities = {str(k): str(v) for k, v in data.items() if isinstance(v, str | int | float | bool)}
    return match.group("intent"), entities


@dataclass
class BotMessage:
    action: str
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


@dataclass
class DialogueContent:
    policy: DialoguePolicy
    responses: dict[str, tuple[list[str], list[dict[str, str]]]]  # name → (variants, buttons)
    sequences: dict[str, list[str]]
    extractor: EntityExtractor
    fallback_flows: bool  # some flow handles `nlu_fallback`

    def resolve(self, action: str, intent: str) -> str | None:
        """The response an action names: `utter_explica` + intent `explica/x` → `utter_explica/x`."""
        base = intent.split("/")[0]
        if action == f"utter_{base}" and "/" in intent and f"utter_{intent}" in self.responses:
            return f"utter_{intent}"
        return action if action in self.responses else None

    def default_actions(self, intent: str) -> list[str]:
        if intent in self.sequences:
            return self.sequences[intent]
        return [f"utter_{intent}"] if f"utter_{intent}" in self.responses else []


def load_dialogue_content() -> DialogueContent:
    responses: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
    for name, text in ResponseVariant.objects.values_list("response__name", "text"):
        responses.setdefault(name, ([], []))[0].append(text)
    for name, title, payload in ResponseButton.objects.values_list("response__name", "title", "payload"):
        responses.setdefault(name, ([], []))[1].append({"title": title, "payload": payload})
    answers = Answer.objects.filter(active=True, intent__active=True).values_list("intent__name", "text")
    for intent, text in answers:
        responses.setdefault(f"utter_{intent}", ([], []))[0].append(text)
    sequences: dict[str, list[str]] = {}
    for intent, response in IntentResponse.objects.filter(intent__active=True).values_list("intent__name", "response"):
        sequences.setdefault(intent, []).append(response)
    flows: dict[int, FlowSpec] = {}
    rows = FlowStep.objects.filter(flow__active=True, flow__kind__in=[Flow.Kind.STORY, Flow.Kind.RULE])
    for flow_id, name, kind, start, step_kind, step_name, entities in rows.values_list(
        "flow_id", "flow__name", "flow__kind", "flow__conversation_start", "kind", "name", "entities"
    ).order_by("flow__kind", "flow_id", "position", "id"):
        spec = flows.setdefault(flow_id, FlowSpec(name, kind, [], start))
        spec.steps.append(Step(step_kind, step_name, _entity_conditions(entities)))
    ordered = sorted(flows.values(), key=lambda f: f.kind != "rule")
    extractor = EntityExtractor.build(
        lookups={t.name: t.lines for t in LookupTable.objects.all()},
        regexes={r.name: r.lines for r in RegexPattern.objects.all()},
        synonyms={s.value: s.lines for s in Synonym.objects.all()},
        annotated=list(
            Example.objects.filter(intent__active=True).exclude(annotated="").values_list("annotated", flat=True)
        ),
    )
    return DialogueContent(
        policy=DialoguePolicy(ordered, max_history=settings.FAQ_DIALOGUE_MAX_HISTORY),
        responses=responses,
        sequences=sequences,
        extractor=extractor,
        fallback_flows=any("nlu_fallback" in s.intents for f in ordered for s in f.steps if s.kind != "action"),
    )


def _entity_conditions(entities: Any) -> tuple[tuple[str, str | None], ...]:
    result = []
    for item in entities if isinstance(entities, list) else []:
        if isinstance(item, dict) and item.get("entity"):
            value = item.get("value")
            result.append((str(item["entity"]), None if value is None else str(value)))
        elif isinstance(item, str):
            result.append((item, None))
    return tuple(result)


_cache: dict[str, Any] = {"content": None, "loaded_at": 0.0}
_lock = threading.Lock()


def dialogue_content() -> DialogueContent:
    """The content, reloaded when older than FAQ_DIALOGUE_CACHE_SECONDS (0 = every call)."""
    ttl = settings.FAQ_DIALOGUE_CACHE_SECONDS
    with _lock:
        if _cache["content"] is None or time.monotonic() - _cache["loaded_at"] >= ttl:
            try:
                _cache["content"] = load_dialogue_content()
            except DatabaseError:
                # Like the model: while the database is away, parsing keeps the content it last read.
                if _cache["content"] is None:
                    raise
            _cache["loaded_at"] = time.monotonic()
        return _cache["content"]


def dialogue_cache_clear() -> None:
    with _lock:
        _cache["content"] = None


def fill_slots(text: str, slots: dict[str, str]) -> str:
    """`{tema}` → the slot's value, or FAQ_SLOT_DEFAULT when the conversation has none."""
    return SLOT.sub(lambda m: str(slots.get(m.group(1)) or settings.FAQ_SLOT_DEFAULT), text)


def render(
    content: DialogueContent, actions: list[str], *, intent: str, slots: dict[str, str], seed: int
) -> list[BotMessage]:
    """Bot messages for the actions, one variant each (chosen by `seed`); custom actions say nothing."""
    messages = []
    chooser = random.Random(seed)
    for action in actions:
        name = content.resolve(action, intent)
        if name is None:
            continue
        variants, buttons = content.responses[name]
        text = fill_slots(chooser.choice(variants), slots) if variants else ""
        if text or buttons:
            messages.append(BotMessage(action, text, [dict(b) for b in buttons]))
    return messages


def session_turns(conversation: Conversation) -> list[Turn]:
    """The stored turns, or none when the session expired (FAQ_SESSION_TIMEOUT_MINUTES)."""
    last = conversation.last_active_at
    timeout = timedelta(minutes=settings.FAQ_SESSION_TIMEOUT_MINUTES)
    if last is None or timezone.now() - last > timeout:
        conversation.slots = {}
        return []
    return [Turn.from_dict(t) for t in conversation.turns if isinstance(t, dict)]


@dataclass
class DialogueResult:
    actions: list[str]
    messages: list[BotMessage]
    flow: str | None
    fallback: bool


def next_actions(
    content: DialogueContent, *, history: list[Turn], intent: str, entities: dict[str, str], unsure: bool
) -> tuple[list[str], str | None, bool]:
    """(actions, flow name, fallback): rules and memorised stories, then the intent's own sequence."""
    if unsure:
        if content.fallback_flows:
            prediction = content.policy.predict(history, "nlu_fallback", entities)
            if prediction is not None:
                return list(prediction.actions), prediction.flow, True
        return [], None, True
    prediction = content.policy.predict(history, intent, entities)
    if prediction is not None and prediction.actions:
        return list(prediction.actions), prediction.flow, False
    return list(content.default_actions(intent)), None, False
