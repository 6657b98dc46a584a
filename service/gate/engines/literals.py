"""Where Oxigraph's canonical literals would change a SHACL answer, and what to do about it.

Oxigraph stores (and parses in queries) a well-formed literal in canonical form: "4.0"^^xsd:decimal
as "4", "007"^^xsd:integer as "7", "5"^^xsd:int as "5"^^xsd:integer, "-1"^^xsd:nonNegativeInteger
as "-1"^^xsd:integer, xsd:dateTimeStamp as xsd:dateTime, "+00:00" as "Z", language tags in lower
case. SHACL compares terms, lexical forms and datatypes, so over rewritten literals a compiled
query could answer differently from the data as written. Three kinds of rewrite matter:

  * "lexical": the lexical form changed (the value and datatype did not): sh:pattern,
    sh:minLength, sh:maxLength read the lexical form; sh:in, sh:hasValue, sh:equals and
    sh:disjoint compare terms;
  * "datatype": the datatype changed (xsd:int -> xsd:integer), which may also turn an ill-formed
    literal into a well-formed one: every check that reads a literal's datatype or value;
  * "language": the tag's case changed: term comparisons and sh:uniqueLang.

The compiled engine is exact when no literal its checks reach was rewritten. The data are
checked on every run (GraphRunner.rewrites) and each top-level shape says, at compile time,
through which predicates a literal can reach each kind of sensitive check (`literal_reach`).
A shape a rewritten literal can reach goes to pyshacl for that run, with the reason; literal
constants in the shapes that Oxigraph would rewrite are refused at compile time.

The context a validation fetches from the store is in the store's canonical form already; a
delta literal that becomes a term the context holds is the one term the store will hold after
the commit, so that is not counted as two literals becoming one (only two of the delta's are).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

KINDS = ("lexical", "datatype", "language")
_ALL = frozenset(KINDS)

# The kinds of rewrite that can change each constraint's answer on a literal.
SENSITIVE: dict[Node, frozenset[str]] = {
    SH.datatype: frozenset({"datatype"}),
    SH.pattern: frozenset({"lexical", "datatype"}),
    SH.minLength: frozenset({"lexical", "datatype"}),
    SH.maxLength: frozenset({"lexical", "datatype"}),
    SH["in"]: _ALL,
    SH.hasValue: _ALL,
    SH.equals: _ALL,
    SH.disjoint: _ALL,
    SH.uniqueLang: frozenset({"language"}),
    SH.minInclusive: frozenset({"datatype"}),
    SH.minExclusive: frozenset({"datatype"}),
    SH.maxInclusive: frozenset({"datatype"}),
    SH.maxExclusive: frozenset({"datatype"}),
    SH.lessThan: frozenset({"datatype"}),
    SH.lessThanOrEquals: frozenset({"datatype"}),
}
# Constraints that compare with a second predicate's values as well as the path's.
_WITH_OTHER = frozenset({SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals})
# Shape-valued parameters: the nested shape sees the same value nodes.
_NESTED_ONE = (SH.node, SH["not"], SH.qualifiedValueShape)
_NESTED_LIST = (SH["and"], SH["or"], SH.xone)

Reach = dict[str, frozenset[URIRef] | None]  # kind -> predicates (None: any)


# Datatypes whose literals Oxigraph keeps as written (it parses no value out of them).
_KEPT = frozenset(
    str(XSD[name])
    for name in ("string", "anyURI", "normalizedString", "token", "language", "Name", "NCName")
)


def may_be_rewritten(literal: Literal) -> bool:
    """Whether Oxigraph might store this literal in another form: typed by a datatype it reads
    a value from, or tagged with upper-case letters. The common case (text) answers no cheaply;
    the rest is asked of Oxigraph itself (canonical_forms)."""
    if literal.language is not None:
        return literal.language != literal.language.lower()
    return literal.datatype is not None and str(literal.datatype) not in _KEPT


def canonical_forms(literals: Iterable[ox.Literal]) -> dict[ox.Literal, ox.Literal]:
    """Each literal as Oxigraph stores it (the engine's own canonicalisation, not a copy of it)."""
    listed = list(dict.fromkeys(literals))
    if not listed:
        return {}
    scratch = ox.Store()
    predicate = ox.NamedNode("urn:entente:literal")
    scratch.extend(
        ox.Quad(ox.NamedNode(f"urn:entente:literal:{i}"), predicate, lit, ox.DefaultGraph())
        for i, lit in enumerate(listed)
    )
    out: dict[ox.Literal, ox.Literal] = {}
    for quad in scratch:
        stored = quad.object
        assert isinstance(stored, ox.Literal)
        out[listed[int(quad.subject.value.rsplit(":", 1)[1])]] = stored
    return out


def rewrite_kinds(original: ox.Literal, stored: ox.Literal) -> frozenset[str]:
    kinds: set[str] = set()
    if original.value != stored.value:
        kinds.add("lexical")
    if original.datatype != stored.datatype:
        kinds.add("datatype")
    if original.language != stored.language:
        kinds.add("language")
    return frozenset(kinds)


def same_value(original: Node, stored: Node) -> bool:
    """Whether rdflib reads the same, well-typed value from both forms of a literal."""
    if not isinstance(original, Literal) or not isinstance(stored, Literal):
        return False
    if original.ill_typed or stored.ill_typed:
        return False
    a, b = original.toPython(), stored.toPython()
    return type(a) is type(b) and not isinstance(a, str) and a == b


def rewritten_constant(literal: Literal) -> bool:
    """Whether Oxigraph would rewrite this literal of the shapes graph in a query."""
    if literal.language:
        original = ox.Literal(str(literal), language=literal.language)
    elif literal.datatype is not None:
        original = ox.Literal(str(literal), datatype=ox.NamedNode(str(literal.datatype)))
    else:
        return False
    stored = canonical_forms([original])[original]
    return bool(rewrite_kinds(original, stored))


@dataclass
class Rewrites:
    """The literals of one data graph that Oxigraph rewrote: by kind, the predicates they are
    objects of; and whether two distinct literals became one term (then counts change too)."""

    predicates: dict[str, set[URIRef]] = field(default_factory=dict)
    collapsed: list[tuple[Node, Node]] = field(default_factory=list)
    example: dict[str, tuple[Node, Node]] = field(default_factory=dict)  # kind -> (was, became)

    def __bool__(self) -> bool:
        return bool(self.predicates or self.collapsed)

    def reaches(self, reach: Mapping[str, frozenset[URIRef] | None]) -> str | None:
        """Why a shape with this reach cannot be answered by the compiled queries on this data
        (None when it can)."""
        if self.collapsed:
            a, b = self.collapsed[0]
            return (
                f"the data holds {a.n3()} and {b.n3()}, which Oxigraph stores as one term, "
                "so pyshacl validates this data"
            )
        for kind in KINDS:
            used = self.predicates.get(kind)
            if not used or kind not in reach:
                continue
            through = reach[kind]
            if through is None or not through.isdisjoint(used):
                was, became = self.example[kind]
                return (
                    f"reads literals whose {kind} Oxigraph rewrites ({was.n3()} is stored as "
                    f"{became.n3()}), so pyshacl validates it on this data"
                )
        return None


def literal_reach(shapes: Graph, shape: Node) -> Reach:
    """For a top-level shape: by kind of rewrite, the predicates through which a data literal
    can reach a check sensitive to that kind (None when it cannot be told: any predicate)."""
    reach: dict[str, set[URIRef] | None] = {}

    def add(kinds: frozenset[str], through: frozenset[URIRef] | None) -> None:
        for kind in kinds:
            if through is None:
                reach[kind] = None
                continue
            current = reach.setdefault(kind, set())
            if current is not None:
                current.update(through)

    seen: set[tuple[Node, frozenset[URIRef] | None]] = set()

    def walk(node: Node, incoming: frozenset[URIRef] | None) -> None:
        if (node, incoming) in seen:
            return
        seen.add((node, incoming))
        path = shapes.value(node, SH.path)
        values = incoming if path is None else path_predicates(shapes, path, incoming)
        for param, value in shapes.predicate_objects(node):
            kinds = SENSITIVE.get(param)
            if kinds is not None:
                through = values
                if param in _WITH_OTHER and through is not None and isinstance(value, URIRef):
                    through = through | {value}
                add(kinds, through)
            if param in _NESTED_ONE:
                walk(value, values)
            elif param in _NESTED_LIST and (value, RDF.first, None) in shapes:
                for member in Collection(shapes, value):
                    walk(member, values)
            elif param == SH.property:
                walk(value, values)

    focus: set[URIRef] = set()
    for p in shapes.objects(shape, SH.targetObjectsOf):
        if isinstance(p, URIRef):
            focus.add(p)
    walk(shape, frozenset(focus))
    return {k: (frozenset(v) if v is not None else None) for k, v in reach.items()}


def path_predicates(
    shapes: Graph, path: Node, incoming: frozenset[URIRef] | None
) -> frozenset[URIRef] | None:
    """The predicates whose objects a path's value nodes can be (a literal is only ever an
    object): the last step of a simple or sequence path; for other paths every IRI they name,
    and the focus's own `incoming` when the path can have length zero."""
    if isinstance(path, URIRef):
        return frozenset({path})
    if (path, RDF.first, None) in shapes:
        steps = list(Collection(shapes, path))
        if not steps:
            return frozenset()
        before: frozenset[URIRef] | None = incoming
        for step in steps[:-1]:
            before = path_predicates(shapes, step, before)
        return path_predicates(shapes, steps[-1], before)
    if shapes.value(path, SH.inversePath) is not None:
        return frozenset()  # a subject: never a literal
    named: set[URIRef] = set()
    todo, seen = [path], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if isinstance(node, URIRef):
            named.add(node)
            continue
        todo.extend(o for p, o in shapes.predicate_objects(node) if p != RDF.type)
    named.discard(RDF.nil)
    zero = any((n, p, None) in shapes for n in seen for p in (SH.zeroOrMorePath, SH.zeroOrOnePath))
    if zero:
        return None if incoming is None else frozenset(named) | incoming
    return frozenset(named)
