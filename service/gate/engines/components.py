"""The SHACL Core constraint components as SPARQL: one unit per component, in the order of the
SHACL Recommendation's section 4 (https://www.w3.org/TR/shacl/#core-components), each naming its
section. The compiler (service/gate/engines/sparql.py) dispatches on COMPONENTS, keyed by the
component's parameter; a parameter without a unit is not compiled, and the shape goes to pyshacl
with the reason.

A unit gives one or more of these forms, and the compiler picks the one its place needs:
  * value(c, shape, value, v): a SPARQL expression, true when the value node bound to `v`
    violates the constraint (value type, range, string, logical and shape-based components);
  * values(c, shape, value, x, path): (component, expression) pairs, true when the set of
    values of the node bound to `x` along `path` violates it (cardinality, property pairs, ...);
  * report(c, shape, value, focus, path): a top-level SELECT that names each offending value
    (sh:value) rather than only the focus node, or None when the constraint checks nothing;
  * node(c, shape, value, x): on a node shape, an expression on the focus node itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node


class Unsupported(Exception):
    """A shape uses something this compiler does not translate; pyshacl validates it."""


class Compiler(Protocol):
    """What a unit uses of the compiler."""

    g: Graph
    closure: Mapping[Node, frozenset[Node]]

    def var(self, stem: str = "v") -> str: ...
    def items(self, node: Node, what: str) -> list[Node]: ...
    def term(self, node: Node) -> str: ...
    def classes(self, cls: Node) -> str: ...
    def violates(self, shape: Node, x: str) -> str: ...
    def class_members(self, param: Node, value: Node) -> set[Node] | None: ...
    def closed_allowed(self, shape: Node) -> str: ...
    def count_condition(
        self,
        x: str,
        path: str,
        where: Callable[[str], str] | None,
        op: str,
        n: int,
        *,
        negate: bool,
    ) -> str: ...
    def qualified_conforms(self, shape: Node, qualified: Node) -> Callable[[str], str]: ...


ValueUnit = Callable[[Compiler, Node, Node, str], str]
ValuesUnit = Callable[[Compiler, Node, Node, str, str], list[tuple[URIRef, str]]]
ReportUnit = Callable[[Compiler, Node, Node, str, str], str | None]
NodeUnit = Callable[[Compiler, Node, Node, str], str | None]


@dataclass(frozen=True)
class Component:
    parameter: URIRef
    iri: URIRef  # the constraint component: sh:sourceConstraintComponent of its results
    section: str  # of the SHACL Recommendation
    value: ValueUnit | None = None
    values: ValuesUnit | None = None
    report: ReportUnit | None = None  # on a property shape
    node: NodeUnit | None = None
    node_report: ReportUnit | None = None  # on a node shape


# --------------------------------------------------------------------------------------------
# 4.1 Value type
# --------------------------------------------------------------------------------------------


def class_value(c: Compiler, shape: Node, value: Node, v: str) -> str:
    """4.1.1 sh:class: each value node is a SHACL instance of the class (rdf:type to the class or
    a subclass; the closure is inlined)."""
    t = c.var("t")
    return f"NOT EXISTS {{ {v} a {t} . VALUES {t} {{ {c.classes(value)} }} }}"


# Datatypes whose lexical form is checked (pyshacl rejects ill-typed literals of these): a
# literal is well-formed when Oxigraph can cast its string to the type.
_CASTABLE = frozenset(
    {
        XSD.integer,
        XSD.decimal,
        XSD.double,
        XSD.float,
        XSD.boolean,
        XSD.date,
        XSD.dateTime,
        XSD.time,
    }
)
_INTEGER_SUBTYPES = frozenset(
    {
        XSD.int,
        XSD.long,
        XSD.short,
        XSD.byte,
        XSD.nonNegativeInteger,
        XSD.positiveInteger,
        XSD.nonPositiveInteger,
        XSD.negativeInteger,
        XSD.unsignedInt,
        XSD.unsignedLong,
        XSD.unsignedShort,
        XSD.unsignedByte,
    }
)


def datatype_value(c: Compiler, shape: Node, datatype: Node, v: str) -> str:
    """4.1.2 sh:datatype: each value node is a literal of the datatype, well-formed for it.
    Literals Oxigraph stores in another datatype (xsd:int as xsd:integer) never reach this
    query: service/gate/engines/literals.py sends their shapes to pyshacl."""
    if datatype == RDFS.Literal:
        return f"!isLiteral({v})"
    if datatype == RDF.langString:
        return f'!COALESCE(isLiteral({v}) && LANG({v}) != "", false)'
    if datatype == XSD.string:
        return f"!COALESCE(isLiteral({v}) && DATATYPE({v}) = {c.term(XSD.string)}, false)"
    dt = c.term(datatype)
    same = f"isLiteral({v}) && DATATYPE({v}) = {dt}"
    if datatype in _CASTABLE:
        return f"!COALESCE({same} && isLiteral({dt}(STR({v}))), false)"
    if datatype in _INTEGER_SUBTYPES:
        integer = c.term(XSD.integer)
        return f"!COALESCE({same} && isLiteral({integer}(STR({v}))), false)"
    return f"!COALESCE({same}, false)"


_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}


def node_kind_value(c: Compiler, shape: Node, kind: Node, v: str) -> str:
    """4.1.3 sh:nodeKind: each value node is of the node kind."""
    if kind not in _NODE_KINDS:
        raise Unsupported(f"unknown sh:nodeKind {kind}")
    return "!" + _NODE_KINDS[kind].format(v=v)


# --------------------------------------------------------------------------------------------
# 4.2 Cardinality
# --------------------------------------------------------------------------------------------


def min_count_values(
    c: Compiler, shape: Node, value: Node, x: str, path: str
) -> list[tuple[URIRef, str]]:
    """4.2.1 sh:minCount: at least n values."""
    n = integer(value, SH.minCount)
    if n <= 0:
        return []
    if n == 1:
        return [(SH.MinCountConstraintComponent, f"NOT EXISTS {{ {x} {path} {c.var()} }}")]
    condition = c.count_condition(x, path, None, ">=", n, negate=True)
    return [(SH.MinCountConstraintComponent, condition)]


def max_count_values(
    c: Compiler, shape: Node, value: Node, x: str, path: str
) -> list[tuple[URIRef, str]]:
    """4.2.2 sh:maxCount: at most n values."""
    n = integer(value, SH.maxCount)
    if n == 0:
        return [(SH.MaxCountConstraintComponent, f"EXISTS {{ {x} {path} {c.var()} }}")]
    condition = c.count_condition(x, path, None, ">", n, negate=False)
    return [(SH.MaxCountConstraintComponent, condition)]


# --------------------------------------------------------------------------------------------
# 4.3 Value range
# --------------------------------------------------------------------------------------------


def _range(operator: str, parameter: URIRef) -> ValueUnit:
    def unit(c: Compiler, shape: Node, bound: Node, v: str) -> str:
        if not isinstance(bound, Literal):
            raise Unsupported(f"{local(parameter)} needs a literal")
        return f"!COALESCE({v} {operator} {sparql_literal(bound)}, false)"

    return unit


def min_exclusive_value(c: Compiler, shape: Node, bound: Node, v: str) -> str:
    """4.3.1 sh:minExclusive: each value node is greater than the bound (an incomparable value,
    an IRI or a literal of another kind, violates)."""
    return _range(">", SH.minExclusive)(c, shape, bound, v)


def min_inclusive_value(c: Compiler, shape: Node, bound: Node, v: str) -> str:
    """4.3.2 sh:minInclusive: each value node is greater than or equal to the bound."""
    return _range(">=", SH.minInclusive)(c, shape, bound, v)


def max_exclusive_value(c: Compiler, shape: Node, bound: Node, v: str) -> str:
    """4.3.3 sh:maxExclusive: each value node is less than the bound."""
    return _range("<", SH.maxExclusive)(c, shape, bound, v)


def max_inclusive_value(c: Compiler, shape: Node, bound: Node, v: str) -> str:
    """4.3.4 sh:maxInclusive: each value node is less than or equal to the bound."""
    return _range("<=", SH.maxInclusive)(c, shape, bound, v)


# --------------------------------------------------------------------------------------------
# 4.4 String-based
# --------------------------------------------------------------------------------------------


def min_length_value(c: Compiler, shape: Node, value: Node, v: str) -> str:
    """4.4.1 sh:minLength: the string form of each value node has at least n characters (a
    blank node violates)."""
    limit = integer(value, SH.minLength)
    if limit == 0:
        return "false"
    return f"COALESCE(isBlank({v}) || STRLEN(STR({v})) < {limit}, true)"


def max_length_value(c: Compiler, shape: Node, value: Node, v: str) -> str:
    """4.4.2 sh:maxLength: the string form of each value node has at most n characters."""
    limit = integer(value, SH.maxLength)
    return f"COALESCE(isBlank({v}) || STRLEN(STR({v})) > {limit}, true)"


def pattern_value(c: Compiler, shape: Node, value: Node, v: str) -> str:
    """4.4.3 sh:pattern (with sh:flags): the string form of each value node matches the regular
    expression (in Oxigraph's engine, XPath-flavoured)."""
    flags = c.g.value(shape, SH.flags)
    flag_arg = f", {sparql_literal(Literal(str(flags)))}" if flags is not None else ""
    regex = f"REGEX(STR({v}), {sparql_literal(Literal(str(value)))}{flag_arg})"
    return f"COALESCE(isBlank({v}) || !{regex}, true)"


def language_in_value(c: Compiler, shape: Node, value: Node, v: str) -> str:
    """4.4.4 sh:languageIn: each value node is a literal whose tag matches one of the list."""
    tags = [str(t) for t in c.items(value, "sh:languageIn")]
    matches = " || ".join(f"langMatches(LANG({v}), {sparql_literal(Literal(t))})" for t in tags)
    return f"!COALESCE(isLiteral({v}) && ({matches or 'false'}), false)"


def unique_lang_values(
    c: Compiler, shape: Node, value: Node, x: str, path: str
) -> list[tuple[URIRef, str]]:
    """4.4.5 sh:uniqueLang: no two values share a language tag."""
    if not true(value):
        return []
    a, b = c.var("a"), c.var("b")
    return [
        (
            SH.UniqueLangConstraintComponent,
            f"EXISTS {{ {x} {path} {a}, {b} . FILTER (!sameTerm({a}, {b}) && "
            f'LANG({a}) != "" && LCASE(LANG({a})) = LCASE(LANG({b}))) }}',
        )
    ]


def unique_lang_report(c: Compiler, shape: Node, value: Node, focus: str, path: str) -> str | None:
    """4.4.5 sh:uniqueLang at top level: one result per duplicated tag."""
    if not true(value):
        return None
    a, b = c.var("a"), c.var("b")
    return (
        f"SELECT DISTINCT ?this ?lang WHERE {{ {focus} ?this {path} {a}, {b} . "
        f'FILTER (!sameTerm({a}, {b}) && LANG({a}) != "" && '
        f"LCASE(LANG({a})) = LCASE(LANG({b}))) "
        f"BIND (LCASE(LANG({a})) AS ?lang) }}"
    )


# --------------------------------------------------------------------------------------------
# 4.5 Property pair
# --------------------------------------------------------------------------------------------


def equals_values(
    c: Compiler, shape: Node, other: Node, x: str, path: str
) -> list[tuple[URIRef, str]]:
    """4.5.1 sh:equals: the values along the path and along the other property are the same
    set."""
    a, o = c.var("a"), c.term(other)
    return [
        (
            SH.EqualsConstraintComponent,
            f"EXISTS {{ {{ {x} {path} {a} . FILTER NOT EXISTS {{ {x} {o} {a} }} }} "
            f"UNION {{ {x} {o} {a} . FILTER NOT EXISTS {{ {x} {path} {a} }} }} }}",
        )
    ]


def equals_report(c: Compiler, shape: Node, other: Node, focus: str, path: str) -> str:
    """4.5.1 sh:equals at top level: one result per value in only one of the two sets."""
    o = c.term(other)
    return (
        f"SELECT DISTINCT ?this ?value WHERE {{ {focus} "
        f"{{ ?this {path} ?value . FILTER NOT EXISTS {{ ?this {o} ?value }} }} "
        f"UNION {{ ?this {o} ?value . "
        f"FILTER NOT EXISTS {{ ?this {path} ?value }} }} }}"
    )


def disjoint_values(
    c: Compiler, shape: Node, other: Node, x: str, path: str
) -> list[tuple[URIRef, str]]:
    """4.5.2 sh:disjoint: no value along the path is also a value of the other property."""
    a = c.var("a")
    return [
        (SH.DisjointConstraintComponent, f"EXISTS {{ {x} {path} {a} . {x} {c.term(other)} {a} }}")
    ]


def disjoint_report(c: Compiler, shape: Node, other: Node, focus: str, path: str) -> str:
    """4.5.2 sh:disjoint at top level: one result per shared value."""
    return (
        f"SELECT DISTINCT ?this ?value WHERE {{ {focus} "
        f"?this {path} ?value . ?this {c.term(other)} ?value }}"
    )


def _less(operator: str, component: URIRef) -> tuple[ValuesUnit, ReportUnit]:
    def values(
        c: Compiler, shape: Node, other: Node, x: str, path: str
    ) -> list[tuple[URIRef, str]]:
        a, b = c.var("a"), c.var("b")
        return [
            (
                component,
                f"EXISTS {{ {x} {path} {a} . {x} {c.term(other)} {b} . "
                f"FILTER (!COALESCE({a} {operator} {b}, false)) }}",
            )
        ]

    def report(c: Compiler, shape: Node, other: Node, focus: str, path: str) -> str:
        return (
            f"SELECT DISTINCT ?this ?value ?other WHERE {{ {focus} "
            f"?this {path} ?value . ?this {c.term(other)} ?other . "
            f"FILTER (!COALESCE(?value {operator} ?other, false)) }}"
        )

    return values, report


_LESS_THAN = _less("<", SH.LessThanConstraintComponent)
_LESS_THAN_OR_EQUALS = _less("<=", SH.LessThanOrEqualsConstraintComponent)


def less_than_values(
    c: Compiler, shape: Node, other: Node, x: str, path: str
) -> list[tuple[URIRef, str]]:
    """4.5.3 sh:lessThan: each value is less than every value of the other property (SPARQL's
    `<`: incomparable pairs violate)."""
    return _LESS_THAN[0](c, shape, other, x, path)


def less_than_report(c: Compiler, shape: Node, other: Node, focus: str, path: str) -> str | None:
    """4.5.3 sh:lessThan at top level: one result per offending value."""
    return _LESS_THAN[1](c, shape, other, focus, path)


def less_than_or_equals_values(
    c: Compiler, shape: Node, other: Node, x: str, path: str
) -> list[tuple[URIRef, str]]:
    """4.5.4 sh:lessThanOrEquals: each value is at most every value of the other property."""
    return _LESS_THAN_OR_EQUALS[0](c, shape, other, x, path)


def less_than_or_equals_report(
    c: Compiler, shape: Node, other: Node, focus: str, path: str
) -> str | None:
    """4.5.4 sh:lessThanOrEquals at top level: one result per offending value."""
    return _LESS_THAN_OR_EQUALS[1](c, shape, other, focus, path)


# --------------------------------------------------------------------------------------------
# 4.6 Logical
# --------------------------------------------------------------------------------------------


def not_value(c: Compiler, shape: Node, negated: Node, v: str) -> str:
    """4.6.1 sh:not: no value node conforms to the shape."""
    return f"!{c.violates(negated, v)}"


def and_value(c: Compiler, shape: Node, members: Node, v: str) -> str:
    """4.6.2 sh:and: each value node conforms to every shape of the list."""
    shapes = c.items(members, "sh:and")
    return "(" + " || ".join(c.violates(s, v) for s in shapes) + ")" if shapes else "false"


def or_value(c: Compiler, shape: Node, members: Node, v: str) -> str:
    """4.6.3 sh:or: each value node conforms to at least one shape of the list. An sh:or of
    class-only shapes (IsActor, IsPlace ...) is one class test over their union."""
    merged = c.class_members(SH["or"], members)
    if merged is not None:
        t = c.var("t")
        listed = " ".join(c.term(m) for m in sorted(merged, key=str))
        return f"NOT EXISTS {{ {v} a {t} . VALUES {t} {{ {listed} }} }}"
    shapes = c.items(members, "sh:or")
    return "(" + " && ".join(c.violates(s, v) for s in shapes) + ")" if shapes else "true"


def xone_value(c: Compiler, shape: Node, members: Node, v: str) -> str:
    """4.6.4 sh:xone: each value node conforms to exactly one shape of the list."""
    shapes = c.items(members, "sh:xone")
    total = " + ".join(f"IF({c.violates(s, v)}, 0, 1)" for s in shapes) or "0"
    return f"(({total}) != 1)"


# --------------------------------------------------------------------------------------------
# 4.7 Shape-based (sh:property, 4.7.2, is structure: the compiler follows it itself)
# --------------------------------------------------------------------------------------------


def node_value(c: Compiler, shape: Node, other: Node, v: str) -> str:
    """4.7.1 sh:node: each value node conforms to the node shape."""
    return c.violates(other, v)


def qualified_values(
    c: Compiler, shape: Node, qualified: Node, x: str, path: str
) -> list[tuple[URIRef, str]]:
    """4.7.3 sh:qualifiedValueShape with sh:qualifiedMinCount / sh:qualifiedMaxCount (and
    sh:qualifiedValueShapesDisjoint): how many values conform to the shape."""
    if len(set(c.g.objects(shape, SH.qualifiedValueShape))) > 1:
        raise Unsupported("has more than one sh:qualifiedValueShape")
    conforms = c.qualified_conforms(shape, qualified)
    out: list[tuple[URIRef, str]] = []
    low = c.g.value(shape, SH.qualifiedMinCount)
    high = c.g.value(shape, SH.qualifiedMaxCount)
    if high is not None:
        n = integer(high, SH.qualifiedMaxCount)
        condition = c.count_condition(x, path, conforms, ">", n, negate=False)
        out.append((SH.QualifiedMaxCountConstraintComponent, condition))
    if low is not None:
        n = integer(low, SH.qualifiedMinCount)
        if n > 0:
            condition = c.count_condition(x, path, conforms, ">=", n, negate=True)
            out.append((SH.QualifiedMinCountConstraintComponent, condition))
    return out


# --------------------------------------------------------------------------------------------
# 4.8 Other
# --------------------------------------------------------------------------------------------


def closed_node(c: Compiler, shape: Node, value: Node, x: str) -> str | None:
    """4.8.1 sh:closed (with sh:ignoredProperties): the focus node has no property other than
    the shape's property paths and the ignored ones."""
    if not true(value):
        return None
    p, o = c.var("p"), c.var("o")
    return f"EXISTS {{ {x} {p} {o} . FILTER ({p} NOT IN ({c.closed_allowed(shape)})) }}"


def closed_report(c: Compiler, shape: Node, value: Node, focus: str, path: str) -> str | None:
    """4.8.1 sh:closed at top level: one result per offending triple (its predicate is the
    result path, its object the value)."""
    if not true(value):
        return None
    allowed = c.closed_allowed(shape)
    return (
        f"SELECT DISTINCT ?this ?path ?value WHERE {{ {focus} ?this ?path ?value . "
        f"FILTER (?path NOT IN ({allowed})) }}"
    )


def has_value_values(
    c: Compiler, shape: Node, value: Node, x: str, path: str
) -> list[tuple[URIRef, str]]:
    """4.8.2 sh:hasValue: one of the values is the term (term equality)."""
    return [(SH.HasValueConstraintComponent, f"NOT EXISTS {{ {x} {path} {c.term(value)} }}")]


def has_value_node(c: Compiler, shape: Node, value: Node, x: str) -> str:
    """4.8.2 sh:hasValue on a node shape: the focus node is the term."""
    return f"!sameTerm({x}, {c.term(value)})"


def in_value(c: Compiler, shape: Node, members: Node, v: str) -> str:
    """4.8.3 sh:in: each value node is one of the list's terms (term equality)."""
    listed = " ".join(c.term(m) for m in c.items(members, "sh:in"))
    m = c.var("in")
    return f"NOT EXISTS {{ VALUES {m} {{ {listed} }} FILTER (sameTerm({m}, {v})) }}"


# --------------------------------------------------------------------------------------------
# The table, in the Recommendation's order
# --------------------------------------------------------------------------------------------

COMPONENTS: tuple[Component, ...] = (
    Component(SH["class"], SH.ClassConstraintComponent, "4.1.1", value=class_value),
    Component(SH.datatype, SH.DatatypeConstraintComponent, "4.1.2", value=datatype_value),
    Component(SH.nodeKind, SH.NodeKindConstraintComponent, "4.1.3", value=node_kind_value),
    Component(SH.minCount, SH.MinCountConstraintComponent, "4.2.1", values=min_count_values),
    Component(SH.maxCount, SH.MaxCountConstraintComponent, "4.2.2", values=max_count_values),
    Component(
        SH.minExclusive, SH.MinExclusiveConstraintComponent, "4.3.1", value=min_exclusive_value
    ),
    Component(
        SH.minInclusive, SH.MinInclusiveConstraintComponent, "4.3.2", value=min_inclusive_value
    ),
    Component(
        SH.maxExclusive, SH.MaxExclusiveConstraintComponent, "4.3.3", value=max_exclusive_value
    ),
    Component(
        SH.maxInclusive, SH.MaxInclusiveConstraintComponent, "4.3.4", value=max_inclusive_value
    ),
    Component(SH.minLength, SH.MinLengthConstraintComponent, "4.4.1", value=min_length_value),
    Component(SH.maxLength, SH.MaxLengthConstraintComponent, "4.4.2", value=max_length_value),
    Component(SH.pattern, SH.PatternConstraintComponent, "4.4.3", value=pattern_value),
    Component(SH.languageIn, SH.LanguageInConstraintComponent, "4.4.4", value=language_in_value),
    Component(
        SH.uniqueLang,
        SH.UniqueLangConstraintComponent,
        "4.4.5",
        values=unique_lang_values,
        report=unique_lang_report,
    ),
    Component(
        SH.equals, SH.EqualsConstraintComponent, "4.5.1", values=equals_values, report=equals_report
    ),
    Component(
        SH.disjoint,
        SH.DisjointConstraintComponent,
        "4.5.2",
        values=disjoint_values,
        report=disjoint_report,
    ),
    Component(
        SH.lessThan,
        SH.LessThanConstraintComponent,
        "4.5.3",
        values=less_than_values,
        report=less_than_report,
    ),
    Component(
        SH.lessThanOrEquals,
        SH.LessThanOrEqualsConstraintComponent,
        "4.5.4",
        values=less_than_or_equals_values,
        report=less_than_or_equals_report,
    ),
    Component(SH["not"], SH.NotConstraintComponent, "4.6.1", value=not_value),
    Component(SH["and"], SH.AndConstraintComponent, "4.6.2", value=and_value),
    Component(SH["or"], SH.OrConstraintComponent, "4.6.3", value=or_value),
    Component(SH.xone, SH.XoneConstraintComponent, "4.6.4", value=xone_value),
    Component(SH.node, SH.NodeConstraintComponent, "4.7.1", value=node_value),
    Component(
        SH.qualifiedValueShape,
        SH.QualifiedMinCountConstraintComponent,  # and QualifiedMaxCount: the unit names each
        "4.7.3",
        values=qualified_values,
    ),
    Component(
        SH.closed,
        SH.ClosedConstraintComponent,
        "4.8.1",
        node=closed_node,
        node_report=closed_report,
    ),
    Component(
        SH.hasValue,
        SH.HasValueConstraintComponent,
        "4.8.2",
        values=has_value_values,
        node=has_value_node,
    ),
    Component(SH["in"], SH.InConstraintComponent, "4.8.3", value=in_value),
)
BY_PARAMETER: dict[Node, Component] = {c.parameter: c for c in COMPONENTS}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def sparql_literal(literal: Literal) -> str:
    text = (
        str(literal)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    if literal.language:
        return f'"{text}"@{literal.language}'
    if literal.datatype is not None and literal.datatype != XSD.string:
        return f'"{text}"^^<{literal.datatype}>'
    return f'"{text}"'


def true(value: Node) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def integer(value: Node, param: Node) -> int:
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, int) and not isinstance(python, bool):
            return python
    raise Unsupported(f"{local(param)} needs an integer")


def local(iri: Node) -> str:
    text = str(iri)
    if text.startswith(str(SH)):
        return "sh:" + text[len(str(SH)) :]
    return f"<{text}>"
