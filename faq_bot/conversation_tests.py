"""Conversation tests (Rasa's test stories) replayed through a classifier with the real dialogue.

Each user turn is classified from its text (or taken from its `/intent` payload), entities are
extracted, and the policy picks the actions from the conversation so far; the turn passes when the
intent and the actions, in order, are exactly the expected ones. The history fed to the next turn
is the story's own (as Rasa's test does), so one mistake does not hide the turns after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .dialogue import DialogueContent, next_actions, parse_intent_payload
from .fallback import is_unsure
from .models import Flow, FlowStep
from .policy import Turn


@dataclass
class StoryTurn:
    text: str
    intent: str
    entities: dict[str, str]
    actions: list[str] = field(default_factory=list)


@dataclass
class ConversationTest:
    name: str
    turns: list[StoryTurn]


def conversation_tests_load() -> list[ConversationTest]:
    """The active conversation tests, in order."""
    stories: dict[int, ConversationTest] = {}
    steps = FlowStep.objects.filter(flow__kind=Flow.Kind.TEST, flow__active=True).select_related("flow")
    for step in steps.order_by("flow_id", "position", "id"):
        story = stories.setdefault(step.flow_id, ConversationTest(step.flow.name, []))
        if step.kind in (FlowStep.Kind.INTENT, FlowStep.Kind.OR):
            entities = {
                str(e["entity"]): str(e.get("value", ""))
                for e in step.entities
                if isinstance(e, dict) and e.get("entity")
            }
            story.turns.append(StoryTurn(step.text, step.intents[0] if step.intents else "", entities))
        elif step.kind == FlowStep.Kind.ACTION and story.turns:
            story.turns[-1].actions.append(step.name)
    return list(stories.values())


def replay(classifier: Any, content: DialogueContent, stories: list[ConversationTest]) -> dict[str, Any]:
    """Per-story pass/fail with the first wrong turn, and turn counts (the benchmark's figure)."""
    results = []
    for story in stories:
        history: list[Turn] = []
        turns_ok, first_error = 0, None
        for number, turn in enumerate(story.turns, start=1):
            intent, entities, unsure = turn.intent, dict(turn.entities), False
            payload = parse_intent_payload(turn.text) if turn.text else None
            if payload and payload[0]:
                intent, entities = payload[0], {**entities, **payload[1]}
            elif turn.text:
                ranking = classifier.rank(turn.text, top=3)
                intent, unsure = ranking[0][0], is_unsure(ranking, classifier)
                found = content.extractor.extract(turn.text)
                entities = {**{e["entity"]: str(e["value"]) for e in found}, **entities}
            actions, _flow, _fallback = next_actions(
                content, history=history, intent=intent, entities=entities, unsure=unsure
            )
            ok = actions == turn.actions and (unsure is False and intent == turn.intent)
            if ok:
                turns_ok += 1
            elif first_error is None:
                first_error = {
                    "turn": number,
                    "text": turn.text,
                    "expected_intent": turn.intent,
                    "predicted_intent": "nlu_fallback" if unsure else intent,
                    "expected_actions": turn.actions,
                    "predicted_actions": actions,
                }
            history.append(Turn(turn.intent, dict(turn.entities), list(turn.actions)))
        results.append(
            {
                "name": story.name,
                "ok": first_error is None,
                "turns": len(story.turns),
                "turns_ok": turns_ok,
                "first_error": first_error,
            }
        )
    turns = sum(r["turns"] for r in results)
    turns_ok = sum(r["turns_ok"] for r in results)
    return {
        "total": len(results),
        "passed": sum(r["ok"] for r in results),
        "turns": turns,
        "turns_ok": turns_ok,
        "turn_accuracy": round(turns_ok / turns, 4) if turns else None,
        "stories": results,
    }


def describe_error(error: dict[str, Any]) -> str:
    """pt-BR: which turn went wrong and how."""
    said = f' ("{error["text"]}")' if error.get("text") else ""
    return (
        f"turno {error['turn']}{said}: esperado {error['expected_intent']} → "
        f"{', '.join(error['expected_actions']) or 'nada'}; obtido {error['predicted_intent']} → "
        f"{', '.join(error['predicted_actions']) or 'nada'}"
    )


def faq_conversation_tests_run() -> dict[str, Any] | None:
    """Replay today's conversation tests with the production model and today's flows (an edited flow
    takes effect without training, so the admin checks it right away). None without a model."""
    from model_store.serving import get_production_model

    from .dialogue import load_dialogue_content
    from .names import MODEL_NAME

    try:
        loaded = get_production_model(MODEL_NAME)
    except Exception:  # a broken artifact: the registry reports it; nothing to replay with
        return None
    stories = conversation_tests_load()
    if loaded is None or not stories:
        return None
    return replay(loaded.obj, load_dialogue_content(), stories)
