"""Portuguese text processing for the FAQ classifier.

normalize → NFC, lowercase, collapsed spaces. fold → the same without accents.
Tokens come from spaCy's rule-based `blank("pt")` tokenizer; lemmas from the lookup table of
`spacy-lookups-data` plus a small domain override table.

The full lookup table has ~825k entries and takes about a second to read, so it is read only at
training time; the artifact keeps just the entries whose lemma occurs in the training data (every
inflected form of the words the model knows), which serving needs and nothing more.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources
from typing import Any

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w", re.UNICODE)
# Emoji, pictographs and other symbols carry no intent here; letters repeated for emphasis
# ("obrigadooo") and runs of punctuation ("???", "!!!") are squeezed.
_SYMBOLS = re.compile(r"[^\w\s.,;:!?/'\"()\-]", re.UNICODE)
_REPEATED_LETTERS = re.compile(r"([^\W\d_])\1{2,}", re.UNICODE)
_REPEATED_PUNCT = re.compile(r"([!?.,;:])[!?.,;:]+")
_WORDS = re.compile(r"\w+", re.UNICODE)

# How people type in chats (token → the written word). Applied before features at training and
# serving alike, so "vc pq" and "você porque" are the same question to the model.
ABBREVIATIONS: dict[str, str] = {
    "vc": "você",
    "vcs": "vocês",
    "pq": "porque",
    "q": "que",
    "oq": "o que",
    "tb": "também",
    "tbm": "também",
    "tmb": "também",
    "cmg": "comigo",
    "ctg": "contigo",
    "blz": "beleza",
    "obg": "obrigado",
    "obgd": "obrigado",
    "obgda": "obrigada",
    "brigado": "obrigado",
    "vlw": "valeu",
    "flw": "falou",
    "pra": "para",
    "pro": "para o",
    "p": "para",
    "td": "tudo",
    "tds": "todos",
    "hj": "hoje",
    "qdo": "quando",
    "qnd": "quando",
    "qto": "quanto",
    "qts": "quantos",
    "msg": "mensagem",
    "mt": "muito",
    "mto": "muito",
    "mtu": "muito",
    "n": "não",
    "ñ": "não",
    "nao": "não",
    "s": "sim",
    "ss": "sim",
    "sss": "sim",
    "eh": "é",
    "ta": "está",
    "tá": "está",
    "to": "estou",
    "tô": "estou",
    "cad": "cadê",
    "ngm": "ninguém",
    "agr": "agora",
    "dps": "depois",
    "msm": "mesmo",
    "bjs": "beijos",
    "abs": "abraços",
    "gov": "governo",
}

# Words the lookup table misses or gets wrong for this domain (surface form → lemma).
DOMAIN_LEMMAS: dict[str, str] = {
    "projetos": "projeto",
    "acoes": "acao",
    "ações": "ação",
    "pela": "por",
    "pelo": "por",
    "pelas": "por",
    "pelos": "por",
    "captação": "captar",
    "captacao": "captar",
    "captações": "captar",
    "captar": "captar",
    "captei": "captar",
    "patrocinar": "patrocinar",
    "patrocínio": "patrocinar",
    "patrocinio": "patrocinar",
    "patrocínios": "patrocinar",
    "patrocinadores": "patrocinador",
    "incentivadores": "incentivador",
    "proponentes": "proponente",
    "senhas": "senha",
    "deduzir": "deduzir",
    "dedução": "deduzir",
    "deducao": "deduzir",
    "deduções": "deduzir",
    "prestação": "prestar",
    "prestacao": "prestar",
    "contas": "conta",
    "doações": "doar",
    "doação": "doar",
    "doacao": "doar",
    "vc": "você",
    "vcs": "você",
    "voce": "você",
    "pq": "porque",
    "q": "que",
    "oq": "que",
    "tb": "também",
    "tbm": "também",
    "p/": "para",
    "pra": "para",
    "salic": "salic",
    "rouanet": "rouanet",
    "pronac": "pronac",
}


# What short replies mean, whatever word a person picks ("claro", "exato", "beleza" all say yes).
# Each word or phrase adds its concept token to the lemma features, so a reply never seen in
# training still shares a feature with the ones that were. Keys are accent-folded.
REPLY_CONCEPTS: dict[str, str] = {
    **dict.fromkeys(
        "sim s ss claro exato exatamente isso certo certeza concordo positivo aham uhum ok okay "
        "beleza blz pode bora quero afirmativo yes yep com_certeza pode_ser isso_mesmo manda_ai".split(),
        "_afirma_",
    ),
    **dict.fromkeys(
        "nao n nada nem negativo nunca jamais dispenso no nope agora_nao melhor_nao deixa_pra_la".split(), "_nega_"
    ),
    **dict.fromkeys(
        "obrigado obrigada obg obgd valeu vlw grato grata agradeco thanks thx brigado muito_obrigado".split(),
        "_agradece_",
    ),
    **dict.fromkeys(
        "oi ola salve eae eai iae opa hello hi hey alo bom_dia boa_tarde boa_noite tudo_bem".split(), "_cumprimenta_"
    ),
    **dict.fromkeys(
        "tchau xau falou flw bye adeus fui ate_logo ate_mais ate_breve ate_amanha valeu_tchau".split(), "_despede_"
    ),
}


def reply_concepts(text: str) -> list[str]:
    """Concept tokens of the yes/no/thanks/greeting/goodbye words and phrases in a cleaned text."""
    words = _WORDS.findall(fold(text))
    found = [REPLY_CONCEPTS[w] for w in words if w in REPLY_CONCEPTS]
    found += [
        REPLY_CONCEPTS[f"{a}_{b}"] for a, b in zip(words, words[1:], strict=False) if f"{a}_{b}" in REPLY_CONCEPTS
    ]
    return found


def normalize(text: str) -> str:
    """NFC, lowercase, trimmed, single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).lower()).strip()


def fold(text: str) -> str:
    """Remove accents (ç → c, ã → a) after decomposing; the text must already be normalized."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def clean(text: str) -> str:
    """Normalized text as the model reads it: symbols and emoji dropped, repeated letters and
    punctuation squeezed, chat abbreviations written out. Accents are kept (the lemma table needs them)."""
    text = _REPEATED_PUNCT.sub(r"\1", _REPEATED_LETTERS.sub(r"\1", _SYMBOLS.sub(" ", normalize(text))))
    return _SPACES.sub(" ", _WORDS.sub(lambda m: ABBREVIATIONS.get(m.group(0), m.group(0)), text)).strip()


def canonical(text: str) -> str:
    """The form used to compare texts for duplicates: normalized and accent-folded."""
    return fold(normalize(text))


@functools.cache
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("pt").tokenizer


def tokenize(text: str) -> list[str]:
    """Word tokens of normalized text (punctuation dropped, `p/` style abbreviations kept)."""
    return [t.text for t in _tokenizer()(normalize(text)) if _WORD.search(t.text) or t.text in DOMAIN_LEMMAS]


@functools.cache
def full_lemma_table() -> dict[str, str]:
    """spaCy's Portuguese lemma lookup (training time only: ~1 s and ~100 MB)."""
    path = resources.files("spacy_lookups_data") / "data" / "pt_lemma_lookup.json.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf8") as handle:
        return json.load(handle)


def warm_up() -> None:
    """Load what the first training would otherwise load while an editor waits (~3 s cold):
    spaCy's Portuguese tokenizer and the full lemma table."""
    tokenize("aquecimento")
    full_lemma_table()


class Lemmatizer:
    """A lookup lemmatizer restricted to the words a model was trained on. Picklable and small."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    @classmethod
    def for_texts(cls, texts: Iterable[str]) -> Lemmatizer:
        """Keep every form whose lemma is the lemma of some training token, plus the overrides."""
        full = full_lemma_table()
        lemma_of = {**full, **DOMAIN_LEMMAS}
        texts = list(texts)
        seen_tokens = {tok for text in texts for tok in tokenize(text)} | {
            tok for text in texts for tok in tokenize(clean(text))
        }
        wanted = {lemma_of.get(tok, tok) for tok in seen_tokens}
        table = {form: lemma for form, lemma in full.items() if lemma in wanted}
        table.update(DOMAIN_LEMMAS)
        for tok in seen_tokens:
            table.setdefault(tok, lemma_of.get(tok, tok))
        # People often type without accents: the folded form of every kept word finds its lemma too.
        for form, lemma in list(table.items()):
            table.setdefault(fold(form), lemma)
        return cls(table)

    def lemma(self, token: str) -> str:
        return self.table.get(token) or self.table.get(fold(token)) or token

    def lemmas(self, text: str) -> list[str]:
        """Accent-folded lemmas of the text's tokens."""
        return [fold(self.lemma(tok)) for tok in tokenize(text)]
