"""Screening SPARQL before the engine sees it: SERVICE and LOAD cannot slip past in any spelling,
and each query's form is known before it runs. The last test checks the claim that matters: an
engine given the screened text never contacts a listener on 127.0.0.1."""

from __future__ import annotations

import contextlib
import time

import pytest
from entente.errors import EntenteError
from entente.service.query.screen import bare_keywords, screen_query, screen_update

TARGET = "http://127.0.0.1:9/sparql"
T = TARGET


def refused(text: str, code: str, **kw: object) -> EntenteError:
    with pytest.raises(EntenteError) as info:
        screen_query(text, **kw)  # type: ignore[arg-type]
    assert info.value.code == code, info.value.render()
    return info.value


# --- query forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "form", "kind"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT", "solutions"),
        ("select ?s { ?s ?p ?o }", "SELECT", "solutions"),
        ("PREFIX ex: <http://example.org/>\nASK { ex:a ex:b ?c }", "ASK", "boolean"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT", "graph"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", "graph"),
        ("DESCRIBE <http://example.org/a>", "DESCRIBE", "graph"),
        ("# a comment first\nBASE <http://example.org/>\nDESCRIBE <a>", "DESCRIBE", "graph"),
    ],
)
def test_query_form_known_before_running(text: str, form: str, kind: str) -> None:
    screened = screen_query(text)
    assert screened.form == form
    assert screened.result_kind == kind
    assert screened.text == text  # passed on exactly as given


def test_dataset_clause_noticed() -> None:
    assert screen_query("SELECT * FROM <http://g/> WHERE { ?s ?p ?o }").has_dataset_clause
    assert not screen_query("SELECT ?from WHERE { ?from ?p ?o }").has_dataset_clause


# --- SERVICE, every way it can be written -------------------------------------------------------

SERVICE_EVASIONS = {
    "plain": f"SELECT * WHERE {{ SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "lowercase": f"select * where {{ service <{T}> {{ ?s ?p ?o }} }}",
    "mixed-case": f"SELECT * WHERE {{ SeRvIcE <{T}> {{ ?s ?p ?o }} }}",
    "silent": f"SELECT * WHERE {{ SERVICE SILENT <{T}> {{ ?s ?p ?o }} }}",
    "odd-whitespace": f"SELECT*WHERE{{\tSERVICE\n\r\n  <{T}>{{?s ?p ?o}}}}",
    "no-whitespace": f"SELECT*{{SERVICE<{T}>{{?s ?p ?o}}}}",
    "comments-around": f"SELECT * WHERE {{ # hi\nSERVICE # there\n<{T}> # x\n{{ ?s ?p ?o }} }}",
    "prefixed-name": "PREFIX x: <http://127.0.0.1:9/> SELECT * { SERVICE x:sparql { ?s ?p ?o } }",
    "empty-prefix": "PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICE :sparql { ?s ?p ?o } }",
    "base-relative": "BASE <http://127.0.0.1:9/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    "network-path": "SELECT * WHERE { SERVICE <//127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "variable": "SELECT * WHERE { VALUES ?e { <http://127.0.0.1:9/> } SERVICE ?e { ?s ?p ?o } }",
    "in-optional": f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }}",
    "in-union": f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }}",
    "in-minus": f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE <{T}> {{ ?a ?b ?c }} }} }}",
    "in-graph": f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }}",
    "in-subquery": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }} }}",
    "in-exists": f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{T}> {{ ?a ?b ?c }} }} }}",
    "in-not-exists": f"ASK {{ ?a ?b ?c FILTER NOT EXISTS {{ SERVICE <{T}> {{ ?a ?b ?c }} }} }}",
    "in-bind-exists": f"SELECT * WHERE {{ BIND(EXISTS {{ SERVICE <{T}> {{ }} }} AS ?x) }}",
    "nested-service": f"SELECT * WHERE {{ SERVICE <{T}> {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }}",
    "in-construct-where": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "in-describe-where": f"DESCRIBE ?s WHERE {{ SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "unicode-escape-keyword": f"SELECT * WHERE {{ \\u0053ERVICE <{T}> {{ ?s ?p ?o }} }}",
    # rdflib expands \u escapes everywhere and sees a long string; Oxigraph sees a live SERVICE.
    "unicode-escape-quote": (
        f'SELECT * WHERE {{ FILTER("\\u0022") SERVICE <{T}> {{ ?s ?p ?o }} FILTER("\\u0022") }}'
    ),
    "escaped-iri": "SELECT * WHERE { SERVICE <http://127.0.0.\\u0031:9/sparql> { ?s ?p ?o } }",
}


# rdflib's grammar recurses without end on a SERVICE directly inside another: it cannot parse
# the query, so screening refuses it as unparseable (fail closed) rather than as a SERVICE.
UNPARSEABLE = {"nested-service"}


@pytest.mark.parametrize(("name", "text"), SERVICE_EVASIONS.items(), ids=SERVICE_EVASIONS.keys())
def test_service_refused_however_written(name: str, text: str) -> None:
    error = refused(text, "E401" if name in UNPARSEABLE else "E402")
    assert error.where is not None and error.where.startswith("query")


def test_service_refused_even_when_another_endpoint_is_allowed() -> None:
    for text in SERVICE_EVASIONS.values():
        with pytest.raises(EntenteError) as info:
            screen_query(text, service_allowlist=["https://query.wikidata.org/sparql"])
        assert info.value.code in ("E402", "E401")


def test_service_allowlist_exact_match() -> None:
    allowed = ["https://query.wikidata.org/sparql"]
    screened = screen_query(
        "PREFIX wdq: <https://query.wikidata.org/> "
        "SELECT * WHERE { SERVICE wdq:sparql { ?s ?p ?o } }",
        service_allowlist=allowed,
    )
    assert screened.services == ("https://query.wikidata.org/sparql",)
    for near_miss in (
        "https://query.wikidata.org/sparql/",
        "https://query.wikidata.org/sparq",
        "https://query.wikidata.org/sparql?x=1",
        "http://query.wikidata.org/sparql",
        "https://query.wikidata.org.evil.example/sparql",
    ):
        refused(
            f"SELECT * WHERE {{ SERVICE <{near_miss}> {{ ?s ?p ?o }} }}",
            "E402",
            service_allowlist=allowed,
        )
    # A relative IRI is refused even when it would resolve to an allowed endpoint.
    refused(
        "BASE <https://query.wikidata.org/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
        "E402",
        service_allowlist=allowed,
    )


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1/> { }" }',
        "SELECT * WHERE { ?s ?p '''\nSERVICE <http://127.0.0.1/> {}\n''' }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1/> { }",
        "SELECT ?service WHERE { ?service <http://example.org/SERVICE> ?o }",
        "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:SERVICE ?o }",
        'SELECT * WHERE { ?s ?p "x"@service }',
        "SELECT * WHERE { ?s ?p ?o } # LOAD <http://127.0.0.1/>",
    ],
)
def test_service_word_in_strings_comments_and_names_is_harmless(text: str) -> None:
    assert screen_query(text).services == ()


# --- LOAD and other updates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "load silent <http://127.0.0.1:9/data.ttl> into graph <http://g/>",
        "PREFIX x: <http://127.0.0.1:9/> LOAD x:data",
        "INSERT DATA { <a:b> <a:c> <a:d> } ; LOAD <http://127.0.0.1:9/x>",
    ],
)
def test_load_refused_on_query_endpoint(text: str) -> None:
    refused(text, "E403")


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "clear default",
        "WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_update_refused_on_query_endpoint(text: str) -> None:
    error = refused(text, "E416")
    assert "/update" in error.message


def test_screen_update_load() -> None:
    with pytest.raises(EntenteError) as info:
        screen_update("LOAD <http://127.0.0.1:9/data.ttl>")
    assert info.value.code == "E403"
    ok = screen_update(
        "LOAD <https://data.example/x.ttl> INTO GRAPH <http://g/>", ["https://data.example/x.ttl"]
    )
    assert ok.operations == ("Load",)
    assert ok.loads == ("https://data.example/x.ttl",)
    with pytest.raises(EntenteError) as info:
        screen_update(
            "PREFIX d: <https://data.example/> INSERT DATA { <a:b> <a:c> <a:d> } ; LOAD d:y",
            ["https://data.example/x.ttl"],
        )
    assert info.value.code == "E403"


def test_screen_update_service_in_where() -> None:
    text = f"INSERT {{ ?s ?p ?o }} WHERE {{ OPTIONAL {{ SERVICE <{TARGET}> {{ ?s ?p ?o }} }} }}"
    with pytest.raises(EntenteError) as info:
        screen_update(text)
    assert info.value.code == "E402"
    assert screen_update(text, service_allowlist=[TARGET]).services == (TARGET,)


def test_screen_update_plain() -> None:
    screened = screen_update(
        "INSERT DATA { <http://x/a> <http://x/b> 1 } ; DELETE WHERE { ?s <http://x/c> ?o }"
    )
    assert screened.operations == ("InsertData", "DeleteWhere")
    with pytest.raises(EntenteError) as info:
        screen_update("INSERT DATA { <http://x/a> <http://x/b> }")
    assert info.value.code == "E401"


# --- syntax errors --------------------------------------------------------------------------------


def test_syntax_error_has_line_and_column() -> None:
    # A text that takes the parser (it spells "service"); others leave syntax to the engine.
    error = refused("SELECT ?s WHERE {\n  ?s ?p\n} # no service here", "E401")
    assert error.where is not None and "line 2" in error.where and "column" in error.where
    assert "line 2" in error.message


def test_unparseable_by_screening_parser_fails_closed() -> None:
    # RDF-star / SPARQL 1.2 syntax Oxigraph may accept but rdflib's parser cannot read: refused
    # when the text needs the parser (it spells SERVICE or LOAD somewhere) ...
    error = refused("SELECT * WHERE { << ?s ?p ?o >> ?q ?r } # loaded", "E401")
    assert "rdflib" in error.message and "refuse" in error.message
    # ... and left to the engine when it cannot hold either.
    assert screen_query("SELECT * WHERE { << ?s ?p ?o >> ?q ?r }").form == "SELECT"


def test_bare_keywords() -> None:
    words = bare_keywords('SELECT ?x WHERE { ?x <http://e/SERVICE> "LOAD" # SERVICE\n }')
    assert words == {"SELECT", "WHERE"}


# --- the proof: nothing screened reaches a listener -----------------------------------------------


def test_listener_receives_nothing(listener: tuple[int, list[bytes]]) -> None:
    """Every evasion, aimed at a real listener, through screening and then (only if it passed)
    the real engine: the listener must see no connection. The control at the end shows that
    the engine does connect when screening is skipped."""
    import pyoxigraph as ox

    port, received = listener
    engine = ox.Store()
    passed = []
    for name, text in SERVICE_EVASIONS.items():
        aimed = text.replace("127.0.0.1:9", f"127.0.0.1:{port}").replace(
            "127.0.0.\\u0031:9", f"127.0.0.\\u0031:{port}"
        )
        try:
            screened = screen_query(aimed)
        except EntenteError:
            continue
        passed.append(name)
        with contextlib.suppress(Exception):
            list(engine.query(screened.text))  # type: ignore[arg-type]
    time.sleep(0.3)  # give a connection, had there been one, time to arrive
    assert passed == []
    assert received == []
    # Control: unscreened, the engine calls the listener.
    with contextlib.suppress(OSError):
        list(
            engine.query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}")
        )
    assert received, "the control query should have reached the listener"
