"""Checks like `rasa data validate`, on the database content: flows naming unknown intents or
responses, responses nobody uses, the same example under two intents. Each issue names the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Example, Flow, FlowStep, Intent, IntentResponse, Response

# Names a flow may use without a row behind them (Rasa's built-ins we understand).
BUILTIN_INTENTS = {"nlu_fallback"}


@dataclass(frozen=True)
class Issue:
    level: str  # "erro" | "aviso"
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.message}"


def known_response_names() -> set[str]:
    """Named responses plus `utter_<intent>` of every intent that has answers of its own."""
    names = set(Response.objects.values_list("name", flat=True))
    names |= {f"utter_{n}" for n in Intent.objects.filter(answers__active=True).values_list("name", flat=True)}
    return names


def resolves(action: str, responses: set[str]) -> bool:
    """`utter_explica` also names the retrieval responses `utter_explica/…` (Rasa's response selector)."""
    return action in responses or any(r.startswith(action + "/") for r in responses)


def intent_known(name: str, intents: set[str]) -> bool:
    return name in intents or name in BUILTIN_INTENTS or any(i.startswith(name + "/") for i in intents)


def faq_content_validate() -> list[Issue]:
    issues: list[Issue] = []
    intents = set(Intent.objects.values_list("name", flat=True))
    responses = known_response_names()
    used: set[str] = set()
    steps = FlowStep.objects.select_related("flow").order_by("flow__kind", "flow_id", "position", "id")
    for step in steps:
        where = f"{step.flow.get_kind_display()} '{step.flow.name}', passo {step.position + 1}"
        if step.kind in (FlowStep.Kind.INTENT, FlowStep.Kind.OR):
            for name in step.intents:
                if not intent_known(name, intents):
                    issues.append(Issue("erro", f"{where}: intenção desconhecida '{name}'."))
        elif step.kind == FlowStep.Kind.ACTION:
            used.add(step.name)
            if step.name.startswith("utter_"):
                if not resolves(step.name, responses):
                    issues.append(Issue("erro", f"{where}: resposta desconhecida '{step.name}'."))
            else:
                issues.append(Issue("aviso", f"{where}: ação personalizada '{step.name}' não é executada aqui."))
    for seq in IntentResponse.objects.select_related("intent"):
        used.add(seq.response)
        if not resolves(seq.response, responses):
            issues.append(
                Issue("erro", f"intenção '{seq.intent.name}', sequência: resposta desconhecida '{seq.response}'.")
            )
    own = {f"utter_{n}" for n in intents}
    for name in sorted(Response.objects.values_list("name", flat=True)):
        base = name.split("/")[0]
        if name not in used and base not in used and name not in own:
            issues.append(Issue("aviso", f"a resposta '{name}' não é usada por nenhum fluxo nem intenção."))
    rows = Example.objects.values_list("canonical_text", "text", "intent__name").order_by("canonical_text", "id")
    seen: dict[str, tuple[str, str]] = {}
    for canon, text, intent in rows:
        first = seen.setdefault(canon, (text, intent))
        if first[1] != intent:
            issues.append(Issue("erro", f"o exemplo \"{text}\" está em duas intenções: '{first[1]}' e '{intent}'."))
    return issues


def flows_using(*, intent: str | None = None, response: str | None = None) -> list[Flow]:
    """Flows with a step naming this intent (also inside OR steps) or this response."""
    steps = FlowStep.objects.all()
    if intent is not None:
        steps = steps.filter(kind__in=[FlowStep.Kind.INTENT, FlowStep.Kind.OR], name__contains=intent)
    else:
        steps = steps.filter(kind=FlowStep.Kind.ACTION, name=response)
    candidates = Flow.objects.filter(steps__in=steps).distinct().prefetch_related("steps")
    if intent is None:
        return list(candidates)
    return [f for f in candidates if any(intent in s.intents for s in f.steps.all() if s.kind != FlowStep.Kind.ACTION)]
