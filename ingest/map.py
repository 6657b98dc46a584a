"""Analysis -> the document's named graph, per the vocabulary contract (docs/architecture.md).

Everything the document asserts goes into one graph, identified by iris.document_graph(sha256):
the ent:Document node and its metadata, ent:mentions to every entity it names, new entities
(typed, labelled), the variant names it uses for gazetteer entities (skos:altLabel, so the source
of a variant is the document that used it), and each statement with its evidence.

Money: a statement carries its primary figure as ent:amount (xsd:decimal) + ent:currency (ISO
4217). Every figure the sentence states, the primary one included, is also a schema:MonetaryAmount
node (schema:value, schema:currency) linked by ent:statedAmount, so '903.9 billion yen
($6.3 billion)' keeps its two amounts paired with their currencies. The node's IRI comes from the
figure itself, so two articles stating $6.3 billion share one node.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal

from entente.ingest.extract.registry import statement_iri
from entente.ingest.model import Analysis, Entity, Statement
from entente.ontology import iris
from entente.ontology.vocab import ENT, ID, SCHEMA, WD
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

_TEXT_VALUES = ("title", "aim")


def ent(name: str) -> URIRef:
    """An ent: term by local name; an unknown name raises (ENT is a closed namespace)."""
    term: URIRef = getattr(ENT, name)
    return term


def _bind(g: Graph) -> None:
    g.bind("ent", ENT._NS)
    g.bind("id", ID)
    g.bind("schema", SCHEMA)
    g.bind("dcterms", DCTERMS)
    g.bind("prov", PROV)
    g.bind("skos", SKOS)
    g.bind("owl", OWL)
    g.bind("wd", WD)


def document_graph(analysis: Analysis, *, generated_at: datetime) -> Graph:
    document = analysis.document
    sha = document.sha256
    g = Graph(identifier=iris.document_graph(sha))
    _bind(g)
    doc = iris.document_iri(sha)
    g.add((doc, RDF.type, ENT.Document))
    if document.title:
        g.add((doc, DCTERMS.title, Literal(document.title)))
    g.add((doc, DCTERMS.language, Literal(analysis.language)))
    if document.url:
        g.add((doc, SCHEMA.url, URIRef(document.url)))
    if document.published:
        g.add((doc, SCHEMA.datePublished, Literal(document.published, datatype=XSD.date)))
    g.add((doc, ENT.sha256, Literal(sha)))
    g.add((doc, PROV.generatedAtTime, Literal(generated_at, datatype=XSD.dateTime)))
    g.add((doc, ENT.text, Literal(analysis.cleaned.text)))
    g.add((doc, ENT.rawText, Literal(document.text)))

    mentioned = {m.entity for m in analysis.mentions} | set(analysis.entities)
    for iri in sorted(mentioned):
        g.add((doc, ENT.mentions, URIRef(iri)))
    for entity in analysis.entities.values():
        _entity(g, entity)
    for statement in analysis.statements:
        _statement(g, statement, doc, sha)
    return g


def _entity(g: Graph, entity: Entity) -> None:
    node = URIRef(entity.iri)
    if entity.is_new:
        g.add((node, RDF.type, ent(entity.type)))
        if entity.type == "Technology":
            g.add((node, RDF.type, SKOS.Concept))
        g.add((node, RDFS.label, Literal(entity.label, lang="en")))
        if entity.wikidata:
            g.add((node, OWL.sameAs, WD[entity.wikidata]))
    for alias, lang in entity.aliases:
        if entity.is_new and alias == entity.label and lang == "en":
            continue
        g.add((node, SKOS.altLabel, Literal(alias, lang=lang)))


def decimal_literal(value: Decimal | float) -> Literal:
    """xsd:decimal in its canonical lexical form ('903900000000.0', '0.9'), so that graphs from
    different runs and stores compare equal."""
    text = format(Decimal(str(value)).normalize(), "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def _literal(role: str, value: str | Decimal | date) -> Literal:
    if role == "amount":
        return decimal_literal(Decimal(str(value)))
    if role == "date":
        return Literal(value, datatype=XSD.date)
    return Literal(str(value))


def _statement(g: Graph, st: Statement, doc: URIRef, sha: str) -> None:
    node = statement_iri(st.type, st.roles)
    g.add((node, RDF.type, ent(st.type)))
    for role, values in st.roles.items():
        prop = ent(role)
        for v in values:
            g.add((node, prop, URIRef(v)))
    amounts = st.values.get("amount", ())
    currencies = st.values.get("currency", ())
    if len(amounts) != len(currencies):
        # An extractor bug, not bad input: amounts and currencies are stated in pairs.
        raise ValueError(f"{len(amounts)} amounts but {len(currencies)} currencies on {st.type}")
    if amounts:
        g.add((node, ENT.amount, _literal("amount", amounts[0])))
        g.add((node, ENT.currency, Literal(str(currencies[0]))))
        for amount, currency in zip(amounts, currencies, strict=True):
            figure = _figure(Decimal(str(amount)), str(currency))
            g.add((node, ENT.statedAmount, figure))
            g.add((figure, RDF.type, SCHEMA.MonetaryAmount))
            g.add((figure, SCHEMA.value, _literal("amount", amount)))
            g.add((figure, SCHEMA.currency, Literal(str(currency))))
    for name in (*_TEXT_VALUES, "date"):
        for value in st.values.get(name, ()):
            g.add((node, ent(name), _literal(name, value)))
    ev = st.evidence
    e = iris.evidence_iri(str(node), sha, ev.start, ev.end)
    g.add((node, ENT.evidence, e))
    g.add((e, RDF.type, ENT.Evidence))
    g.add((e, ENT.document, doc))
    g.add((e, ENT.sentence, Literal(ev.sentence)))
    g.add((e, ENT.charStart, Literal(ev.start, datatype=XSD.integer)))
    g.add((e, ENT.charEnd, Literal(ev.end, datatype=XSD.integer)))
    g.add((e, ENT.confidence, decimal_literal(ev.confidence)))
    g.add((e, ENT.extractor, Literal(ev.extractor)))


def _figure(amount: Decimal, currency: str) -> URIRef:
    key = f"{amount.normalize():f}|{currency}"
    return ID[f"amount/{hashlib.sha256(key.encode()).hexdigest()[:16]}"]
