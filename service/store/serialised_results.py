"""Query results in their serialised form, read with the engine's parsers: counted (the result
cap), and graph results converted from N-Triples to the syntax a client asked for.

The query runner (entente.service.query.runner) holds results only as bytes; this is where the
engine's parsers for those bytes live, so that no engine type leaves the store package.
"""

from __future__ import annotations

import csv
import io
import re

import pyoxigraph as ox
from entente.service.store.base import ResultFormat

_XML_RESULT = re.compile(rb"<result[\s>]")

_SOLUTION_PARSE = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
}
_GRAPH_PARSE = {
    ResultFormat.TURTLE: ox.RdfFormat.TURTLE,
    ResultFormat.TRIG: ox.RdfFormat.TRIG,
    ResultFormat.JSONLD: ox.RdfFormat.JSON_LD,
    ResultFormat.RDFXML: ox.RdfFormat.RDF_XML,
}


def count_results(body: bytes, fmt: ResultFormat) -> int:
    """Solutions in a SELECT result, or triples in a graph result, in its serialised form."""
    if fmt is ResultFormat.TSV:
        # A header line, then one line per row (an empty line is a row of unbound values): TSV
        # writes newlines inside literals as \n.
        lines = body.count(b"\n")
        return lines - 1 if body.endswith(b"\n") else lines
    if fmt in (ResultFormat.NTRIPLES, ResultFormat.NQUADS):
        return sum(
            1 for line in body.splitlines() if line.strip() and not line.lstrip().startswith(b"#")
        )
    if fmt is ResultFormat.XML:
        # `<` inside values is escaped, so every `<result` is a row.
        return len(_XML_RESULT.findall(body))
    if fmt is ResultFormat.CSV:
        # Quoted CSV fields may hold newlines: read it as CSV, minus the header.
        reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
        return max(sum(1 for _ in reader) - 1, 0)
    if fmt in _SOLUTION_PARSE:
        parsed = ox.parse_query_results(body, format=_SOLUTION_PARSE[fmt])
        if isinstance(parsed, ox.QueryBoolean):
            return 0
        return sum(1 for _ in parsed)
    if fmt in _GRAPH_PARSE:
        return sum(1 for _ in ox.parse(body, format=_GRAPH_PARSE[fmt]))
    raise ValueError(f"cannot count results in {fmt.value}")


def convert_ntriples(ntriples: bytes, fmt: ResultFormat) -> bytes:
    """A graph result received as N-Triples, in the syntax `fmt`."""
    out = ox.serialize(
        ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES),
        format=ox.RdfFormat.from_media_type(fmt.value),
    )
    assert out is not None
    return out
