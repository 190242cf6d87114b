"""Entities: Rasa's example annotations, and a small honest extractor.

The extractor finds entity values in a message by exact matching on accent-folded, lowercased text:
lookup table elements, regexes, synonym texts and the values annotated in training examples. A
synonym maps what was found to its canonical value (Rasa's EntitySynonymMapper). Plain Python.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .nlp import canonical

# `[text](entity)`, `[text](entity:value)`, `[text]{"entity": …, "value": …}`; a closing bracket
# missing at the very end is tolerated because real files contain it (`[meajuda](meajuda`).
# The bracketed text holds no "[" either: each attempt stops at the next bracket, so a hostile line
# such as "- [- [- [..." is scanned in linear time instead of once per bracket.
ANNOTATION = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\((?P<paren>[^)]*)(?:\)|$)|(?P<json>\{[^}]*(?:\}|$)))")


def parse_annotated(text: str) -> tuple[str, list[dict[str, Any]]]:
    """`prazo de [captação](tema)` → ("prazo de captação", [{entity, value, start, end}])."""
    plain: list[str] = []
    spans: list[dict[str, Any]] = []
    last = 0
    length = 0
    for match in ANNOTATION.finditer(text):
        before = text[last : match.start()]
        plain.append(before)
        length += len(before)
        surface = match.group("text")
        entity, value = "", surface
        if match.group("paren") is not None:
            entity, _, mapped = match.group("paren").partition(":")
            value = mapped or surface
        else:
            raw = match.group("json")
            try:
                data = json.loads(raw if raw.endswith("}") else raw + "}")
            except json.JSONDecodeError:
                data = {}
            if isinstance(data, dict):
                entity = str(data.get("entity", ""))
                value = str(data.get("value", surface))
        if entity.strip():
            spans.append({"entity": entity.strip(), "value": value, "start": length, "end": length + len(surface)})
        plain.append(surface)
        length += len(surface)
        last = match.end()
    plain.append(text[last:])
    full = "".join(plain)
    stripped = full.strip()
    shift = len(full) - len(full.lstrip())
    for span in spans:
        span["start"] -= shift
        span["end"] -= shift
    return stripped, spans


def strip_entities(text: str) -> str:
    """`quero [dois](quantidade) ingressos` → `quero dois ingressos`."""
    return parse_annotated(text)[0]


@dataclass
class EntityExtractor:
    """Exact matches of known surface forms (lookups, synonyms, annotated values) and regexes."""

    # (entity, folded surface, value before synonyms, extractor name)
    phrases: list[tuple[str, str, str, str]] = field(default_factory=list)
    regexes: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)  # folded text → canonical value

    @classmethod
    def build(
        cls,
        *,
        lookups: dict[str, list[str]],
        regexes: dict[str, list[str]],
        synonyms: dict[str, list[str]],
        annotated: list[str],
    ) -> EntityExtractor:
        extractor = cls()
        synonym_entity: dict[str, str] = {}
        for text in annotated:
            plain, spans = parse_annotated(text)
            for span in spans:
                surface = plain[span["start"] : span["end"]]
                extractor.phrases.append((span["entity"], canonical(surface), surface, "AnnotatedExampleExtractor"))
                synonym_entity.setdefault(canonical(str(span["value"])), span["entity"])
                if str(span["value"]) != surface:  # Rasa learns a synonym from `[captar](tema:captacao)`
                    extractor.synonyms.setdefault(canonical(surface), str(span["value"]))
        for name, elements in lookups.items():
            extractor.phrases.extend((name, canonical(e), e, "LookupTableExtractor") for e in elements)
        for value, texts in synonyms.items():
            for text in [value, *texts]:
                extractor.synonyms[canonical(text)] = value
            entity = synonym_entity.get(canonical(value))
            if entity:  # a synonym of an annotated value is an entity surface form too
                extractor.phrases.extend((entity, canonical(t), t, "AnnotatedExampleExtractor") for t in texts)
        for name, patterns in regexes.items():
            for pattern in patterns:
                try:
                    extractor.regexes.append((name, re.compile(pattern, re.IGNORECASE)))
                except re.error:
                    continue  # refused at edit time; an old bad row must not break parsing
        seen: set[tuple[str, str]] = set()
        unique = []
        for entity, folded, surface, source in sorted(extractor.phrases, key=lambda p: -len(p[1])):
            if folded and (entity, folded) not in seen:
                seen.add((entity, folded))
                unique.append((entity, folded, surface, source))
        extractor.phrases = unique
        return extractor

    def extract(self, text: str) -> list[dict[str, Any]]:
        """Rasa's entity list: entity, value, start, end, extractor (+ processors when a synonym mapped it)."""
        # Accent folding keeps one character per character of NFC lowercase text for Portuguese, so
        # offsets in the folded text are offsets in the message.
        folded = canonical(text)
        haystack = folded if len(folded) == len(text) else text.lower()
        found: list[dict[str, Any]] = []
        taken: list[tuple[int, int]] = []
        pattern, owners = self._phrase_pattern()
        for match in pattern.finditer(haystack) if owners else ():
            start, end = match.span()
            entity, source = owners[match.group(0)]
            taken.append((start, end))
            found.append(self._entity(entity, text[start:end], start, end, source))
        for entity, pattern in self.regexes:
            for match in pattern.finditer(text):
                start, end = match.span()
                if start == end or any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                found.append(self._entity(entity, match.group(0), start, end, "RegexEntityExtractor"))
        return sorted(found, key=lambda e: e["start"])

    def _phrase_pattern(self) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
        """One alternation of every known surface form, longest first (built once per extractor)."""
        cached = getattr(self, "_compiled", None)
        if cached is None:
            owners: dict[str, tuple[str, str]] = {}
            for entity, phrase, _surface, source in self.phrases:  # already longest first
                owners.setdefault(phrase, (entity, source))
            alternation = "|".join(re.escape(p) for p in sorted(owners, key=len, reverse=True))
            cached = (re.compile(r"(?<!\w)(?:" + alternation + r")(?!\w)"), owners)
            self._compiled = cached
        return cached

    def _entity(self, entity: str, value: str, start: int, end: int, source: str) -> dict[str, Any]:
        item: dict[str, Any] = {"entity": entity, "value": value, "start": start, "end": end, "extractor": source}
        mapped = self.synonyms.get(canonical(value))
        if mapped is not None and mapped != value:
            item["value"] = mapped
            item["processors"] = ["EntitySynonymMapper"]
        return item
