"""Direct edits of named graphs (SPARQL Update, the Graph Store Protocol), checked by the SHACL
gate before they are committed, and committed in one store transaction.

An edit is computed first, on copies of the graphs it touches (`WorkingSet`): nothing reaches the
store until the whole request has been computed and the new contents of every graph it changes
have passed the gate. Then one `Store.put_graphs` call writes the changed graphs and drops the
dropped ones, which also keeps the store's default graph equal to the union of its named graphs.
docs/decisions/0003-updates-and-the-gate.md gives the reasons and the limits.

Which graphs may be written (`check_writable`):
  * a graph of the client's own (any IRI outside https://w3id.org/entente/graph/): yes;
  * an accepted document's graph (graph:document/<sha256>) that exists: yes, through the gate;
    a new one: no, documents enter through POST /documents (reading, analysis, versions);
  * the reference graphs (graph:ontology, graph:gazetteer), quarantine names and anything else
    under graph/: no, they are built by entente itself;
  * the default graph: no, it is the union of the named graphs (sd:UnionDefaultGraph).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from entente.errors import EntenteError
from entente.ontology.vocab import GRAPH_BASE
from entente.service.gate.gate import Gate, ValidationOutcome
from entente.service.store.base import Store
from entente.service.write import corroboration
from entente.service.write.release import release
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

DOCUMENT_GRAPHS = GRAPH_BASE + "document/"
AS_OF_INDEX = GRAPH_BASE + "asof/"

Triple = tuple[Node, Node, Node]


class WriteRefused(EntenteError):
    """E420: the edit would break a shape. Carries the gate's outcome, which the JSON error body
    shows beside the error (`"validation": {...}`)."""

    def __init__(self, outcome: ValidationOutcome, *, where: str) -> None:
        shown = "; ".join(v.render().replace("\n", " ") for v in outcome.violations[:5])
        more = len(outcome.violations) - 5
        super().__init__(
            "E420",
            f"the change would leave {len(outcome.violations)} SHACL violation(s): {shown}"
            + (f"; and {more} more" if more > 0 else ""),
            where=where,
        )
        self.outcome = outcome

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "validation": self.outcome.as_dict()}


def check_writable(graph: str, *, exists: bool, where: str) -> None:
    """Raise E419 unless a direct edit may write `graph` (see the module docstring)."""
    if graph.startswith(DOCUMENT_GRAPHS):
        if not exists:
            raise EntenteError(
                "E419",
                f"<{graph}> is not an accepted document's graph; new documents enter through "
                "POST /documents, which reads, analyses and validates them",
                where=where,
            )
        return
    if graph.startswith(GRAPH_BASE):
        raise EntenteError(
            "E419",
            f"<{graph}> is built by entente itself (reference data from ontology/*.ttl, or "
            "quarantine); it cannot be written through the API",
            where=where,
        )


def default_graph_refused(where: str) -> EntenteError:
    return EntenteError(
        "E419",
        "the default graph is the union of the named graphs and is not written directly; "
        "name a graph (GRAPH <g> { … }, WITH <g>, INTO GRAPH <g>, or ?graph=<g>)",
        where=where,
    )


def check_graph_iri(value: str, *, where: str) -> str:
    iri = value.strip()
    if not iri or ":" not in iri or any(c in iri for c in ' <>"{}|^`\\\n\r\t'):
        raise EntenteError("E415", f"{value!r} is not an absolute IRI", where=where)
    return iri


class _Unchanged:
    """A graph an edit has read but not written: its copy is made on first write access."""


_UNCHANGED = _Unchanged()


@dataclass
class WorkingSet:
    """Copies of the graphs an edit touches, as the edit leaves them. A graph is read from the
    store on first use and copied on first write access (`get`, `target`); None stands for a
    graph that does not exist."""

    store: Store
    where: str
    _before: dict[str, Graph | None] = field(default_factory=dict)
    _now: dict[str, Graph | _Unchanged | None] = field(default_factory=dict)

    def get(self, name: str) -> Graph | None:
        """The graph as the edit has left it so far (None: it does not exist), to read or to
        change in place."""
        self._load(name)
        now = self._now[name]
        if isinstance(now, _Unchanged):
            before = self._before[name]
            assert before is not None
            now = self._now[name] = _copy(before, name)
        return now

    def existed(self, name: str) -> bool:
        self._load(name)
        return self._before[name] is not None

    def writable(self, name: str) -> None:
        check_writable(name, exists=self.existed(name), where=self.where)

    def target(self, name: str) -> Graph:
        """The graph to write into, created when it does not exist yet (after the check)."""
        self.writable(name)
        graph = self.get(name)
        if graph is None:
            graph = self._now[name] = Graph(identifier=URIRef(name))
        return graph

    def replace(self, name: str, graph: Graph | None) -> None:
        """Set a graph's whole content (None drops it); `graph` is copied."""
        self.writable(name)
        self._now[name] = None if graph is None else _copy(graph, name)

    def adopt(self, name: str, graph: Graph) -> None:
        """Set a graph's whole content to `graph` itself, not a copy: the caller hands it over
        (a body it parsed) and must neither change nor release it afterwards. Saves copying a
        large Graph Store Protocol body triple by triple."""
        self.writable(name)
        self._now[name] = graph

    def touched(self) -> set[str]:
        """Graphs whose content changed so far."""
        return {name for name, diff in self._diffs().items() if diff.changed}

    def changes(self) -> GraphChanges:
        written: dict[str, Graph] = {}
        dropped: list[str] = []
        inserted = deleted = 0
        for name, diff in sorted(self._diffs().items()):
            if not diff.changed:
                continue
            inserted += diff.inserted
            deleted += diff.deleted
            now = self._now[name]
            if now is None:
                dropped.append(name)
            else:
                assert isinstance(now, Graph)
                written[name] = now
        before_graphs = {n: self._before[n] for n in [*written, *dropped]}
        return GraphChanges(written, dropped, before_graphs, inserted, deleted)

    def _diffs(self) -> dict[str, _Diff]:
        return {
            name: _diff(self._before[name], now)
            for name, now in self._now.items()
            if not isinstance(now, _Unchanged)
        }

    def _load(self, name: str) -> None:
        if name in self._now:
            return
        graph: Graph | None = None
        if self.store.has_graph(name):
            graph = self.store.get_graph(name)
        self._before[name] = graph
        self._now[name] = None if graph is None else _UNCHANGED


def _copy(graph: Graph, name: str) -> Graph:
    copy = Graph(identifier=URIRef(name))
    for triple in graph:
        copy.add(triple)
    return copy


@dataclass(frozen=True)
class _Diff:
    changed: bool
    inserted: int  # triples in the new content and not the old
    deleted: int  # triples in the old content and not the new


def _diff(before: Graph | None, now: Graph | None) -> _Diff:
    # A graph created or dropped whole needs no set of its triples: its size is the count.
    if before is None or now is None:
        return _Diff(
            before is not now,
            len(now) if now is not None else 0,
            len(before) if before is not None else 0,
        )
    old, new = set(before), set(now)
    inserted, deleted = len(new - old), len(old - new)
    return _Diff(bool(inserted or deleted), inserted, deleted)


@dataclass(frozen=True)
class GraphChanges:
    """What an edit does: the new content of every graph it writes, the graphs it drops."""

    written: dict[str, Graph]
    dropped: list[str]
    before: dict[str, Graph | None]  # each changed graph before the edit (None: it did not exist)
    inserted: int  # triples added, over all graphs
    deleted: int  # triples removed, over all graphs

    @property
    def empty(self) -> bool:
        return not self.written and not self.dropped

    def created(self) -> list[str]:
        return [name for name in self.written if self.before.get(name) is None]

    def release(self) -> None:
        """Empty the graphs this edit holds, off the event loop (service/write/release.py);
        the names and counts stay."""
        release([*self.written.values(), *self.before.values()])


@dataclass(frozen=True)
class EditOutcome:
    changes: GraphChanges
    validation: ValidationOutcome | None  # None when nothing needed validating

    def as_dict(self) -> dict[str, Any]:
        c = self.changes
        return {
            "status": "unchanged" if c.empty else "committed",
            "graphs": {
                "created": c.created(),
                "changed": [g for g in c.written if c.before.get(g) is not None],
                "dropped": list(c.dropped),
            },
            "triples": {"inserted": c.inserted, "deleted": c.deleted},
            "warnings": [w.as_dict() for w in self.validation.warnings] if self.validation else [],
        }


def commit(store: Store, gate: Gate, changes: GraphChanges, *, where: str) -> EditOutcome:
    """Validate the new contents of the changed graphs, then write them in one transaction.
    Raises WriteRefused (E420) on a violation; the store is then unchanged."""
    if changes.empty:
        return EditOutcome(changes, None)
    validation: ValidationOutcome | None = None
    if changes.written:
        validation = validate(store, gate, changes)
        if not validation.accepted:
            raise WriteRefused(validation, where=where)
    # Counts and the as-of index follow the edited documents in the same transaction
    # (docs/corroboration.md).
    plan = corroboration.plan_edit(store, changes.written, changes.dropped)
    store.put_graphs(
        {**changes.written, **plan.put},
        remove=[*changes.dropped, *plan.remove],
        edits=plan.edits,
        # Read from the store in this write slot (WorkingSet): nothing to drop before writing.
        absent=changes.created(),
    )
    return EditOutcome(changes, validation)


def validate(store: Store, gate: Gate, changes: GraphChanges) -> ValidationOutcome:
    """The gate over the union of the changed graphs' new contents, with the store context those
    contents touch, as the store will be after the edit: context triples that the edit removes,
    and that no other graph holds, are left out (the store still has them until the commit)."""
    graphs = list(changes.written.values())
    # One graph (a Graph Store Protocol write, most updates) is validated as it is: copying a
    # large body into a union costs seconds and changes nothing.
    delta = graphs[0] if len(graphs) == 1 else _union(graphs)
    context = gate.context(delta, store)
    removed = _removed_triples(changes)
    suspects = [t for t in context if t in removed]
    if suspects:
        kept = _held_elsewhere(store, suspects, [*changes.written, *changes.dropped])
        for triple in suspects:
            if triple not in kept and triple not in delta:
                context.remove(triple)
    try:
        return gate.validate(delta, None, context=context)
    finally:
        release([context] if len(graphs) == 1 else [delta, context])


def _union(graphs: Iterable[Graph]) -> Graph:
    union = Graph()
    for graph in graphs:
        for triple in graph:
            union.add(triple)
    return union


def _removed_triples(changes: GraphChanges) -> set[Triple]:
    removed: set[Triple] = set()
    for name, before in changes.before.items():
        if before is None:
            continue
        after = changes.written.get(name)
        removed.update(set(before) - (set(after) if after is not None else set()))
    return removed


def _held_elsewhere(store: Store, triples: Sequence[Triple], changed: Iterable[str]) -> set[Triple]:
    """Which of `triples` a named graph outside `changed` still holds."""
    rows = [t for t in triples if not any(isinstance(term, BNode) for term in t)]
    if not rows:
        return set()
    values = "\n    ".join(f"({s.n3()} {p.n3()} {o.n3()})" for s, p, o in rows)
    names = ", ".join(f"<{g}>" for g in changed)
    found = store.select(
        "SELECT DISTINCT ?s ?p ?o WHERE {\n"
        f"  VALUES (?s ?p ?o) {{\n    {values}\n  }}\n"
        f"  GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN ({names}))\n"
        # The as-of index only repeats the documents' triples (docs/corroboration.md).
        f'  FILTER (!STRSTARTS(STR(?g), "{AS_OF_INDEX}"))\n}}'
    )
    return {(r["s"], r["p"], r["o"]) for r in found}
