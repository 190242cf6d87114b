"""Which bot messages come next: Rasa's rule and memoization policies, in plain Python.

Flows (stories and rules) are compiled into turn patterns: a user step (intent, or one of several,
with optional entities) followed by the bot actions of that turn. Stories joined by checkpoints
are expanded into every path. To answer a message, every pattern turn matching it is a candidate
if the turns before it in the flow equal the conversation's last turns (user step and actions) on a
window of at most `max_history` turns; a flow's first turn matches anywhere (as Rasa's augmented
memoization does). Rules win over stories; then the longest match; then the first flow written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_CHECKPOINT_PATHS = 200


@dataclass(frozen=True)
class Step:
    kind: str  # intent | or | action | checkpoint
    name: str
    entities: tuple[tuple[str, str | None], ...] = ()

    @property
    def intents(self) -> tuple[str, ...]:
        return tuple(n.strip() for n in self.name.split("|") if n.strip())


@dataclass
class FlowSpec:
    name: str
    kind: str  # story | rule
    steps: list[Step]
    conversation_start: bool = False


@dataclass(frozen=True)
class PatternTurn:
    user: Step
    actions: tuple[str, ...]


@dataclass
class Pattern:
    name: str
    kind: str
    turns: list[PatternTurn]
    conversation_start: bool = False


@dataclass
class Turn:
    """One turn of the conversation as it happened."""

    intent: str
    entities: dict[str, str] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"intent": self.intent, "entities": self.entities, "actions": self.actions}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        return cls(str(data.get("intent", "")), dict(data.get("entities") or {}), list(data.get("actions") or []))


@dataclass(frozen=True)
class Prediction:
    actions: tuple[str, ...]
    flow: str
    kind: str
    length: int


def intent_matches(pattern: str, intent: str) -> bool:
    """`explica` (a retrieval intent in a flow) matches the classifier's `explica/intent`."""
    return pattern == intent or intent.startswith(pattern + "/")


def user_matches(step: Step, intent: str, entities: dict[str, str]) -> int:
    """-1 when the step does not match; otherwise how many entity conditions it satisfied."""
    if not any(intent_matches(p, intent) for p in step.intents):
        return -1
    for name, value in step.entities:
        if name not in entities or (value is not None and str(entities[name]) != str(value)):
            return -1
    return len(step.entities)


def _segments(flow: FlowSpec) -> tuple[list[str], list[Step], list[str]]:
    """Leading checkpoints, body, trailing checkpoints."""
    steps = list(flow.steps)
    start = []
    while steps and steps[0].kind == "checkpoint":
        start.append(steps.pop(0).name)
    end = []
    while steps and steps[-1].kind == "checkpoint":
        end.insert(0, steps.pop().name)
    return start, [s for s in steps if s.kind != "checkpoint"], end


def _turns(steps: list[Step]) -> list[PatternTurn] | None:
    turns: list[PatternTurn] = []
    user: Step | None = None
    actions: list[str] = []
    for step in steps:
        if step.kind in ("intent", "or"):
            if user is not None:
                turns.append(PatternTurn(user, tuple(actions)))
            user, actions = step, []
        elif step.kind == "action":
            if user is None:
                return None  # bot actions before any user message (forms, conditions): not matchable
            actions.append(step.name)
    if user is not None:
        turns.append(PatternTurn(user, tuple(actions)))
    return turns


def compile_flows(flows: list[FlowSpec]) -> list[Pattern]:
    """Rules first, then stories with checkpoint paths expanded (bounded)."""
    patterns: list[Pattern] = []
    parts = [(f, *_segments(f)) for f in flows]
    by_start: dict[str, list[tuple[FlowSpec, list[Step], list[str]]]] = {}
    for flow, start, body, end in parts:
        for checkpoint in start:
            by_start.setdefault(checkpoint, []).append((flow, body, end))
    for flow, _start, body, _end in parts:
        if flow.kind == "rule":
            turns = _turns(body)
            if turns:
                patterns.append(Pattern(flow.name, "rule", turns, flow.conversation_start))
    for flow, start, body, end in parts:
        if flow.kind != "story" or start:
            continue
        stack = [(flow.name, body, end, 0)]
        paths = 0
        while stack and paths < MAX_CHECKPOINT_PATHS:
            name, steps, ends, depth = stack.pop(0)
            followers = [f for c in ends for f in by_start.get(c, [])] if depth < 5 else []
            turns = _turns(steps)
            if turns:
                patterns.append(Pattern(name, "story", turns))
                paths += 1
            for follower, follower_body, follower_end in followers:
                stack.append((f"{name} → {follower.name}", steps + follower_body, follower_end, depth + 1))
    return patterns


class DialoguePolicy:
    def __init__(self, flows: list[FlowSpec], *, max_history: int = 5) -> None:
        self.max_history = max(1, max_history)
        self.patterns = compile_flows(flows)

    def predict(self, history: list[Turn], intent: str, entities: dict[str, str]) -> Prediction | None:
        best: tuple[tuple[int, int, int], Prediction] | None = None
        for order, pattern in enumerate(self.patterns):
            for j, turn in enumerate(pattern.turns):
                extra = user_matches(turn.user, intent, entities)
                if extra < 0 or (pattern.conversation_start and (j > 0 or history)):
                    continue
                length = self._context_length(pattern.turns, j, history)
                if length is None:
                    continue
                rank = (1 if pattern.kind == "rule" else 0, length * 10 + extra, -order)
                if best is None or rank > best[0]:
                    best = (rank, Prediction(turn.actions, pattern.name, pattern.kind, length))
        return best[1] if best else None

    def _context_length(self, turns: list[PatternTurn], j: int, history: list[Turn]) -> int | None:
        """Turns matched (current included) when the flow's turns before j equal the conversation's
        last turns on the window; None when the window differs."""
        needed = min(j, self.max_history - 1)
        if len(history) < needed:
            return None
        for k in range(1, needed + 1):
            expected, actual = turns[j - k], history[-k]
            if user_matches(expected.user, actual.intent, actual.entities) < 0:
                return None
            if tuple(actual.actions) != expected.actions:
                return None
        return needed + 1
