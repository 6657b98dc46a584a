"""Conversion between rdflib terms (the Store interface) and pyoxigraph terms (the engine).

Used by the store implementations and the SPARQL-compiled shapes engine only: no pyoxigraph type
crosses the Store interface.
"""

from __future__ import annotations

import pyoxigraph as ox
from entente.errors import EntenteError
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def to_rdflib(term: OxTerm) -> Node:
    """An engine term as an rdflib term. xsd:string literals become plain literals, the form
    rdflib's parsers produce, so that graphs read back compare equal to graphs written."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise EntenteError(
        "E412",
        "the result holds an RDF-star triple term, which entente does not return",
        where="query",
    )


class ToOxigraph:
    """Converts rdflib terms for one write. Blank nodes keep their identity within the write
    (the same rdflib BNode maps to the same engine blank node) but never reuse rdflib's labels,
    which need not be valid engine labels."""

    def __init__(self) -> None:
        self._bnodes: dict[BNode, ox.BlankNode] = {}

    def __call__(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, URIRef):
            return named_node(str(term))
        if isinstance(term, BNode):
            node = self._bnodes.get(term)
            if node is None:
                node = self._bnodes[term] = ox.BlankNode()
            return node
        if isinstance(term, Literal):
            try:
                if term.language:
                    return ox.Literal(str(term), language=term.language)
                if term.datatype is not None:
                    return ox.Literal(str(term), datatype=named_node(str(term.datatype)))
                return ox.Literal(str(term))
            except ValueError as exc:
                raise EntenteError(
                    "E205", f"the literal {term.n3()} cannot be stored: {exc}", where="graph"
                ) from exc
        raise EntenteError(
            "E205",
            f"the term {term!r} cannot be stored (not an IRI, blank node or literal)",
            where="graph",
        )


def solution_rows(result: ox.QuerySolutions) -> list[dict[str, Node]]:
    """SELECT solutions as rows of rdflib terms; unbound variables are left out of a row."""
    names = [v.value for v in result.variables]
    rows: list[dict[str, Node]] = []
    for solution in result:
        row: dict[str, Node] = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = to_rdflib(term)
        rows.append(row)
    return rows


def named_node(iri: str, *, code: str = "E205", where: str = "graph") -> ox.NamedNode:
    """An engine IRI; an invalid one is an error with `code` (E205 in data being written,
    E415 in a parameter a caller passed)."""
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise EntenteError(code, f"<{iri}> is not a valid IRI: {exc}", where=where) from exc
