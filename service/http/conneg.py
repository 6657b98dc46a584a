"""HTTP content negotiation (RFC 9110 §12.5.1): parse `Accept` with q-values and wildcards, and
pick what to send from the media types a response can take.

Ties are broken the way clients expect: a higher q wins; at equal q, a type the client named
exactly beats one reached through `text/*` or `*/*`; after that the server's order (its default
first) decides. A type the client excludes with q=0 is never sent, even if a wildcard allows it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from entente.errors import EntenteError
from entente.service.store.base import GRAPH_FORMATS, SOLUTION_FORMATS, QueryKind, ResultFormat


@dataclass(frozen=True)
class MediaRange:
    type: str  # "text", "application" or "*"
    subtype: str  # "csv", "*"
    q: float

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        return 1 if self.subtype == "*" else 2

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return True
        return self.type == main and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header. Malformed entries are skipped (a client's typo should
    not turn into an error); a missing or empty header means `*/*`."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges: list[MediaRange] = []
    for item in header.split(","):
        parts = [p.strip() for p in item.split(";")]
        media, params = parts[0].lower(), parts[1:]
        main, slash, sub = media.partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0  # an unreadable weight is no acceptance
        ranges.append(MediaRange(main, sub, q))
    return ranges


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer to send, or None when the client accepts none of them.
    `offers` are concrete media types, the server's preferred (default) first."""
    ranges = parse_accept(accept)
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for order, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        # The most specific range that matches decides the weight (RFC 9110: text/csv;q=0
        # excludes CSV even when */* is also sent).
        top = max(r.specificity for r in matching)
        q = max(r.q for r in matching if r.specificity == top)
        if q <= 0:
            continue
        key = (q, top, -order)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


# --- SPARQL result formats ---------------------------------------------------------------------

# Media types clients send for each format. The first is the canonical one; the others are the
# aliases common clients ask for (SPARQLWrapper sends application/json, rdflib text/n3 ...).
_ALIASES: dict[ResultFormat, tuple[str, ...]] = {
    ResultFormat.JSON: ("application/sparql-results+json", "application/json"),
    ResultFormat.XML: ("application/sparql-results+xml", "application/xml", "text/xml"),
    ResultFormat.CSV: ("text/csv",),
    ResultFormat.TSV: ("text/tab-separated-values",),
    ResultFormat.TURTLE: ("text/turtle", "application/x-turtle", "application/turtle"),
    ResultFormat.NTRIPLES: ("application/n-triples", "text/plain"),
    ResultFormat.NQUADS: ("application/n-quads",),
    ResultFormat.TRIG: ("application/trig",),
    ResultFormat.JSONLD: ("application/ld+json",),
    ResultFormat.RDFXML: ("application/rdf+xml",),
}

# Names for the `format` parameter (an override for clients that cannot set Accept, and links).
FORMAT_NAMES: Mapping[str, ResultFormat] = {
    "json": ResultFormat.JSON,
    "srj": ResultFormat.JSON,
    "xml": ResultFormat.XML,
    "srx": ResultFormat.XML,
    "csv": ResultFormat.CSV,
    "tsv": ResultFormat.TSV,
    "turtle": ResultFormat.TURTLE,
    "ttl": ResultFormat.TURTLE,
    "ntriples": ResultFormat.NTRIPLES,
    "nt": ResultFormat.NTRIPLES,
    "nquads": ResultFormat.NQUADS,
    "nq": ResultFormat.NQUADS,
    "trig": ResultFormat.TRIG,
    "jsonld": ResultFormat.JSONLD,
    "json-ld": ResultFormat.JSONLD,
    "rdfxml": ResultFormat.RDFXML,
    "rdf": ResultFormat.RDFXML,
}

_KIND_FORMATS: dict[QueryKind, tuple[ResultFormat, ...]] = {
    "solutions": SOLUTION_FORMATS,
    "boolean": SOLUTION_FORMATS,
    # N-Quads and TriG carry a graph name, a CONSTRUCT result has none: they would only restate
    # N-Triples and Turtle, so they are not offered for graph results.
    "graph": tuple(f for f in GRAPH_FORMATS if f not in (ResultFormat.NQUADS, ResultFormat.TRIG)),
}


@dataclass(frozen=True)
class Choice:
    format: ResultFormat  # what the store serialises
    media_type: str  # what Content-Type says: the type the client named, when it named one


def formats_for(kind: QueryKind) -> tuple[ResultFormat, ...]:
    return _KIND_FORMATS[kind]


@functools.lru_cache(maxsize=256)
def choose_result_format(kind: QueryKind, accept: str | None, format_param: str | None) -> Choice:
    """The serialisation of a query result. `format_param` (a name such as `csv`, or a media
    type) overrides Accept. Raises E404 (406) listing what is available, E415 for an unknown
    format name. Remembered: a client sends the same Accept header with every query, and
    parsing it costs more than the rest of the choice (a refusal is not remembered)."""
    available = formats_for(kind)
    if format_param:
        wanted = _format_from_param(format_param)
        if wanted not in available:
            raise _not_acceptable(kind, available, asked=f"format={format_param}")
        return Choice(wanted, wanted.value)
    # Canonical types first, so that `text/*` picks text/csv rather than the text/xml alias.
    offers = [_ALIASES[fmt][0] for fmt in available]
    offers += [alias for fmt in available for alias in _ALIASES[fmt][1:]]
    picked = negotiate(accept, offers)
    if picked is None:
        raise _not_acceptable(kind, available, asked=f"Accept: {accept}")
    fmt = next(f for f in available if picked in _ALIASES[f])
    named = any(
        r.type != "*" and r.subtype != "*" for r in parse_accept(accept) if r.matches(picked)
    )
    return Choice(fmt, picked if named else fmt.value)


def _format_from_param(value: str) -> ResultFormat:
    key = value.strip().lower()
    if key in FORMAT_NAMES:
        return FORMAT_NAMES[key]
    for fmt, aliases in _ALIASES.items():
        if key in aliases:
            return fmt
    raise EntenteError(
        "E415",
        f"unknown result format {value!r}; use one of {', '.join(sorted(FORMAT_NAMES))} "
        "or a media type",
        where="format",
    )


def _not_acceptable(
    kind: QueryKind, available: Sequence[ResultFormat], *, asked: str
) -> EntenteError:
    what = {"solutions": "SELECT", "boolean": "ASK", "graph": "CONSTRUCT/DESCRIBE"}[kind]
    return EntenteError(
        "E404",
        f"a {what} result can be sent as {', '.join(f.value for f in available)}; "
        f"none of them matches {asked}",
        where="Accept" if asked.startswith("Accept") else "format",
    )
