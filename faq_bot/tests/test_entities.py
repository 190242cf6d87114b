"""Entity annotations and the extractor, without Django."""

from __future__ import annotations

from faq_bot.entities import EntityExtractor, parse_annotated


def test_annotations_give_plain_text_and_spans_in_every_rasa_form():
    plain, spans = parse_annotated(
        'prazo de [captação](tema) e [contas](tema:prestacao_contas) do [projeto]{"entity": "tema", "value": "p"}'
    )
    assert plain == "prazo de captação e contas do projeto"
    assert [(s["entity"], s["value"], plain[s["start"] : s["end"]]) for s in spans] == [
        ("tema", "captação", "captação"),
        ("tema", "prestacao_contas", "contas"),
        ("tema", "p", "projeto"),
    ]


def extractor() -> EntityExtractor:
    return EntityExtractor.build(
        lookups={"cidade": ["Recife", "São Paulo"]},
        regexes={"pronac": [r"\b\d{6}\b"], "quebrada": ["("]},
        synonyms={"captacao": ["captar", "captação de recursos"]},
        annotated=["prazo de [captação](tema:captacao)", "quero [captar](tema:captacao)"],
    )


def test_lookups_regexes_and_annotated_values_are_found_with_offsets_and_synonyms():
    text = "Posso CAPTAR em Sao Paulo? pronac 123456"
    found = extractor().extract(text)
    assert [(e["entity"], e["value"], text[e["start"] : e["end"]], e["extractor"]) for e in found] == [
        ("tema", "captacao", "CAPTAR", "AnnotatedExampleExtractor"),
        ("cidade", "Sao Paulo", "Sao Paulo", "LookupTableExtractor"),
        ("pronac", "123456", "123456", "RegexEntityExtractor"),
    ]
    assert found[0]["processors"] == ["EntitySynonymMapper"] and "processors" not in found[1]


def test_the_longest_surface_form_wins_and_words_are_not_matched_inside_other_words():
    found = extractor().extract("captação de recursos; recifense")
    assert [(e["entity"], e["value"], e["end"]) for e in found] == [("tema", "captacao", 20)]


def test_an_annotated_value_different_from_its_text_is_a_synonym_too():
    found = EntityExtractor.build(
        lookups={}, regexes={}, synonyms={}, annotated=['prazo das [contas]{"entity": "tema", "value": "prestacao"}']
    ).extract("e as contas?")
    assert found == [
        {
            "entity": "tema",
            "value": "prestacao",
            "start": 5,
            "end": 11,
            "extractor": "AnnotatedExampleExtractor",
            "processors": ["EntitySynonymMapper"],
        }
    ]
