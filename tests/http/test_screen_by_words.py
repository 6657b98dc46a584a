"""Queries that cannot hold SERVICE or LOAD are screened by their words, without rdflib's
parser (screen._by_its_words, ADR 0018); every text in which those words could hide still
takes the parser, and syntax errors from the engine keep their line and column."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from entente.errors import EntenteError
from entente.service.query import screen
from entente.service.query.screen import screen_query, screened_quickly


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    screen._CACHE.clear()
    yield
    screen._CACHE.clear()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts given to rdflib's parser."""
    seen: list[str] = []
    parse = screen._parse

    def recorded(parser: Any, text: str) -> Any:
        seen.append(text)
        return parse(parser, text)

    monkeypatch.setattr(screen, "_parse", recorded)
    return seen


@pytest.mark.parametrize(
    ("text", "form", "dataset", "graphs"),
    [
        ("SELECT ?x WHERE { ?x ?p ?o }", "SELECT", False, False),
        ("prefix e: <http://e.org/>\nask { e:a e:b e:c }", "ASK", False, False),
        (
            "BASE <http://b.org/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "CONSTRUCT",
            False,
            False,
        ),
        ("DESCRIBE <http://e.org/x> FROM <http://g.org/1>", "DESCRIBE", True, False),
        ("SELECT * FROM NAMED <http://g/1> { GRAPH ?g { ?s ?p ?o } }", "SELECT", True, True),
        # the words in strings, IRIs, comments and names are no keywords
        ('SELECT * { ?s <http://e/graph> "from" } # GRAPH FROM', "SELECT", False, False),
        # SPARQL 1.2 syntax rdflib cannot read goes to the engine, which can
        ("SELECT * WHERE { << ?s ?p ?o >> ?q ?r }", "SELECT", False, False),
        ('VERSION "1.2" PREFIX : <http://e/> ASK { :a :b :c }', "ASK", False, False),
    ],
)
def test_query_screened_without_the_parser(
    parses: list[str], text: str, form: str, dataset: bool, graphs: bool
) -> None:
    screened = screened_quickly(text)
    assert screened is not None and screened == screen_query(text)
    assert parses == []
    assert (screened.form, screened.has_dataset_clause, screened.reads_named_graphs) == (
        form,
        dataset,
        graphs,
    )


@pytest.mark.parametrize(
    "text",
    [
        # any spelling of the two words, anywhere, sends the text to the parser
        "SELECT * { ?s ?p ?o } # a comment about services",
        'SELECT * { ?s ?p "Download" }',
        "SELECT * { ?s <http://e/Service> ?o }",
        "SELECT * { ?s ?p ?o . ex:LOAD ?q ?r }",
        "SELECT * { ?s ?p ?o } # \u017fervice",  # long s: its upper case is S
        "SELECT * { ?s ?p ?o } # \u212aload",  # Kelvin sign: its lower case is k
        # escapes, which rdflib and the SPARQL spec expand over the whole text
        'SELECT * { ?s ?p "\\u0041" }',
        'SELECT * { ?s ?p "\\U00000041" }',
        # not the start of a query: updates and other text get the parser's precise answer
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "CLEAR ALL",
        "",
        # long texts keep the parser (and its worker process beyond screen_pool.LARGE)
        "SELECT * { ?s ?p ?o }" + " " * screen.WORDS_ONLY_MAX,
    ],
)
def test_text_that_could_hide_the_words_takes_the_parser(text: str) -> None:
    assert screened_quickly(text) is None


def test_service_refused_through_the_parser(parses: list[str]) -> None:
    text = "SELECT * { sErViCe <http://127.0.0.1:9/> { ?s ?p ?o } }"
    with pytest.raises(EntenteError) as info:
        screen_query(text)
    assert info.value.code == "E402" and parses == [text]


def test_words_only_screenings_are_cached(parses: list[str]) -> None:
    text = "SELECT ?s { ?s ?p ?o } LIMIT 3"
    first = screened_quickly(text)
    assert first is not None and screen.screened_before(text) is first and parses == []


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE " + "{" * 40 + "}" * 40,
        "SELECT * WHERE { FILTER(" + "(" * 40 + "1" + ")" * 40 + ") }",
        "SELECT * WHERE { ?s ?p " + "[ <http://e/p> " * 40 + "1" + " ]" * 40 + " }",
        "SELECT * WHERE { " + "<< " * 40 + "?s ?p ?o" + " >>" * 40 + " ?q ?r }",
    ],
)
def test_deep_nesting_takes_the_parser(text: str, parses: list[str]) -> None:
    # The engine's parser recurses: thousands of brackets overflow its stack. Deep text gets
    # the parser here, which refuses what it cannot parse (E401), as it always did.
    assert screened_quickly(text) is None
    with contextlib.suppress(EntenteError):
        screen_query(text)
    assert parses[:1] == [text]


@pytest.mark.parametrize("opening", ["{", "("])
def test_thousands_of_brackets_are_refused(opening: str) -> None:
    closing = {"{": "}", "(": ")"}[opening]
    inner = "{ FILTER(" if opening == "(" else ""
    outer = ") }" if opening == "(" else ""
    text = f"SELECT * WHERE {inner}" + opening * 3000 + "1" * (opening == "(") + closing * 3000
    with pytest.raises(EntenteError) as info:
        screen_query(text + outer)
    assert info.value.code == "E401" and "nests too deeply" in info.value.message


def test_moderate_nesting_is_read_by_words(parses: list[str]) -> None:
    depth = screen.WORDS_ONLY_DEPTH
    text = "SELECT * WHERE " + "{" * depth + "}" * depth
    assert screened_quickly(text) is not None and parses == []
