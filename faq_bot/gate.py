"""The regression gate for the FAQ classifier: a candidate may answer users only if no validated
intent got worse. Pure function over evaluation reports; reasons are written in pt-BR for editors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.formatting import decimal
from model_store.services import GateResult


@dataclass(frozen=True)
class GateThresholds:
    max_intent_f1_drop: float = 0.10
    max_macro_f1_drop: float = 0.02


def _thieves(report: dict[str, Any], intent: str) -> list[str]:
    """Intents that received the questions of `intent` in the candidate's cross-validation."""
    return [c["predicted"] for c in report.get("confusions", []) if c["true"] == intent]


def faq_gate(
    *,
    candidate: dict[str, Any],
    production: dict[str, Any] | None,
    production_golden: dict[str, str] | None,
    thresholds: GateThresholds,
    production_stories: dict[str, bool] | None = None,
    near_duplicates: list[dict[str, Any]] | None = None,
    production_out_of_scope: dict[str, Any] | None = None,
) -> GateResult:
    """Compare a candidate's evaluation report with production's.

    `production_golden` maps each current golden text to what production answers today, so the
    golden comparison uses the same, current golden set for both models; likewise
    `production_out_of_scope` is production (with its own thresholds) on the candidate's
    out-of-scope set (`reliability.out_of_scope_result`).
    """
    reasons: list[str] = []
    if not candidate.get("evaluated"):
        return GateResult(False, [f"A avaliação não pôde ser feita: {candidate.get('reason', 'dados insuficientes')}."])
    if production is None:
        return GateResult(True, [], {"sections": [_golden_section(candidate, {})]})

    rows = []
    cand_intents = candidate["per_intent"]
    prod_intents = production.get("per_intent", {})
    for intent in sorted(set(cand_intents) | set(prod_intents)):
        new = cand_intents.get(intent, {}).get("f1")
        old = prod_intents.get(intent, {}).get("f1")
        change = round(new - old, 4) if new is not None and old is not None else None
        blocked = change is not None and -change > thresholds.max_intent_f1_drop
        thieves = _thieves(candidate, intent) if blocked else []
        if blocked:
            took = f" As perguntas foram para: {', '.join(thieves)}." if thieves else ""
            reasons.append(
                f"A intenção '{intent}' piorou: F1 caiu de {decimal(old)} para {decimal(new)} "
                f"(queda máxima permitida {decimal(thresholds.max_intent_f1_drop)}).{took}"
            )
        rows.append(
            [intent, _fmt(old), _fmt(new), _fmt_change(change), "BLOQUEIA" if blocked else "", ", ".join(thieves)]
        )

    # Macro-F1 over the intents both models know: a new intent is judged by its own row above,
    # while a fall in the shared average means old intents got worse together.
    shared = sorted(set(cand_intents) & set(prod_intents))
    if shared:
        old_macro = sum(prod_intents[i]["f1"] for i in shared) / len(shared)
        new_macro = sum(cand_intents[i]["f1"] for i in shared) / len(shared)
        if old_macro - new_macro > thresholds.max_macro_f1_drop:
            reasons.append(
                f"O F1 macro das {len(shared)} intenções já validadas caiu de {decimal(old_macro, 3)} para {decimal(new_macro, 3)} "
                f"(queda máxima permitida {decimal(thresholds.max_macro_f1_drop)})."
            )

    regressions = []
    for case in candidate.get("golden", {}).get("cases", []):
        before = (production_golden or {}).get(case["text"])
        if before == case["expected"] and not case["ok"]:
            regressions.append(case)
            reasons.append(
                f"Frase de ouro regrediu: \"{case['text']}\" era respondida como '{case['expected']}' "
                f"e agora vai para '{case['predicted']}'."
            )

    for story in candidate.get("conversation_tests", {}).get("stories", []):
        if not story["ok"] and (production_stories or {}).get(story["name"]):
            error = story["first_error"]
            said = f' ("{error["text"]}")' if error.get("text") else ""
            reasons.append(
                f"O teste de conversa '{story['name']}' passa em produção e falha na candidata no turno "
                f"{error['turn']}{said}: esperado {', '.join(error['expected_actions']) or 'nada'} "
                f"(intenção '{error['expected_intent']}'), obtido {', '.join(error['predicted_actions']) or 'nada'} "
                f"(intenção '{error['predicted_intent']}')."
            )
    for dup in near_duplicates or []:
        reasons.append(
            f'O exemplo novo "{dup["text"]}" da intenção \'{dup["intent"]}\' é quase igual a "{dup["other_text"]}" '
            f"da intenção '{dup['other_intent']}' (similaridade {decimal(dup['score'])}); corrija o conteúdo ou peça a "
            "promoção forçada (equipe)."
        )

    reasons.extend(_out_of_scope_reasons(candidate.get("out_of_scope"), production_out_of_scope))

    sections = [
        {
            "title": "F1 por intenção: produção × candidata",
            "columns": ["intenção", "F1 produção", "F1 candidata", "variação", "portão", "perguntas foram para"],
            "rows": rows,
        },
        _golden_section(candidate, production_golden or {}),
    ]
    return GateResult(not reasons, reasons, {"sections": sections, "golden_regressions": len(regressions)})


def _out_of_scope_reasons(candidate: dict[str, Any] | None, production: dict[str, Any] | None) -> list[str]:
    """Block a candidate that answers more out-of-scope questions than production does."""
    if not candidate or not production or not candidate.get("total"):
        return []
    new, old = candidate["false_accepts"], production["false_accepts"]
    if new <= old:
        return []
    examples = "; ".join(f"\"{a['text']}\" → '{a['intent']}'" for a in candidate.get("accepted", [])[:3])
    return [
        f"A candidata responde {new} das {candidate['total']} perguntas fora do escopo com uma intenção do "
        f"assistente; a produção responde {old}. Exemplos: {examples}."
    ]


def _golden_section(candidate: dict[str, Any], production_golden: dict[str, str]) -> dict[str, Any]:
    cases = candidate.get("golden", {}).get("cases", [])
    return {
        "title": "Conjunto de ouro (frases de regressão)",
        "columns": ["frase", "esperada", "produção", "candidata", "confiança", "resultado"],
        "rows": [
            [
                c["text"],
                c["expected"],
                production_golden.get(c["text"], "—"),
                c["predicted"],
                decimal(c["confidence"]),
                "ok" if c["ok"] else "ERRO",
            ]
            for c in sorted(cases, key=lambda c: (c["ok"], c["expected"]))
        ],
    }


def _fmt(value: float | None) -> str:
    return "—" if value is None else decimal(value)


def _fmt_change(value: float | None) -> str:
    return "—" if value is None else ("+" if value >= 0 else "") + decimal(value)
