from __future__ import annotations

from faq_bot.gate import GateThresholds, faq_gate

T = GateThresholds(max_intent_f1_drop=0.10, max_macro_f1_drop=0.02)


def report(f1: dict[str, float], macro: float | None = None, confusions=None, golden=None) -> dict:
    return {
        "evaluated": True,
        "per_intent": {k: {"precision": v, "recall": v, "f1": v, "support": 10} for k, v in f1.items()},
        "macro_f1": macro if macro is not None else sum(f1.values()) / len(f1),
        "confusions": confusions or [],
        "golden": {"cases": golden or []},
    }


def test_first_model_passes_when_its_evaluation_ran():
    assert faq_gate(candidate=report({"a": 0.5}), production=None, production_golden=None, thresholds=T).passed


def test_a_model_without_evaluation_never_passes():
    result = faq_gate(
        candidate={"evaluated": False, "reason": "x"}, production=None, production_golden=None, thresholds=T
    )
    assert not result.passed and "avaliação" in result.reasons[0]


def test_gate_blocks_when_an_old_intent_regresses_and_names_who_took_its_questions():
    old = report({"senha": 0.95, "prazo": 0.9})
    new = report(
        {"senha": 0.60, "prazo": 0.9, "senha_gov": 0.5},
        macro=0.9,
        confusions=[{"true": "senha", "predicted": "senha_gov", "count": 4, "examples": ["esqueci a senha"]}],
    )
    result = faq_gate(candidate=new, production=old, production_golden={}, thresholds=T)
    assert not result.passed
    assert any("'senha'" in r and "senha_gov" in r for r in result.reasons)
    table = result.report["sections"][0]
    blocked_rows = [row for row in table["rows"] if row[4] == "BLOQUEIA"]
    assert [row[0] for row in blocked_rows] == ["senha"] and blocked_rows[0][5] == "senha_gov"


def test_a_drop_within_the_threshold_passes():
    result = faq_gate(
        candidate=report({"a": 0.92, "b": 0.9}),
        production=report({"a": 0.95, "b": 0.9}),
        production_golden={},
        thresholds=T,
    )
    assert result.passed, result.reasons


def test_a_macro_f1_drop_over_the_validated_intents_blocks():
    # Each intent drops by less than 0.10, but together the validated intents lost 0.05.
    result = faq_gate(
        candidate=report({"a": 0.85, "b": 0.85, "new": 0.2}),
        production=report({"a": 0.9, "b": 0.9}),
        production_golden={},
        thresholds=T,
    )
    assert not result.passed and len(result.reasons) == 1 and "F1 macro das 2 intenções" in result.reasons[0]


def test_a_weak_new_intent_alone_does_not_block():
    result = faq_gate(
        candidate=report({"a": 0.9, "b": 0.9, "new": 0.3}),
        production=report({"a": 0.9, "b": 0.9}),
        production_golden={},
        thresholds=T,
    )
    assert result.passed
    assert ["new", "—", "0,30", "—", "", ""] in result.report["sections"][0]["rows"]


def test_a_golden_case_that_production_got_right_and_the_candidate_gets_wrong_blocks():
    case = {"text": "esqueci a senha", "expected": "senha", "predicted": "senha_gov", "confidence": 0.6, "ok": False}
    new_wrong_everywhere = {"text": "oi", "expected": "saudacao", "predicted": "senha", "confidence": 0.4, "ok": False}
    result = faq_gate(
        candidate=report({"senha": 0.9}, golden=[case, new_wrong_everywhere]),
        production=report({"senha": 0.9}),
        production_golden={"esqueci a senha": "senha", "oi": "prazo"},
        thresholds=T,
    )
    assert not result.passed
    assert len(result.reasons) == 1 and "esqueci a senha" in result.reasons[0]
    assert result.report["golden_regressions"] == 1


def test_gate_reasons_write_numbers_with_a_decimal_comma():
    result = faq_gate(
        candidate=report({"senha": 0.6, "prazo": 0.9}, macro=0.75),
        production=report({"senha": 0.96, "prazo": 0.9}, macro=0.93),
        production_golden={},
        thresholds=T,
    )
    text = " ".join(result.reasons)
    assert "de 0,96 para 0,60" in text and "permitida 0,10" in text and "0,930 para 0,750" in text
    assert "0.96" not in text and "0.10" not in text


def out_of_scope(accepted: int, total: int = 90) -> dict:
    examples = [{"text": "vai chover amanhã?", "intent": "prazo", "confidence": 0.8}] * accepted
    return {"total": total, "false_accepts": accepted, "false_accept_rate": accepted / total, "accepted": examples}


def test_gate_blocks_a_candidate_that_answers_more_out_of_scope_questions_than_production():
    old = report({"senha": 0.9, "prazo": 0.9})
    new = {**report({"senha": 0.9, "prazo": 0.9}), "out_of_scope": out_of_scope(4)}
    result = faq_gate(
        candidate=new, production=old, production_golden={}, thresholds=T, production_out_of_scope=out_of_scope(2)
    )
    assert not result.passed
    assert any("4 das 90 perguntas fora do escopo" in r and "a produção responde 2" in r for r in result.reasons)
    assert any("vai chover amanhã?" in r for r in result.reasons)


def test_gate_passes_a_candidate_that_answers_no_more_out_of_scope_questions():
    old = report({"senha": 0.9, "prazo": 0.9})
    new = {**report({"senha": 0.9, "prazo": 0.9}), "out_of_scope": out_of_scope(2)}
    assert faq_gate(
        candidate=new, production=old, production_golden={}, thresholds=T, production_out_of_scope=out_of_scope(2)
    ).passed
