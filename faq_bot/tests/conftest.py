"""Small, clearly separable FAQ content for fast, deterministic tests."""

from __future__ import annotations

import pytest

from faq_bot.models import Answer, Example, Intent, RegressionCase
from faq_bot.nlp import canonical

BASE_CONTENT: dict[str, list[str]] = {
    "senha": [
        "esqueci minha senha",
        "como recupero a senha do salic",
        "nao lembro a senha",
        "senha bloqueada o que faço",
        "quero trocar minha senha",
        "minha senha não funciona",
        "redefinir senha de acesso",
        "perdi a senha do sistema",
        "como mudar a senha",
        "senha expirada",
    ],
    "prazo_contas": [
        "qual o prazo da prestação de contas",
        "até quando posso prestar contas",
        "prazo para enviar a prestação de contas",
        "quantos dias tenho para prestar contas",
        "data limite da prestacao de contas",
        "perdi o prazo de prestar contas",
        "prestação de contas tem prazo?",
        "quando vence o prazo das contas do projeto",
        "prazo final prestação de contas",
        "fim do prazo para comprovar as despesas",
    ],
    "saudacao": [
        "oi",
        "olá",
        "bom dia",
        "boa tarde",
        "boa noite",
        "oi tudo bem",
        "e aí",
        "olá, tudo certo?",
        "opa",
        "saudações",
    ],
    "ingressos": [
        "qual o preço máximo do ingresso",
        "posso cobrar ingresso no show",
        "valor do ingresso em projeto incentivado",
        "ingresso pode ser pago?",
        "limite de preço dos ingressos",
        "quanto posso cobrar pela entrada",
        "ingressos gratuitos são obrigatórios?",
        "venda de ingressos no projeto",
        "preço popular de ingresso",
        "cota de ingressos gratuitos",
    ],
}

GOLDEN = [
    ("não consigo lembrar a minha senha", "senha"),
    ("qual a data final para prestar contas do projeto", "prazo_contas"),
    ("oi, boa tarde", "saudacao"),
    ("quanto pode custar o ingresso", "ingressos"),
]


def build_content(content: dict[str, list[str]] | None = None, golden: list[tuple[str, str]] | None = None) -> None:
    for name, examples in (content or BASE_CONTENT).items():
        intent = Intent.objects.create(name=name, title=name.replace("_", " ").title())
        Example.objects.bulk_create([Example(intent=intent, text=t, canonical_text=canonical(t)) for t in examples])
        Answer.objects.create(intent=intent, text=f"Resposta sobre {name}.")
    for text, name in golden if golden is not None else GOLDEN:
        RegressionCase.objects.create(text=text, expected_intent=Intent.objects.get(name=name))


@pytest.fixture(autouse=True)
def fresh_dialogue_content(settings):
    """Flows and responses are cached per process; each test reads its own content on every message."""
    from faq_bot.dialogue import dialogue_cache_clear

    settings.FAQ_DIALOGUE_CACHE_SECONDS = 0
    dialogue_cache_clear()
    yield
    dialogue_cache_clear()


@pytest.fixture
def base_content(db) -> None:
    build_content()
