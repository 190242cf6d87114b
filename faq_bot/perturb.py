"""How citizens actually type: seeded perturbed copies of texts, for evaluation and augmentation.

Each kind is a function (text, rng) → text. The same seed gives the same copies, so two model
versions are compared on identical perturbed questions. Plain Python.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from .nlp import fold

TYPO_RATE = 0.15  # share of words (≥ 3 letters) given one dropped, swapped or doubled character
SEED = 42

# The shortenings the issue names, and a few more seen in chats (written word → abbreviation).
CHAT_SHORTENINGS: dict[str, str] = {
    "você": "vc",
    "voce": "vc",
    "vocês": "vcs",
    "porque": "pq",
    "por que": "pq",
    "por quê": "pq",
    "que": "q",
    "também": "tb",
    "comigo": "cmg",
    "beleza": "blz",
    "obrigado": "obg",
    "obrigada": "obg",
    "para": "pra",
    "não": "n",
    "quando": "qdo",
    "hoje": "hj",
    "muito": "mt",
}
EMOJI = ["🙏", "😅", "👍", "😡", "🤔", "😊", "❤️", "😢"]
_SHORTEN = re.compile(
    r"(?<!\w)(" + "|".join(sorted(map(re.escape, CHAT_SHORTENINGS), key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_END_PUNCT = re.compile(r"[?!.]*\s*$")


def no_accents(text: str, rng: random.Random) -> str:
    return fold(text)


def typos(text: str, rng: random.Random, rate: float = TYPO_RATE) -> str:
    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        if rng.random() >= rate:
            return word
        i = rng.randrange(len(word) - 1)
        kind = rng.choice(("drop", "swap", "double"))
        if kind == "drop":
            return word[:i] + word[i + 1 :]
        if kind == "swap":
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        return word[: i + 1] + word[i] + word[i + 1 :]

    return _WORD.sub(one, text)


def abbreviations(text: str, rng: random.Random) -> str:
    return _SHORTEN.sub(lambda m: CHAT_SHORTENINGS[m.group(0).lower()], text)


def all_caps(text: str, rng: random.Random) -> str:
    return text.upper()


def repeated_punctuation(text: str, rng: random.Random) -> str:
    mark = rng.choice(("???", "!!!", "?!?!", "..."))
    return _END_PUNCT.sub("", text) + mark


def emoji(text: str, rng: random.Random) -> str:
    return f"{text} {rng.choice(EMOJI)}{rng.choice(EMOJI)}"


def everything(text: str, rng: random.Random) -> str:
    """All of the above at once, as the worst realistic message."""
    for kind in (abbreviations, no_accents, typos, repeated_punctuation, emoji, all_caps):
        text = kind(text, rng)
    return text


# Label shown in the report (pt-BR) → perturbation.
KINDS: dict[str, Callable[[str, random.Random], str]] = {
    "sem acentos": no_accents,
    "erros de digitação": typos,
    "abreviações (vc, pq, q, tb, cmg, blz, obg)": abbreviations,
    "TUDO EM MAIÚSCULAS": all_caps,
    "pontuação repetida": repeated_punctuation,
    "emoji": emoji,
    "tudo junto": everything,
}


def perturbed(texts: list[str], kind: str, *, seed: int = SEED) -> list[str]:
    """Perturbed copies of `texts` (same order), deterministic for a seed and kind."""
    rng = random.Random(f"{seed}:{kind}")
    return [KINDS[kind](text, rng) for text in texts]


def augmented(texts: list[str], labels: list[str], *, seed: int = SEED) -> tuple[list[str], list[str]]:
    """Training-time augmentation: one typo copy per example (the other kinds are undone by `nlp.clean`)."""
    rng = random.Random(f"{seed}:augment")
    copies = [typos(text, rng, rate=0.25) for text in texts]
    keep = [i for i, (a, b) in enumerate(zip(texts, copies, strict=True)) if a != b]
    return texts + [copies[i] for i in keep], labels + [labels[i] for i in keep]
