"""map.document_graph against an expected Turtle graph (isomorphism, readable diff on failure)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from entente.ingest.extract.registry import statement_iri
from entente.ingest.map import document_graph
from entente.ingest.model import (
    Analysis,
    CleanedText,
    Document,
    Entity,
    Evidence,
    Mention,
    Statement,
)
from entente.ontology import iris
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

ID = "https://w3id.org/entente/id/"
TEXT = "Last week, a fund proposed to buy JSR for 903.9 billion yen ($6.3 billion)."


def analysis() -> Analysis:
    doc = Document(
        text="  " + TEXT + "\n",
        source="t.txt",
        url="https://example.org/a",
        title="A title",
        published=date(2023, 7, 3),
        language="en",
    )
    fund = Entity(
        ID + "otherorganization/a-fund",
        "a fund",
        "OtherOrganization",
        is_new=True,
        aliases=(("a fund", "en"), ("en fond", "sv")),
    )
    jsr = Entity(
        ID + "company/jsr", "JSR Corporation", "Company", wikidata="Q1", aliases=(("JSR", "en"),)
    )
    acq = Statement(
        type="Acquisition",
        roles={
            "acquirer": (fund.iri,),
            "acquired": (jsr.iri,),
            "status": ("https://w3id.org/entente/ontology#Proposed",),
        },
        values={
            "amount": (Decimal("903900000000"), Decimal("6300000000")),
            "currency": ("JPY", "USD"),
            "date": (date(2023, 6, 26),),
        },
        evidence=Evidence(TEXT, 0, len(TEXT), 0.9, "entente.acquisition.v1"),
    )
    return Analysis(
        document=doc,
        cleaned=CleanedText(TEXT),
        language="en",
        entities={fund.iri: fund, jsr.iri: jsr},
        mentions=[Mention(fund.iri, 11, 17, "a fund"), Mention(jsr.iri, 34, 37, "JSR")],
        statements=[acq],
    )


def expected(a: Analysis) -> Graph:
    sha = a.document.sha256
    st = statement_iri("Acquisition", a.statements[0].roles)
    ev = iris.evidence_iri(str(st), sha, 0, len(TEXT))
    ttl = f"""
    @prefix ent: <https://w3id.org/entente/ontology#> .
    @prefix schema: <https://schema.org/> .
    @prefix dcterms: <http://purl.org/dc/terms/> .
    @prefix prov: <http://www.w3.org/ns/prov#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    @prefix id: <{ID}> .

    <{iris.document_iri(sha)}> a ent:Document ;
        dcterms:title "A title" ; dcterms:language "en" ;
        schema:url <https://example.org/a> ; schema:datePublished "2023-07-03"^^xsd:date ;
        ent:sha256 "{sha}" ; prov:generatedAtTime "2024-01-02T03:04:05+00:00"^^xsd:dateTime ;
        ent:text {TEXT!r} ; ent:rawText "  {TEXT}\\n" ;
        ent:mentions id:otherorganization\\/a-fund, id:company\\/jsr .

    id:otherorganization\\/a-fund a ent:OtherOrganization ; rdfs:label "a fund"@en ;
        skos:altLabel "en fond"@sv .
    id:company\\/jsr skos:altLabel "JSR"@en .

    <{st}> a ent:Acquisition ;
        ent:acquirer id:otherorganization\\/a-fund ; ent:acquired id:company\\/jsr ;
        ent:status ent:Proposed ;
        ent:amount 903900000000.0 ; ent:currency "JPY" ; ent:date "2023-06-26"^^xsd:date ;
        ent:statedAmount <{ID}amount/{_fig("903900000000|JPY")}>,
            <{ID}amount/{_fig("6300000000|USD")}> ;
        ent:evidence <{ev}> .
    <{ID}amount/{_fig("903900000000|JPY")}> a schema:MonetaryAmount ;
        schema:value 903900000000.0 ; schema:currency "JPY" .
    <{ID}amount/{_fig("6300000000|USD")}> a schema:MonetaryAmount ;
        schema:value 6300000000.0 ; schema:currency "USD" .
    <{ev}> a ent:Evidence ; ent:document <{iris.document_iri(sha)}> ; ent:sentence {TEXT!r} ;
        ent:charStart 0 ; ent:charEnd {len(TEXT)} ; ent:confidence 0.9 ;
        ent:extractor "entente.acquisition.v1" .
    """
    return Graph().parse(data=ttl, format="turtle")


def _fig(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()[:16]


def assert_isomorphic(got: Graph, want: Graph) -> None:
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        raise AssertionError(
            "graphs differ\n--- only in result:\n"
            + only_got.serialize(format="nt")
            + "--- only in expected:\n"
            + only_want.serialize(format="nt")
        )


def test_document_graph_matches_the_contract() -> None:
    a = analysis()
    g = document_graph(a, generated_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert g.identifier == iris.document_graph(a.document.sha256)
    assert_isomorphic(g, expected(a))


def test_evidence_offsets_point_into_the_cleaned_text() -> None:
    a = analysis()
    ev = a.statements[0].evidence
    assert a.cleaned.text[ev.start : ev.end] == ev.sentence


def test_a_graph_differing_in_one_value_is_reported() -> None:
    a = analysis()
    g = document_graph(a, generated_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))
    want = expected(a)
    want.update(
        'DELETE { ?s <https://w3id.org/entente/ontology#currency> "JPY" } WHERE '
        '{ ?s <https://w3id.org/entente/ontology#currency> "JPY" }'
    )
    try:
        assert_isomorphic(g, want)
    except AssertionError as exc:
        assert '"JPY"' in str(exc)
    else:
        raise AssertionError("a missing currency went unnoticed")
