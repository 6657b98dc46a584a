"""A company named inside a hyphenated compound with a company noun (extraction): German, Dutch
and Swedish fuse the name and the noun into one word ('des Kalo-Konzerns', 'het
Orvik-concern', 'Kalo-koncernen'). The name part is the company and its mention, as the
annotation conventions take a name out of a fused token. Sentences written for these tests."""

from __future__ import annotations

import pytest
from entente.ingest.model import Document
from entente.ingest.pipeline import Pipeline

pytestmark = pytest.mark.model


def mentions(pipeline: Pipeline, text: str, language: str) -> dict[str, tuple[str, str]]:
    """Mention text -> (type, label) of the entity it links to."""
    analysis = pipeline.analyze(Document(text=text, source="t.txt", language=language))
    out: dict[str, tuple[str, str]] = {}
    for m in analysis.mentions:
        assert text[m.start : m.end] == m.text
        entity = analysis.entities[m.entity]
        out[m.text] = (entity.type, entity.label)
    return out


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Die Fabrik gehört einer Tochter des Kalo-Konzerns aus Shenzhen.", "de", "Kalo"),
        ("Die Orvik-Gruppe baut in Sachsen ein neues Werk.", "de", "Orvik"),
        ("Het Orvik-concern schrapt dit jaar honderd banen.", "nl", "Orvik"),
        ("Kalo-koncernen säljer fabriken i Borås.", "sv", "Kalo"),
    ],
)
def test_the_name_part_of_a_company_compound_is_the_company(
    pipeline: Pipeline, text: str, language: str, name: str
) -> None:
    assert mentions(pipeline, text, language).get(name) == ("Company", name)


def test_a_compound_with_another_noun_names_no_company(pipeline: Pipeline) -> None:
    got = mentions(pipeline, "Das Kalo-Werk in Sachsen schließt im Sommer.", "de")
    assert "Kalo" not in got
