"""Accept parsing and negotiation: q-values, wildcards, specificity, exclusions, aliases."""

from __future__ import annotations

import pytest
from entente.errors import EntenteError
from entente.service.http.conneg import choose_result_format, negotiate, parse_accept
from entente.service.store.base import ResultFormat

OFFERS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]


def test_parse_accept() -> None:
    ranges = parse_accept(
        "text/csv;q=0.5, application/*;q=0.2, */*;q=0.1, junk, text/html;level=1;q=0.7"
    )
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "csv", 0.5),
        ("application", "*", 0.2),
        ("*", "*", 0.1),
        ("text", "html", 0.7),
    ]
    assert [(r.type, r.subtype, r.q) for r in parse_accept(None)] == [("*", "*", 1.0)]
    assert parse_accept("text/csv;q=abc")[0].q == 0.0
    assert parse_accept("text/csv;q=7")[0].q == 1.0


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("text/*, text/tab-separated-values", "text/tab-separated-values"),  # exact beats wildcard
        ("text/csv;q=0.4, text/tab-separated-values;q=0.6", "text/tab-separated-values"),
        ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
        ("text/csv;q=0, text/*", "text/tab-separated-values"),
        ("*/*;q=0.1, text/csv;q=0", "application/sparql-results+json"),
        ("TEXT/CSV", "text/csv"),
        ("image/png", None),
        ("*/*;q=0", None),
    ],
)
def test_negotiate(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept, OFFERS) == expected


def test_choose_result_format_by_kind() -> None:
    assert choose_result_format("solutions", None, None).format is ResultFormat.JSON
    assert choose_result_format("boolean", "text/csv", None).format is ResultFormat.CSV
    assert choose_result_format("graph", None, None).format is ResultFormat.TURTLE
    assert choose_result_format("graph", "text/plain", None).format is ResultFormat.NTRIPLES
    choice = choose_result_format("graph", "text/plain", None)
    assert choice.media_type == "text/plain"  # the type the client named
    choice = choose_result_format("solutions", "application/*", None)
    assert (choice.format, choice.media_type) == (
        ResultFormat.JSON,
        "application/sparql-results+json",
    )


def test_choose_result_format_refuses_with_the_list() -> None:
    with pytest.raises(EntenteError) as info:
        choose_result_format("graph", "application/sparql-results+json", None)
    assert info.value.code == "E404"
    assert "text/turtle" in info.value.message and "application/n-triples" in info.value.message


def test_format_parameter() -> None:
    assert choose_result_format("solutions", "text/csv", "json").format is ResultFormat.JSON
    assert choose_result_format("graph", None, "nt").format is ResultFormat.NTRIPLES
    assert choose_result_format("graph", None, "application/ld+json").format is ResultFormat.JSONLD
    with pytest.raises(EntenteError) as info:
        choose_result_format("solutions", None, "turtle")
    assert info.value.code == "E404"
    with pytest.raises(EntenteError) as info:
        choose_result_format("solutions", None, "yaml")
    assert info.value.code == "E415"
