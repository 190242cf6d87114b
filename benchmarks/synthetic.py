"""Synthetic FAQ data sets with a fixed seed: N intents × M examples of pt-BR-like questions."""

from __future__ import annotations

import random

OPENERS = ["como", "quando", "onde", "qual", "quem", "posso", "preciso", "é possível", "o que", "por que"]
FILLERS = ["eu", "meu", "o", "a", "do", "da", "para", "no", "na", "com", "sobre", "pelo", "vc", "pra"]
TOPICS = (
    "projeto proposta captação recurso patrocínio doação prazo conta senha cadastro parecer recurso "
    "ingresso acessibilidade plano distribuição orçamento rubrica comprovante nota fiscal pagamento "
    "incentivador proponente salic pronac homologação aprovação readequação remanejamento prorrogação "
    "contrapartida divulgação marca logomarca edital segmento área música teatro dança museu patrimônio "
    "audiovisual livro festival oficina curso exposição espetáculo turnê gravação produção equipe cachê"
).split()
ACTIONS = (
    "enviar alterar cancelar consultar recuperar cadastrar aprovar comprovar captar deduzir declarar "
    "prorrogar anexar corrigir solicitar pagar receber transferir publicar divulgar registrar acessar"
).split()


def synthetic_intents(n_intents: int, n_examples: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """Each intent has its own topic+action signature plus shared noise words, so classes overlap a bit."""
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(n_intents):
        own = rng.sample(TOPICS, 2) + rng.sample(ACTIONS, 1)
        name = f"intent_{i:03d}"
        seen: set[str] = set()
        while len(seen) < n_examples:
            words = [rng.choice(OPENERS)] + rng.sample(own, rng.randint(2, 3))
            words += rng.sample(FILLERS, rng.randint(1, 3)) + rng.sample(TOPICS, rng.randint(0, 2))
            rng.shuffle(words[1:])
            text = " ".join(words)
            if rng.random() < 0.2:  # typos: drop one letter
                pos = rng.randrange(len(text))
                text = text[:pos] + text[pos + 1 :]
            if text not in seen:
                seen.add(text)
                texts.append(text)
                labels.append(name)
    return texts, labels
