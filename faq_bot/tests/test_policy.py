"""The dialogue policy alone: rules, memoised stories, checkpoints, OR steps, entities, windows."""

from __future__ import annotations

from faq_bot.policy import DialoguePolicy, FlowSpec, Step, Turn


def story(name: str, *steps: Step, kind: str = "story", start: bool = False) -> FlowSpec:
    return FlowSpec(name, kind, list(steps), start)


def u(name: str, **entities: str | None) -> Step:
    return Step("or" if "|" in name else "intent", name, tuple(entities.items()))


def a(name: str) -> Step:
    return Step("action", name)


def cp(name: str) -> Step:
    return Step("checkpoint", name)


OFFER = [
    story("oferta", u("cumprimentar"), a("utter_cumprimentar"), a("utter_oferta"), cp("ofereceu")),
    story("aceitou", cp("ofereceu"), u("afirmar"), a("utter_cadastro")),
    story("recusou", cp("ofereceu"), u("negar"), a("utter_em_que_mais")),
    story("sim solto", u("afirmar"), a("utter_sim_de_que")),
]


def test_a_follow_up_answer_depends_on_what_the_bot_asked():
    policy = DialoguePolicy(OFFER, max_history=3)
    offered = [Turn("cumprimentar", {}, ["utter_cumprimentar", "utter_oferta"])]
    assert policy.predict(offered, "afirmar", {}).actions == ("utter_cadastro",)
    assert policy.predict(offered, "negar", {}).actions == ("utter_em_que_mais",)
    # without the question, a plain "sim" gets the story that starts with it
    assert policy.predict([], "afirmar", {}).actions == ("utter_sim_de_que",)
    assert policy.predict([Turn("negar", {}, ["utter_x"])], "negar", {}) is None


def test_the_longest_match_wins_and_the_window_is_max_history():
    flows = [
        story("curta", u("tudo_bem"), a("utter_curta")),
        story("longa", u("cumprimentar"), a("utter_oi"), u("tudo_bem"), a("utter_longa")),
    ]
    history = [Turn("cumprimentar", {}, ["utter_oi"])]
    assert DialoguePolicy(flows, max_history=3).predict(history, "tudo_bem", {}).flow == "longa"
    # with a window of one turn the context is not looked at: both match with length 1, first wins
    assert DialoguePolicy(flows, max_history=1).predict(history, "tudo_bem", {}).flow == "curta"


def test_rules_win_over_stories_and_conversation_start_rules_only_open_a_conversation():
    flows = [
        story("história", u("explica"), a("utter_historia")),
        story("regra", u("explica"), a("utter_explica"), kind="rule"),
        story("abertura", u("saudar"), a("utter_bem_vindo"), kind="rule", start=True),
    ]
    policy = DialoguePolicy(flows)
    # a retrieval intent (response selector) matches its base name in a flow
    assert policy.predict([], "explica/intent", {}).actions == ("utter_explica",)
    assert policy.predict([], "saudar", {}).actions == ("utter_bem_vindo",)
    assert policy.predict([Turn("x", {}, [])], "saudar", {}) is None


def test_or_steps_and_entities():
    flows = [
        story("qualquer", u("cadastro | afirmar"), a("utter_cadastro")),
        story("prazo geral", u("prazo"), a("utter_prazo")),
        story("prazo captação", u("prazo", tema="captacao"), a("utter_prazo_captacao")),
        story("prazo com tema", u("prazo", tema=None), a("utter_prazo_tema")),
    ]
    policy = DialoguePolicy(flows)
    assert policy.predict([], "afirmar", {}).actions == ("utter_cadastro",)
    assert policy.predict([], "prazo", {}).actions == ("utter_prazo",)
    assert policy.predict([], "prazo", {"tema": "captacao"}).actions == ("utter_prazo_captacao",)
    assert policy.predict([], "prazo", {"tema": "projeto"}).actions == ("utter_prazo_tema",)


def test_checkpoint_paths_are_expanded():
    policy = DialoguePolicy(OFFER)
    names = {p.name for p in policy.patterns}
    assert {"oferta → aceitou", "oferta → recusou", "sim solto"} <= names
    assert "aceitou" not in names  # a story that starts at a checkpoint only exists after its parent
