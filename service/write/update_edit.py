"""SPARQL 1.1 Update, computed as a checked graph edit (service/write/graph_edit.py) instead of
being run on the store as written.

Each operation is applied, in order, to copies of the graphs it touches. The WHERE pattern of
DELETE/INSERT … WHERE and of DELETE WHERE is evaluated by the store's engine (a SELECT over the
store's dataset, so the union default graph means what it means in a query); the templates are
then filled in here, with the SPARQL 1.1 Update rules: every solution is computed before anything
changes, deletions go before insertions, a template triple with an unbound variable or an
ill-formed term is skipped, and a blank node in an INSERT template is a fresh node per solution.
Graph management (LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) works on whole graphs.

The engine sees the store as it was before the request. An operation whose WHERE (or source)
reads a graph that an earlier operation of the same request changed would see stale data, so such
a request is refused (E424) rather than answered wrongly: send the operations one by one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from entente.errors import EntenteError
from entente.service.query.screen import ScreenedUpdate, parse_update
from entente.service.store.base import ResultFormat, Store
from entente.service.write.graph_edit import GraphChanges, WorkingSet, default_graph_refused
from entente.service.write.update_parse import split_operations
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, Variable

Loader = Callable[[str], Graph]
Triple = tuple[Node, Node, Node]
Solution = dict[str, Node]
WHERE = "update"
_XSD_STRING = str(XSD.string)


@dataclass(frozen=True)
class _Template:
    """One triple pattern of a template and the graph it goes to (an IRI, or a variable)."""

    graph: Node
    triple: Triple


@dataclass(frozen=True)
class ProtocolDataset:
    """The Protocol's using-graph-uri / using-named-graph-uri: the dataset of every WHERE."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def compute_update(
    store: Store,
    screened: ScreenedUpdate,
    *,
    load: Loader,
    solution_limit: int,
    dataset: ProtocolDataset | None = None,
) -> GraphChanges:
    """What `screened` would change, as new graph contents; the store is not touched.

    Raises E419 (a graph that cannot be written, the default graph), E421 (an operation on a graph
    that does not exist, without SILENT), E424 (a later operation reads what an earlier one
    wrote), E411 (a WHERE with more than `solution_limit` solutions), E401 (constructs the
    Update grammar forbids, such as blank nodes in DELETE), and the loader's errors for LOAD."""
    tree = parse_update(screened.text)
    algebra = list(translateUpdate(tree).algebra)
    texts = split_operations(screened.text)
    if len(texts) != len(algebra):  # the lexical and the parsed reading disagree: fail closed
        raise EntenteError(
            "E401",
            f"the update reads as {len(algebra)} operation(s) to the parser and "
            f"{len(texts)} to the splitter; refused",
            where=WHERE,
        )
    if dataset is not None and any(
        op.name == "Modify" and (op.using or op.withClause is not None) for op in algebra
    ):
        raise EntenteError(
            "E415",
            "using-graph-uri / using-named-graph-uri cannot be combined with USING, USING NAMED "
            "or WITH in the update (SPARQL 1.1 Protocol)",
            where="using-graph-uri",
        )
    run = _Run(store, WorkingSet(store, where=WHERE), screened, load, solution_limit, dataset)
    for operation, text, prologue in zip(algebra, texts, _prologues(tree), strict=True):
        run.apply(operation, text.last_group, prologue)
    return run.ws.changes()


def _prologues(tree: Any) -> Iterator[str]:
    """The BASE and PREFIX declarations in scope for each operation, as text (each operation's
    prologue adds to those before it)."""
    lines: list[str] = []
    for declarations in tree.prologue or ():
        for decl in declarations or ():
            if decl.name == "Base":
                lines.append(f"BASE <{decl.iri}>")
            elif decl.name == "PrefixDecl":
                lines.append(f"PREFIX {decl.prefix or ''}: <{decl.iri}>")
        yield "".join(line + "\n" for line in lines)


class _Run:
    def __init__(
        self,
        store: Store,
        ws: WorkingSet,
        screened: ScreenedUpdate,
        load: Loader,
        solution_limit: int,
        dataset: ProtocolDataset | None,
    ) -> None:
        self.store = store
        self.ws = ws
        self.allowed_loads = set(screened.loads)
        self.load = load
        self.solution_limit = solution_limit
        self.dataset = dataset

    def apply(self, op: CompValue, where_text: str | None, prologue: str) -> None:
        handler = getattr(self, f"_op_{op.name}", None)
        if handler is None:  # the grammar has no other operations; fail closed if rdflib adds one
            raise EntenteError("E401", f"unsupported update operation {op.name}", where=WHERE)
        handler(op, where_text, prologue)

    # --- data -----------------------------------------------------------------------------------

    def _op_InsertData(self, op: CompValue, _: str | None, __: str) -> None:
        templates = _templates(op, default_graph=None)
        fresh: dict[BNode, BNode] = {}
        for t in templates:
            triple = tuple(_fresh(term, fresh) for term in t.triple)
            self.ws.target(str(t.graph)).add(triple)  # type: ignore[arg-type]

    def _op_DeleteData(self, op: CompValue, _: str | None, __: str) -> None:
        templates = _templates(op, default_graph=None)
        _no_blank_nodes(templates, "DELETE DATA")
        for t in templates:
            name = str(t.graph)
            self.ws.writable(name)
            graph = self.ws.get(name)
            if graph is not None:
                graph.remove(t.triple)

    # --- pattern-based --------------------------------------------------------------------------

    def _op_DeleteWhere(self, op: CompValue, where_text: str | None, prologue: str) -> None:
        templates = _templates(op, default_graph=None)
        _no_blank_nodes(templates, "DELETE WHERE")
        group = _required(where_text)
        if self.dataset is not None:
            default_graphs, named_graphs = self._protocol_dataset()
            self._check_reads({*default_graphs, *named_graphs})
            solutions = self._solutions(prologue, group, default_graphs, named_graphs)
        else:
            self._check_reads(_graph_names(t.graph for t in templates))
            solutions = self._solutions(prologue, group, None, None)
        self._delete(_fill(templates, solutions, fresh=False))

    def _protocol_dataset(self) -> tuple[list[str], list[str]]:
        assert self.dataset is not None
        return list(self.dataset.default_graphs), list(self.dataset.named_graphs)

    def _op_Modify(self, op: CompValue, where_text: str | None, prologue: str) -> None:
        with_graph = str(op.withClause) if op.withClause is not None else None
        deletions = _templates(op.delete, default_graph=with_graph) if op.delete else []
        insertions = _templates(op.insert, default_graph=with_graph) if op.insert else []
        _no_blank_nodes(deletions, "a DELETE template")
        using = [u.default for u in op.using or () if u.default is not None]
        using_named = [u.named for u in op.using or () if u.named is not None]
        group = _required(where_text)
        default_graphs: list[str] | None = None
        named_graphs: list[str] | None = None
        reads: set[str] | None
        if self.dataset is not None:
            default_graphs, named_graphs = self._protocol_dataset()
            reads = {*default_graphs, *named_graphs}
        elif op.using:
            # USING / USING NAMED are the whole dataset of the WHERE (no USING NAMED: none).
            default_graphs = [str(g) for g in using]
            named_graphs = [str(g) for g in using_named]
            reads = {*default_graphs, *named_graphs}
        elif with_graph is not None:
            # WITH <g>: the pattern's default graph is g; GRAPH blocks inside still reach the
            # named graphs, which is what a GRAPH <g> { … } wrapper gives.
            group = f"{{ GRAPH <{with_graph}> {group} }}"
            inner = _graph_names(_graph_terms(op.where))
            reads = None if inner is None else {with_graph, *inner}
        else:
            reads = _where_reads(op.where)
        self._check_reads(reads)
        solutions = self._solutions(prologue, group, default_graphs, named_graphs)
        self._delete(_fill(deletions, solutions, fresh=False))
        for name, triple in _fill(insertions, solutions, fresh=True):
            self.ws.target(name).add(triple)

    def _delete(self, quads: Sequence[tuple[str, Triple]]) -> None:
        for name, triple in quads:
            self.ws.writable(name)
            graph = self.ws.get(name)
            if graph is not None:
                graph.remove(triple)

    def _solutions(
        self,
        prologue: str,
        group: str,
        default_graphs: list[str] | None,
        named_graphs: list[str] | None,
    ) -> list[Solution]:
        limit = self.solution_limit
        text = f"{prologue}SELECT * WHERE {group}\nLIMIT {limit + 1}"
        result = self.store.query(
            text, ResultFormat.JSON, default_graphs=default_graphs, named_graphs=named_graphs
        )
        rows = json.loads(result.body)["results"]["bindings"]
        if len(rows) > limit:
            raise EntenteError(
                "E411",
                f"the update's WHERE matches more than {limit} solutions (this server's limit); "
                "narrow it or split the update",
                where=WHERE,
            )
        return [{name: _term(value) for name, value in row.items()} for row in rows]

    def _check_reads(self, reads: set[str] | None) -> None:
        """E424 when this operation reads a graph an earlier operation changed (None: it reads
        the default graph, the union of every graph)."""
        touched = self.ws.touched()
        if not touched:
            return
        if reads is None or reads & touched:
            overlap = sorted(touched if reads is None else reads & touched)
            raise EntenteError(
                "E424",
                "an operation reads what an earlier operation of the same request changed "
                f"({', '.join(f'<{g}>' for g in overlap[:3])}); entente computes a request "
                "against the store as it was, so send these operations as separate requests",
                where=WHERE,
            )

    # --- graph management -----------------------------------------------------------------------

    def _op_Load(self, op: CompValue, _: str | None, __: str) -> None:
        source = str(op.iri)
        if source not in self.allowed_loads:  # screening refuses these first; stay closed anyway
            raise EntenteError("E403", f"LOAD <{source}> is not allow-listed", where=WHERE)
        if op.graphiri is None:
            raise default_graph_refused(WHERE)
        name = str(op.graphiri)
        self.ws.writable(name)
        try:
            loaded = self.load(source)
        except EntenteError:
            if op.silent:  # a failed LOAD SILENT changes nothing, not even an empty graph
                return
            raise
        target = self.ws.target(name)
        for triple in loaded:
            target.add(triple)

    def _op_Clear(self, op: CompValue, _: str | None, __: str) -> None:
        self._empty(op, drop=False)

    def _op_Drop(self, op: CompValue, _: str | None, __: str) -> None:
        self._empty(op, drop=True)

    def _empty(self, op: CompValue, *, drop: bool) -> None:
        keyword = "DROP" if drop else "CLEAR"
        ref = op.graphiri
        if ref == "DEFAULT":
            raise default_graph_refused(WHERE)
        if ref in ("NAMED", "ALL"):
            raise EntenteError(
                "E419",
                f"{keyword} {ref} would also empty the graphs entente builds itself (ontology, "
                f"gazetteer); {keyword.lower()} graphs by name",
                where=WHERE,
            )
        name = str(ref)
        if self.ws.get(name) is None:
            if op.silent:
                return
            raise _unknown(name, keyword)
        self.ws.replace(name, None if drop else Graph())

    def _op_Create(self, op: CompValue, _: str | None, __: str) -> None:
        name = str(op.graphiri)
        if self.ws.get(name) is not None:
            if op.silent:
                return
            raise EntenteError("E419", f"CREATE: <{name}> exists already", where=WHERE)
        self.ws.replace(name, Graph())

    def _op_Add(self, op: CompValue, _: str | None, __: str) -> None:
        self._transfer(op, "ADD")

    def _op_Copy(self, op: CompValue, _: str | None, __: str) -> None:
        self._transfer(op, "COPY")

    def _op_Move(self, op: CompValue, _: str | None, __: str) -> None:
        self._transfer(op, "MOVE")

    def _transfer(self, op: CompValue, keyword: str) -> None:
        source_ref, target_ref = op.graph
        if source_ref == target_ref:  # the Update spec: a no-op
            return
        if target_ref == "DEFAULT" or (keyword == "MOVE" and source_ref == "DEFAULT"):
            raise default_graph_refused(WHERE)
        if source_ref == "DEFAULT":
            self._check_reads(None)
            source = self._union()
        else:
            found = self.ws.get(str(source_ref))
            if found is None:
                if op.silent:
                    return
                raise _unknown(str(source_ref), keyword)
            source = found
        target = str(target_ref)
        if keyword == "ADD":
            into = self.ws.target(target)
            for triple in source:
                into.add(triple)
            return
        self.ws.replace(target, source)
        if keyword == "MOVE":
            self.ws.replace(str(source_ref), None)

    def _union(self) -> Graph:
        limit = self.solution_limit
        graph = self.store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {limit + 1}"
        )
        if len(graph) > limit:
            raise EntenteError(
                "E411",
                f"the default graph holds more than {limit} triples (this server's limit)",
                where=WHERE,
            )
        return graph


# --- templates ----------------------------------------------------------------------------------


def _templates(clause: CompValue, *, default_graph: str | None) -> list[_Template]:
    """The triple patterns of a template or data block with their target graph. Triples outside
    GRAPH go to `default_graph` (WITH), and are refused when there is none."""
    out: list[_Template] = []
    triples = clause.get("triples") or []
    if triples:
        if default_graph is None:
            raise default_graph_refused(WHERE)
        out.extend(_Template(URIRef(default_graph), tuple(t)) for t in triples)
    quads: Mapping[Node, Sequence[Triple]] = clause.get("quads") or {}
    for graph, block in quads.items():
        out.extend(_Template(graph, tuple(t)) for t in block)  # type: ignore[arg-type]
    return out


def _no_blank_nodes(templates: Sequence[_Template], what: str) -> None:
    if any(isinstance(term, BNode) for t in templates for term in t.triple):
        raise EntenteError(
            "E401", f"blank nodes are not allowed in {what} (SPARQL 1.1 Update)", where=WHERE
        )


def _fill(
    templates: Sequence[_Template], solutions: Sequence[Solution], *, fresh: bool
) -> list[tuple[str, Triple]]:
    out: list[tuple[str, Triple]] = []
    for solution in solutions:
        bnodes: dict[BNode, BNode] = {}
        for t in templates:
            graph = _bind(t.graph, solution)
            if not isinstance(graph, URIRef):
                continue
            terms = [_bind(term, solution) for term in t.triple]
            if any(term is None for term in terms):
                continue
            if fresh:
                terms = [_fresh(term, bnodes) for term in terms]  # type: ignore[arg-type]
            s, p, o = terms
            if isinstance(s, URIRef | BNode) and isinstance(p, URIRef) and o is not None:
                out.append((str(graph), (s, p, o)))
    return out


def _bind(term: Node, solution: Solution) -> Node | None:
    if isinstance(term, Variable):
        return solution.get(str(term))
    return term


def _fresh(term: Node, bnodes: dict[BNode, BNode]) -> Node:
    if isinstance(term, BNode):
        node = bnodes.get(term)
        if node is None:
            node = bnodes[term] = BNode()
        return node
    return term


def _graph_terms(node: Any) -> Iterator[Node]:
    """The graph term of every GRAPH pattern in an algebra tree."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, CompValue):
            if current.name in ("Graph", "GraphGraphPattern"):
                yield current.term
            stack.extend(current.values())
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple):
            stack.extend(current)


def _where_reads(where: Any) -> set[str] | None:
    """The named graphs a WHERE pattern reads, or None when it reads the default graph (the union
    of every graph) or a GRAPH ?variable: a triple pattern outside every GRAPH block reads the
    default graph."""
    names: set[str] = set()
    stack: list[tuple[Any, bool]] = [(where, False)]
    while stack:
        current, inside_graph = stack.pop()
        if isinstance(current, CompValue):
            # Graph / BGP in translated algebra; GraphGraphPattern / TriplesBlock inside EXISTS,
            # which rdflib leaves untranslated.
            if current.name in ("Graph", "GraphGraphPattern"):
                if not isinstance(current.term, URIRef):
                    return None
                names.add(str(current.term))
                inside_graph = True
            elif current.name in ("BGP", "TriplesBlock") and current.triples and not inside_graph:
                return None
            stack.extend((value, inside_graph) for value in current.values())
        elif isinstance(current, dict):
            stack.extend((value, inside_graph) for value in current.values())
        elif isinstance(current, list | tuple):
            stack.extend((value, inside_graph) for value in current)
    return names


def _graph_names(terms: Iterator[Node] | Any) -> set[str] | None:
    """Named graphs read by GRAPH terms; None when one is a variable (any graph)."""
    names: set[str] = set()
    for term in terms:
        if not isinstance(term, URIRef):
            return None
        names.add(str(term))
    return names


def _required(group: str | None) -> str:
    if group is None:
        raise EntenteError("E401", "the operation has no WHERE pattern", where=WHERE)
    return group


def _unknown(name: str, keyword: str) -> EntenteError:
    return EntenteError(
        "E421",
        f"{keyword}: the graph <{name}> does not exist (add SILENT to ignore this)",
        where=WHERE,
    )


def _term(value: Mapping[str, str]) -> Node:
    """A term of the SPARQL JSON results format, as the store's rdflib terms read."""
    kind, text = value.get("type"), value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(text, lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != _XSD_STRING:
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    raise EntenteError("E412", f"a WHERE solution holds a {kind} term", where=WHERE)
