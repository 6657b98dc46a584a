"""SHACL shapes compiled to SPARQL and run by Oxigraph: the fast validation engine.

pyshacl evaluates every shape per focus node in pure Python (about 300 ms for one ingest's
few hundred triples, 1.6k triples/s for a whole store). Here every constraint of every targeted
shape becomes a SPARQL SELECT that returns the violating focus nodes (and value nodes), and
Oxigraph evaluates it over all focus nodes at once (constraints of one shape on the same values
share a query, each computed into a column of its own):

    SELECT DISTINCT ?this ?value WHERE {
      { ?this rdf:type ?t0 . VALUES ?t0 { ent:Statement ent:Cooperation ... } }  # the targets
      ?this ent:party ?value .                                                  # value nodes
      FILTER (NOT EXISTS { ?value rdf:type ?t1 . VALUES ?t1 { ent:Actor ent:State ... } })
    }

Shapes nested through sh:node, sh:or, sh:and, sh:not, sh:xone and sh:qualifiedValueShape compile
to boolean expressions ("this node violates S") used inside the outer query's FILTER.

Semantics follow SHACL Core as pyshacl implements it, so that both engines give the same results
(focus node, path, constraint component, severity, value): tests run both on every shape test
case and on whole stores. Known differences, all on data entente never writes:
  * an ill-typed literal is whatever Oxigraph cannot cast (`"1e5"^^xsd:decimal` is ill-typed
    here, well-typed to rdflib); Oxigraph also canonicalises valid numeric literals and lower-cases
    language tags, so a reported sh:value may differ in lexical form;
  * sh:lessThan / sh:lessThanOrEquals compare with SPARQL's `<`, pyshacl with Python's (IRIs
    compare as strings there, and are errors, hence violations, here);
  * regular expressions run in Oxigraph's (XPath-flavoured) engine rather than Python's `re`.

Class membership (sh:targetClass, sh:class) is `rdf:type` to the class or any of its subclasses;
the subclass closure is computed here, in Python, from the rdfs:subClassOf pairs the caller
gives (the ent: class hierarchy plus any in the data) and inlined as VALUES, which is what
pyshacl's `rdf:type/rdfs:subClassOf*` over the same data graph means, and much faster.

A shape using something not compiled here (SPARQL-based constraints, SHACL-AF targets or rules,
custom constraint components, sh:property on a property shape, recursion) is not skipped: the
compiler lists it with the reason, and the caller validates it with pyshacl (`fallback_shapes`,
`fallback_shapes_graph()`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import pyoxigraph as ox
from entente.service.gate.engines.components import (
    BY_PARAMETER,
    Unsupported,
    sparql_literal,
)
from entente.service.gate.engines.components import integer as _integer
from entente.service.gate.engines.components import local as _local
from entente.service.gate.engines.components import true as _true
from entente.service.gate.engines.literals import (
    Reach,
    Rewrites,
    canonical_forms,
    literal_reach,
    may_be_rewritten,
    rewrite_kinds,
    rewritten_constant,
    same_value,
)
from entente.service.store.terms import ToOxigraph, to_rdflib
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

Row = Mapping[str, Node]
Runner = Callable[[str], Sequence[Row]]  # runs one SELECT, returns rows of rdflib terms

TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

# Parameters that say something about a shape but constrain nothing by themselves.
_NOT_CONSTRAINTS = frozenset(
    {
        RDF.type,
        *TARGET_PREDICATES,
        SH.property,
        SH.path,
        SH.severity,
        SH.message,
        SH.deactivated,
        SH.name,
        SH.description,
        SH.order,
        SH.group,
        SH.defaultValue,
        SH.flags,  # read with sh:pattern
        SH.ignoredProperties,  # read with sh:closed
        SH.qualifiedMinCount,  # read with sh:qualifiedValueShape
        SH.qualifiedMaxCount,
        SH.qualifiedValueShapesDisjoint,
        SH.declare,  # SHACL-AF prefix declarations: harmless metadata
        SH.prefixes,
    }
)

# --------------------------------------------------------------------------------------------
# Compiled form
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a query. Rows bind ?this, and ?value when the result names
    a value node (value_is_focus: the value is the focus node itself, as for a node shape's
    value constraints), ?path when the result path varies by row (sh:closed)."""

    shape: Node  # the shape whose constraint this is: sh:sourceShape
    component: URIRef
    severity: URIRef
    messages: tuple[Literal, ...]
    path: Node | None  # the shapes-graph path node (sh:resultPath), None for node shapes
    query: str
    value_is_focus: bool = False
    # When every focus node comes from a class target: the classes (subclasses included). Data
    # with no instance of any of them cannot give this check a result, so it need not run.
    focus_classes: frozenset[Node] | None = None
    # Several value constraints of one shape share one query (one scan of the focus and value
    # nodes, the costly part over a large store); each reads its own boolean column.
    flag: str | None = None
    top: Node | None = None  # the targeted shape this check belongs to


@dataclass(frozen=True)
class Result:
    focus: Node
    check: Check
    value: Node | None
    path: Node | None  # a predicate given by the row (sh:closed) overrides check.path


@dataclass
class CompiledShapes:
    shapes: Graph
    checks: list[Check]
    fallback: dict[Node, str] = field(default_factory=dict)  # shape -> why it was not compiled
    # Per compiled top-level shape: through which predicates a data literal reaches a check that
    # a rewritten literal could fool (service/gate/engines/literals.py).
    reach: dict[Node, Reach] = field(default_factory=dict)
    _fallback_graphs: dict[frozenset[Node], Graph] = field(default_factory=dict)

    @property
    def fallback_shapes(self) -> tuple[str, ...]:
        return tuple(sorted(str(s) for s in self.fallback))

    def for_data(self, rewrites: Rewrites) -> dict[Node, str]:
        """The compiled shapes that this data's rewritten literals reach, with the reason: they
        go to pyshacl for this run (with the shapes in `fallback`)."""
        if not rewrites:
            return {}
        out: dict[Node, str] = {}
        for shape, reach in self.reach.items():
            reason = rewrites.reaches(reach)
            if reason is not None:
                out[shape] = reason
        return out

    def fallback_shapes_graph(self, also: Iterable[Node] = ()) -> Graph | None:
        """The shapes graph with the targets of every compiled shape removed: pyshacl run on it
        evaluates exactly the shapes this compiler could not (and those in `also`), with what
        they reference."""
        chosen = frozenset(self.fallback) | frozenset(also)
        if not chosen:
            return None
        graph = self._fallback_graphs.get(chosen)
        if graph is None:
            graph = Graph()
            for prefix, namespace in self.shapes.namespaces():
                graph.bind(prefix, namespace, override=True)
            compiled = set(top_level_shapes(self.shapes)) - chosen
            for s, p, o in self.shapes:
                if s in compiled and (
                    p in TARGET_PREDICATES
                    or p == SH.target
                    or (p == RDF.type and o in (RDFS.Class, OWL.Class))
                ):
                    continue
                graph.add((s, p, o))
            self._fallback_graphs[chosen] = graph
        return graph

    def run(
        self,
        runner: Runner,
        *,
        workers: int = 1,
        types: set[Node] | None = None,
        skip: Iterable[Node] = (),
    ) -> list[Result]:
        """Every check's results, in check order. With workers > 1 the queries run on that many
        threads (the runner must be thread-safe: Oxigraph's store is, and releases the GIL).
        `types`, the classes instantiated in the data when known, skips the checks whose
        focus classes have no instance there (an ingest without an acquisition need not run
        the acquisition checks)."""
        skipped = set(skip)
        checks = [
            c
            for c in self.checks
            if (types is None or c.focus_classes is None or not c.focus_classes.isdisjoint(types))
            and c.top not in skipped
        ]
        groups: dict[str, list[Check]] = {}
        for check in checks:
            groups.setdefault(check.query, []).append(check)
        queries = list(groups)
        if workers > 1:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                answers = list(pool.map(runner, queries))
        else:
            answers = [runner(query) for query in queries]
        # Rows in the data's own terms (blank nodes, literals as written), when the runner knows
        restore = getattr(runner, "original", None)
        results: list[Result] = []
        for query, rows in zip(queries, answers, strict=True):
            for row in rows:
                focus = row.get("this")
                if focus is None:
                    continue
                for check in groups[query]:
                    if check.flag is not None and not _true(row.get(check.flag, Literal(False))):
                        continue
                    value = focus if check.value_is_focus else row.get("value")
                    if restore is not None:
                        focus = restore(focus)
                        value = restore(value) if value is not None else None
                    results.append(Result(focus, check, value, row.get("path")))
        return results

    @property
    def query_count(self) -> int:
        return len({c.query for c in self.checks})


# --------------------------------------------------------------------------------------------
# Compiler
# --------------------------------------------------------------------------------------------


def top_level_shapes(shapes: Graph) -> list[Node]:
    """Shapes with a target (explicit, SHACL-AF sh:target, or implicit: a shape that is also a
    class), sorted for a stable order."""
    found: set[Node] = set()
    for predicate in (*TARGET_PREDICATES, SH.target):
        found.update(shapes.subjects(predicate, None))
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in shapes.subjects(RDF.type, kind):
            if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
                found.add(shape)
    return sorted(found, key=lambda n: (isinstance(n, BNode), str(n)))


def subclass_closure(pairs: Iterable[tuple[Node, Node]]) -> dict[Node, frozenset[Node]]:
    """class -> the class and every class below it, through rdfs:subClassOf pairs (sub, super)."""
    below: dict[Node, set[Node]] = {}
    for sub, sup in pairs:
        below.setdefault(sup, set()).add(sub)
    closure: dict[Node, frozenset[Node]] = {}
    for cls in below:
        seen: set[Node] = {cls}
        todo = [cls]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        closure[cls] = frozenset(seen)
    return closure


def compile_shapes(shapes: Graph, subclass_pairs: Iterable[tuple[Node, Node]]) -> CompiledShapes:
    compiler = _Compiler(shapes, subclass_closure(subclass_pairs))
    checks: list[Check] = []
    fallback: dict[Node, str] = {}
    reach: dict[Node, Reach] = {}
    for shape in top_level_shapes(shapes):
        if compiler.deactivated(shape):
            continue
        try:
            checks.extend(compiler.top_level(shape))
        except Unsupported as exc:
            fallback[shape] = str(exc)
            continue
        reach[shape] = literal_reach(shapes, shape)
    return CompiledShapes(shapes, checks, fallback, reach)


class _Compiler:
    def __init__(self, shapes: Graph, closure: Mapping[Node, frozenset[Node]]) -> None:
        self.g = shapes
        self.closure = closure
        self._counter = itertools.count()
        self._stack: list[Node] = []
        self._custom = self._custom_parameters()

    # --- helpers ---

    def var(self, stem: str = "v") -> str:
        return f"?{stem}{next(self._counter)}"

    def deactivated(self, shape: Node) -> bool:
        return any(
            isinstance(o, Literal) and o.toPython() is True
            for o in self.g.objects(shape, SH.deactivated)
        )

    def is_property_shape(self, shape: Node) -> bool:
        return (shape, SH.path, None) in self.g

    def severity(self, shape: Node) -> URIRef:
        value = self.g.value(shape, SH.severity)
        return value if isinstance(value, URIRef) else SH.Violation

    def messages(self, shape: Node) -> tuple[Literal, ...]:
        return tuple(
            sorted(
                (m for m in self.g.objects(shape, SH.message) if isinstance(m, Literal)), key=str
            )
        )

    def items(self, node: Node, what: str) -> list[Node]:
        if node == RDF.nil:
            return []
        if (node, RDF.first, None) not in self.g:
            raise Unsupported(f"{what} is not an RDF list")
        return list(Collection(self.g, node))

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        if isinstance(node, Literal):
            if rewritten_constant(node):
                raise Unsupported(
                    f"compares with {node.n3()}, which Oxigraph would read in canonical form"
                )
            return sparql_literal(node)
        raise Unsupported(f"a blank node ({node}) cannot be named in a query")

    def classes(self, cls: Node) -> str:
        members = sorted(self.closure.get(cls, frozenset({cls})), key=str)
        return " ".join(self.term(c) for c in members)

    def params(self, shape: Node) -> list[tuple[Node, Node]]:
        """(parameter, value) pairs that constrain; refuses what is not compiled."""
        out: list[tuple[Node, Node]] = []
        for p, o in sorted(
            self.g.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))
        ):
            if p in _NOT_CONSTRAINTS:
                continue
            if p in self._custom:
                raise Unsupported(f"uses the custom constraint parameter <{p}>")
            if not str(p).startswith(str(SH)):
                continue  # rdfs:comment, skos:note, ...: annotations
            out.append((p, o))
        return out

    def _custom_parameters(self) -> set[Node]:
        found: set[Node] = set()
        for component in self.g.subjects(RDF.type, SH.ConstraintComponent):
            for parameter in self.g.objects(component, SH.parameter):
                found.update(self.g.objects(parameter, SH.path))
        return found

    # --- paths and targets ---

    def path(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in self.g:
            parts = self.items(node, "a sequence path")
            if len(parts) < 2:
                raise Unsupported("a sequence path needs two or more members")
            return "(" + "/".join(self.path(p) for p in parts) + ")"
        for predicate, op in (
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = self.g.value(node, predicate)
            if inner is not None:
                return f"({self.path(inner)}){op}"
        inner = self.g.value(node, SH.inversePath)
        if inner is not None:
            return f"^({self.path(inner)})"
        alternatives = self.g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in self.items(alternatives, "path")) + ")"
        raise Unsupported(f"unknown property path {node}")

    def focus(self, shape: Node) -> str:
        """A group pattern binding ?this to each focus node of a targeted shape (distinct)."""
        if (shape, SH.target, None) in self.g:
            raise Unsupported("uses a SHACL-AF sh:target")
        branches: list[str] = []
        classes = set(self.g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in self.g or (shape, RDF.type, OWL.Class) in self.g:
            classes.add(shape)
        members: set[Node] = set()
        for cls in classes:
            members |= self.closure.get(cls, frozenset({cls}))
        if members:
            t = self.var("t")
            listed = " ".join(self.term(c) for c in sorted(members, key=str))
            branches.append(f"?this a {t} . VALUES {t} {{ {listed} }}")
        nodes = sorted(self.g.objects(shape, SH.targetNode), key=str)
        if nodes:
            branches.append(f"VALUES ?this {{ {' '.join(self.term(n) for n in nodes)} }}")
        for p in sorted(self.g.objects(shape, SH.targetSubjectsOf), key=str):
            branches.append(f"?this {self.term(p)} {self.var('x')} .")
        for p in sorted(self.g.objects(shape, SH.targetObjectsOf), key=str):
            branches.append(f"{self.var('x')} {self.term(p)} ?this .")
        if not branches:
            raise Unsupported("has no target this compiler understands")
        union = " UNION ".join(f"{{ {b} }}" for b in branches)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    # --- top level: one query per constraint ---

    def top_level(self, shape: Node) -> list[Check]:
        focus = self.focus(shape)
        if self.is_property_shape(shape):
            checks = self.property_checks(shape, focus)
        else:
            checks = self.node_checks(shape, focus)
            for prop in sorted(self.g.objects(shape, SH.property), key=str):
                if not self.deactivated(prop):
                    checks.extend(self.property_checks(prop, focus))
        classes = self.focus_classes(shape)
        return [replace(c, focus_classes=classes, top=shape) for c in checks]

    def focus_classes(self, shape: Node) -> frozenset[Node] | None:
        """The classes whose instances are the shape's focus nodes, when it has class targets
        only (explicit or implicit); None when some focus nodes come another way."""
        if any((shape, p, None) in self.g for p in TARGET_PREDICATES[1:]):
            return None
        classes = set(self.g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in self.g or (shape, RDF.type, OWL.Class) in self.g:
            classes.add(shape)
        members: set[Node] = set()
        for cls in classes:
            members |= self.closure.get(cls, frozenset({cls}))
        return frozenset(members) or None

    def node_checks(self, shape: Node, focus: str) -> list[Check]:
        checks: list[Check] = []

        def add(component: URIRef, where: str, *, value_is_focus: bool = True) -> None:
            query = f"SELECT DISTINCT ?this WHERE {{ {focus} {where} }}"
            checks.append(
                Check(
                    shape,
                    component,
                    self.severity(shape),
                    self.messages(shape),
                    None,
                    query,
                    value_is_focus,
                )
            )

        self._stack.append(shape)
        try:
            filters: list[tuple[URIRef, str]] = []
            for param, value in self.params(shape):
                unit = BY_PARAMETER.get(param)
                if unit is not None and unit.value is not None:
                    minus = self.value_minus(param, value, "?this")
                    if minus is not None:
                        add(unit.iri, minus)
                    else:
                        cond = self.value_condition(shape, param, value, "?this")
                        filters.append((unit.iri, cond))
                elif unit is not None and unit.node_report is not None:
                    query = unit.node_report(self, shape, value, focus, "")
                    if query is not None:
                        checks.append(
                            Check(
                                shape,
                                unit.iri,
                                self.severity(shape),
                                self.messages(shape),
                                None,
                                query,
                            )
                        )
                elif unit is not None and unit.node is not None:
                    condition = unit.node(self, shape, value, "?this")
                    if condition is not None:
                        add(unit.iri, f"FILTER ({condition})", value_is_focus=False)
                else:
                    raise Unsupported(f"uses {_local(param)} on a node shape")
            if len(filters) == 1:
                add(filters[0][0], f"FILTER ({filters[0][1]})")
            elif filters:
                binds, flags = _flag_columns(filters)
                query = f"SELECT DISTINCT ?this {' '.join(flags)} WHERE {{ {focus} {binds} }}"
                for (component, _), flag in zip(filters, flags, strict=True):
                    checks.append(
                        Check(
                            shape,
                            component,
                            self.severity(shape),
                            self.messages(shape),
                            None,
                            query,
                            value_is_focus=True,
                            flag=flag[1:],
                        )
                    )
        finally:
            self._stack.pop()
        return checks

    def closed_allowed(self, shape: Node) -> str:
        allowed: set[Node] = set()
        for prop in self.g.objects(shape, SH.property):
            path = self.g.value(prop, SH.path)
            if isinstance(path, URIRef):
                allowed.add(path)
        ignored = self.g.value(shape, SH.ignoredProperties)
        if ignored is not None:
            allowed.update(self.items(ignored, "sh:ignoredProperties"))
        return ", ".join(self.term(p) for p in sorted(allowed, key=str))

    def property_checks(self, shape: Node, focus: str, carry: tuple[str, ...] = ()) -> list[Check]:
        """The checks of a property shape over the focus nodes bound by `focus`. `carry`: the
        variables of the outer focus nodes, for a property shape nested in property shapes;
        projected, so that a value node reached from two outer focus nodes is a result for
        each (SHACL validates it once per outer focus node)."""
        keep = "".join(f" {c}" for c in carry)
        path_node = self.g.value(shape, SH.path)
        assert path_node is not None
        path = self.path(path_node)
        severity, messages = self.severity(shape), self.messages(shape)
        checks: list[Check] = []

        def add(component: URIRef, query: str) -> None:
            checks.append(Check(shape, component, severity, messages, path_node, query))

        values = f"SELECT DISTINCT ?this ?value{keep} WHERE {{ {focus} ?this {path} ?value ."
        filters: list[tuple[URIRef, str]] = []
        low = [_integer(v, SH.minCount) for v in self.g.objects(shape, SH.minCount)]
        high = [_integer(v, SH.maxCount) for v in self.g.objects(shape, SH.maxCount)]
        both_counts = len(low) == 1 and len(high) == 1
        self._stack.append(shape)
        try:
            for param, value in self.params(shape):
                unit = BY_PARAMETER.get(param)
                if unit is None:
                    raise Unsupported(f"uses {_local(param)} on a property shape")
                if unit.value is not None:
                    minus = self.value_minus(param, value, "?value")
                    if minus is not None:
                        add(unit.iri, f"{values} {minus} }}")
                    else:
                        cond = self.value_condition(shape, param, value, "?value")
                        filters.append((unit.iri, cond))
                elif param in (SH.minCount, SH.maxCount) and both_counts:
                    continue  # one aggregate for both, below
                elif unit.report is not None:
                    query = unit.report(self, shape, value, focus, path)
                    if query is not None:
                        add(
                            unit.iri,
                            query.replace(
                                "SELECT DISTINCT ?this", f"SELECT DISTINCT ?this{keep}", 1
                            ),
                        )
                elif unit.values is not None:
                    for component, cond in unit.values(self, shape, value, "?this", path):
                        add(
                            component,
                            f"SELECT DISTINCT ?this{keep} WHERE {{ {focus} FILTER ({cond}) }}",
                        )
                else:
                    raise Unsupported(f"uses {_local(param)} on a property shape")
            if both_counts:
                # "Exactly one" and its kin: one count per focus node answers both (a third
                # cheaper than an EXISTS test for each over a large store).
                v = self.var()
                count = (
                    f"{{ SELECT ?this{keep} (COUNT(DISTINCT {v}) AS ?n) WHERE {{ {focus} "
                    f"OPTIONAL {{ ?this {path} {v} }} }} GROUP BY ?this{keep} }}"
                )
                query = (
                    f"SELECT ?this{keep} ?fmin ?fmax WHERE {{ {count} "
                    f"BIND (?n < {low[0]} AS ?fmin) "
                    f"BIND (?n > {high[0]} AS ?fmax) FILTER (?fmin || ?fmax) }}"
                )
                for component, flag in (
                    (SH.MinCountConstraintComponent, "fmin"),
                    (SH.MaxCountConstraintComponent, "fmax"),
                ):
                    checks.append(
                        Check(shape, component, severity, messages, path_node, query, flag=flag)
                    )
            if len(filters) == 1:
                add(filters[0][0], f"{values} FILTER ({filters[0][1]}) }}")
            elif filters:
                binds, flags = _flag_columns(filters)
                query = values.replace(
                    f"?value{keep} WHERE", f"?value{keep} {' '.join(flags)} WHERE", 1
                )
                query = f"{query} {binds} }}"
                for (component, _), flag in zip(filters, flags, strict=True):
                    checks.append(
                        Check(shape, component, severity, messages, path_node, query, flag=flag[1:])
                    )
            # SHACL 4.8.2 on a property shape: every value node is a focus node of the nested
            # property shape, whose results are reported as its own.
            nested = sorted(self.g.objects(shape, SH.property), key=str)
            if nested:
                outer = self.var("f")
                renamed = re.sub(r"\?this\b", outer, focus)
                values_focus = (
                    f"{{ SELECT DISTINCT{keep} {outer} ?this WHERE "
                    f"{{ {renamed} {outer} {path} ?this }} }}"
                )
                for prop in nested:
                    if not self.deactivated(prop):
                        checks.extend(self.property_checks(prop, values_focus, (*carry, outer)))
        finally:
            self._stack.pop()
        return checks

    # --- conditions: SPARQL boolean expressions, true when a node violates ---

    def value_minus(self, param: Node, value: Node, v: str) -> str | None:
        """A class or sh:in check as a MINUS over the allowed nodes (an anti-join Oxigraph
        evaluates once, rather than an EXISTS per row: several times faster over a large store),
        or None for the other constraints (a FILTER). `v` is the only variable the MINUS pattern
        shares with the query, so it removes exactly the conforming rows."""
        classes = self.class_members(param, value)
        if classes is not None:
            t = self.var("t")
            listed = " ".join(self.term(c) for c in sorted(classes, key=str))
            return f"MINUS {{ {v} a {t} . VALUES {t} {{ {listed} }} }}"
        if param == SH["in"]:
            listed = " ".join(self.term(m) for m in self.items(value, "sh:in"))
            return f"MINUS {{ VALUES {v} {{ {listed} }} }}"
        return None

    def class_members(self, param: Node, value: Node) -> set[Node] | None:
        """The classes a value node must be an instance of (one of), when the constraint is a
        class check: sh:class C, or sh:or over shapes that each only say sh:class (IsActor,
        IsPlace ...). None for any other constraint."""
        if param == SH["class"]:
            return set(self.closure.get(value, frozenset({value})))
        if param != SH["or"]:
            return None
        members: set[Node] = set()
        for shape in self.items(value, "sh:or"):
            params = self.params(shape) if not self.deactivated(shape) else []
            if (
                len(params) != 1
                or params[0][0] != SH["class"]
                or self.is_property_shape(shape)
                or (shape, SH.property, None) in self.g
            ):
                return None
            members |= self.closure.get(params[0][1], frozenset({params[0][1]}))
        return members or None

    def value_condition(self, shape: Node, param: Node, value: Node, v: str) -> str:
        """True when the value node `v` violates the constraint (param, value) of `shape`."""
        unit = BY_PARAMETER.get(param)
        if unit is None or unit.value is None:
            raise Unsupported(f"uses {_local(param)}")
        return unit.value(self, shape, value, v)

    def focus_conditions(
        self, shape: Node, param: Node, value: Node, x: str, path: str
    ) -> list[tuple[URIRef, str]]:
        """Constraints on a focus node's set of values: (component, violation condition)."""
        unit = BY_PARAMETER.get(param)
        if unit is None or unit.values is None:
            raise Unsupported(f"uses {_local(param)}")
        return unit.values(self, shape, value, x, path)

    def qualified_conforms(self, shape: Node, qualified: Node) -> Callable[[str], str]:
        siblings: set[Node] = set()
        if any(_true(o) for o in self.g.objects(shape, SH.qualifiedValueShapesDisjoint)):
            for parent in self.g.subjects(SH.property, shape):
                for prop in self.g.objects(parent, SH.property):
                    siblings.update(self.g.objects(prop, SH.qualifiedValueShape))
            siblings.discard(qualified)

        def conforms(v: str) -> str:
            parts = [f"!{self.violates(qualified, v)}"]
            parts += [self.violates(s, v) for s in sorted(siblings, key=str)]
            return " && ".join(parts)

        return conforms

    def count_condition(
        self,
        x: str,
        path: str,
        where: Callable[[str], str] | None,
        op: str,
        n: int,
        *,
        negate: bool,
    ) -> str:
        """(NOT) EXISTS a group of x's distinct values (satisfying `where`) of size `op n`. The
        subquery projects x, so it joins with the bound x whether or not the engine correlates."""
        v, c = self.var(), self.var("c")
        filt = f" FILTER ({where(v)})" if where is not None else ""
        group = (
            f"{{ SELECT {x} (COUNT(DISTINCT {v}) AS {c}) WHERE {{ {x} {path} {v} .{filt} }} "
            f"GROUP BY {x} }}"
        )
        exists = f"EXISTS {{ {group} FILTER ({c} {op} {n}) }}"
        return f"NOT {exists}" if negate else exists

    def violates(self, shape: Node, x: str) -> str:
        """A boolean expression: the node bound to `x` does not conform to `shape`."""
        if self.deactivated(shape):
            return "false"
        if shape in self._stack:
            raise Unsupported(f"is recursive through {shape}")
        self._stack.append(shape)
        try:
            parts: list[str] = []
            if self.is_property_shape(shape):
                parts += self.property_violations(shape, x)
            else:
                for param, value in self.params(shape):
                    unit = BY_PARAMETER.get(param)
                    if unit is not None and unit.value is not None:
                        parts.append(self.value_condition(shape, param, value, x))
                    elif unit is not None and unit.node is not None:
                        condition = unit.node(self, shape, value, x)
                        if condition is not None:
                            parts.append(condition)
                    else:
                        raise Unsupported(f"uses {_local(param)} on a node shape")
                for prop in sorted(self.g.objects(shape, SH.property), key=str):
                    parts.append(self.violates(prop, x))
        finally:
            self._stack.pop()
        return "(" + " || ".join(parts) + ")" if parts else "false"

    def property_violations(self, shape: Node, x: str) -> list[str]:
        path_node = self.g.value(shape, SH.path)
        assert path_node is not None
        path = self.path(path_node)
        parts: list[str] = []
        for param, value in self.params(shape):
            unit = BY_PARAMETER.get(param)
            if unit is not None and unit.value is not None:
                v = self.var()
                cond = self.value_condition(shape, param, value, v)
                parts.append(f"EXISTS {{ {x} {path} {v} . FILTER ({cond}) }}")
            elif unit is not None and unit.values is not None:
                parts += [c for _, c in unit.values(self, shape, value, x, path)]
            else:
                raise Unsupported(f"uses {_local(param)} on a property shape")
        for nested in sorted(self.g.objects(shape, SH.property), key=str):
            # SHACL 4.8.2: each value node conforms to the nested property shape.
            v = self.var()
            parts.append(f"EXISTS {{ {x} {path} {v} . FILTER ({self.violates(nested, v)}) }}")
        return parts


# --------------------------------------------------------------------------------------------
# Running: over an rdflib graph (per ingest) or through a runner (a store's accepted partition)
# --------------------------------------------------------------------------------------------


class GraphRunner:
    """An in-memory Oxigraph store holding the given triples in its default graph (one ingest's
    delta, context and class hierarchy: a few hundred triples), run as a Runner.

    Rows come back in the data's own terms: a blank node as the rdflib node it was, a literal
    Oxigraph rewrote (service/gate/engines/literals.py) as it was written. `rewrites` says which
    literals were rewritten, so that the caller can send the shapes they reach to pyshacl."""

    def __init__(self, *graphs: Iterable[tuple[Node, Node, Node]], ntriples: bytes = b"") -> None:
        self.engine = ox.Store()
        # N-Triples (what a store's CONSTRUCT serialises) go straight into the engine: no
        # rdflib terms made and unmade on the way. They come from a store, so they are in the
        # store's (canonical) form already.
        if ntriples:
            self.engine.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
        self.loaded = len(self.engine)
        convert = ToOxigraph()
        # A blank node keeps its identity across graphs, and is known again in the rows.
        bnodes: dict[BNode, ox.BlankNode] = {}
        quads: list[ox.Quad] = []
        literals: dict[ox.Literal, tuple[Literal, set[URIRef]]] = {}

        def blank(node: BNode) -> ox.BlankNode:
            found = bnodes.get(node)
            if found is None:
                found = bnodes[node] = ox.BlankNode()
            return found

        for graph in graphs:
            for s, p, o in graph:
                subject = blank(s) if isinstance(s, BNode) else convert(s)
                predicate = convert(p)
                # rdflib allows a literal subject or a non-IRI predicate; RDF (and Oxigraph) do
                # not, and no shape can reach such a triple through a path.
                if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
                    continue
                obj = blank(o) if isinstance(o, BNode) else convert(o)
                if isinstance(o, Literal) and may_be_rewritten(o):
                    assert isinstance(obj, ox.Literal) and isinstance(p, URIRef)
                    literals.setdefault(obj, (o, set()))[1].add(p)
                quads.append(ox.Quad(subject, predicate, obj, ox.DefaultGraph()))
        self.originals: dict[Node, Node] = {
            BNode(engine.value): original for original, engine in bnodes.items()
        }
        self.rewrites = self._rewrites(literals)
        self.engine.extend(quads)
        self.size = len(self.engine)  # distinct triples

    def _rewrites(self, literals: Mapping[ox.Literal, tuple[Literal, set[URIRef]]]) -> Rewrites:
        found = Rewrites()
        stored = canonical_forms(literals)
        became: dict[Node, Node] = {}
        for written, form in stored.items():
            original, predicates = literals[written]
            key = exact_term(form)
            if key in became and became[key] != original:
                found.collapsed.append((became[key], original))
            became[key] = original
            kinds = rewrite_kinds(written, form)
            if not kinds:
                continue
            if "lexical" in kinds and not same_value(original, key):
                # Oxigraph read more into the form than rdflib (and pyshacl) do: "2011-01-01" as
                # an xsd:dateTime became midnight. Its validity may differ, so datatype checks
                # cannot trust the stored form either.
                kinds = kinds | {"datatype"}
            self.originals[key] = original
            for kind in kinds:
                found.predicates.setdefault(kind, set()).update(predicates)
                found.example.setdefault(kind, (original, key))
        return found

    def original(self, term: Node) -> Node:
        """A term of a row as the data wrote it."""
        return self.originals.get(term, term)

    def types(self) -> set[Node]:
        """Every class with an instance in the data."""
        return {row["t"] for row in self("SELECT DISTINCT ?t WHERE { ?s a ?t }") if "t" in row}

    def subclass_pairs(self) -> frozenset[tuple[Node, Node]]:
        rows = self(f"SELECT ?a ?b WHERE {{ ?a <{RDFS.subClassOf}> ?b }}")
        return frozenset((r["a"], r["b"]) for r in rows if "a" in r and "b" in r)

    def __call__(self, query: str) -> list[dict[str, Node]]:
        result = self.engine.query(query)
        try:
            assert isinstance(result, ox.QuerySolutions)
            names = [v.value for v in result.variables]
            return [
                {name: exact_term(term) for name in names if (term := row[name]) is not None}
                for row in result
            ]
        finally:
            # Dropped in this (worker) thread even on an error: engine results are unsendable.
            del result


def report_graph(results: Sequence[Result], shapes: Graph, data: Graph | None = None) -> Graph:
    """A SHACL validation report (sh:ValidationReport) holding `results`, in the form pyshacl
    writes, so that one report reader serves both engines. With `data`, a blank focus node or
    value comes with its description (its bounded description in the data), as in pyshacl's
    report: without it, a blank node in a report names nothing."""
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    # SHACL 3.6.1: a report conforms when it has no result, whatever the severities.
    report.add((root, SH.conforms, Literal(not results)))
    copied: dict[Node, Node] = {}
    for r in results:
        node = BNode()
        report.add((root, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, r.focus))
        report.add((node, SH.resultSeverity, r.check.severity))
        report.add((node, SH.sourceConstraintComponent, r.check.component))
        report.add((node, SH.sourceShape, r.check.shape))
        for message in r.check.messages or (Literal(default_message(r)),):
            report.add((node, SH.resultMessage, message))
        if r.value is not None:
            report.add((node, SH.value, r.value))
        if isinstance(r.check.shape, BNode) and r.check.shape not in copied:
            copied[r.check.shape] = _copy_path(r.check.shape, shapes, report)
        if data is not None:
            for term in (r.focus, r.value):
                if isinstance(term, BNode) and term not in copied:
                    copied[term] = _copy_path(term, data, report)
        path = r.path if r.path is not None else r.check.path
        if path is not None:
            if path not in copied:
                copied[path] = _copy_path(path, shapes, report)
            report.add((node, SH.resultPath, copied[path]))
    return report


def merge_reports(first: Graph, second: Graph) -> Graph:
    """One report with the results of both (a compiled run and a pyshacl fallback run)."""
    merged = Graph()
    root = BNode()
    merged.add((root, RDF.type, SH.ValidationReport))
    conforms = True
    for report in (first, second):
        roots = set(report.subjects(RDF.type, SH.ValidationReport))
        for rep in roots:
            value = report.value(rep, SH.conforms)
            if isinstance(value, Literal) and value.toPython() is False:
                conforms = False
            for result in report.objects(rep, SH.result):
                merged.add((root, SH.result, result))
                conforms = False
        for s, p, o in report:
            if s not in roots:
                merged.add((s, p, o))
    merged.add((root, SH.conforms, Literal(conforms)))
    return merged


def default_message(result: Result) -> str:
    name = _local(result.check.component).removesuffix("ConstraintComponent")
    value = f" (value {result.value.n3()})" if result.value is not None else ""
    return f"{name} constraint not satisfied{value}"


def exact_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """An engine term as an rdflib term, a literal exactly as the engine holds it (rdflib would
    otherwise rewrite its lexical form: "2011-01-01"^^xsd:dateTime to midnight)."""
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language, normalize=False)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value, normalize=False)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    return to_rdflib(term)


def _copy_path(path: Node, source: Graph, target: Graph) -> Node:
    if isinstance(path, URIRef):
        return path
    todo, seen = [path], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in source.predicate_objects(node):
            target.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return path


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _flag_columns(filters: Sequence[tuple[URIRef, str]]) -> tuple[str, list[str]]:
    """BIND clauses computing each violation condition into its own column, and a FILTER that
    keeps the rows where any is true (the conditions never raise: each is COALESCEd or a
    boolean of EXISTS tests)."""
    flags = [f"?f{i}" for i in range(len(filters))]
    binds = " ".join(
        f"BIND ({cond} AS {flag})" for (_, cond), flag in zip(filters, flags, strict=True)
    )
    return f"{binds} FILTER ({' || '.join(flags)})", flags
