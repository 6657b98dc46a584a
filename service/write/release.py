"""Freeing large rdflib graphs a little at a time, so that the event loop keeps answering.

A 200k-triple graph in rdflib's memory store is a few million Python objects in nested dicts.
When the last reference to it goes, CPython frees all of them in one cascade of deallocations
that never lets go of the GIL: for the second or more that takes, no other thread runs, the
event loop included, and /health waited up to 9.8 s during a 200k-triple PUT /store that freed
several such graphs (issue 11, item 3; bench/stalls.py). Emptying the store's indexes here
instead, a few thousand entries per step, frees the same objects in small cascades with the
interpreter free to switch threads between them; the graph object itself is left empty and
costs nothing to drop wherever its last reference goes (the event loop, often).

Call it only on graphs the caller owns (a copy, or a graph it parsed): it empties them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from rdflib import Graph
from rdflib.plugins.stores.memory import Memory

STEP = 2000  # index entries freed per step: a step takes well under a millisecond


def release(graphs: Iterable[Graph | None]) -> None:
    """Empty each graph that has rdflib's memory store to itself, a step at a time (after this
    it is a working, empty graph). A graph in any other store, or sharing its store with other
    graphs (a Dataset's), is left alone."""
    for graph in graphs:
        if graph is None or not isinstance(graph.store, Memory):
            continue
        store = graph.store
        if any(c.identifier != graph.identifier for c in store.contexts()):
            continue
        # The indexes (subject, predicate and object maps, triples per context) are dicts of
        # dicts or sets: every large container among them is emptied from the inside out.
        for value in list(vars(store).values()):
            if isinstance(value, dict | set):
                _drain(value)
        store.__init__(identifier=store.identifier)  # type: ignore[misc]


def _drain(container: dict[Any, Any] | set[Any]) -> None:
    steps = 0
    while container:
        item = container.popitem() if isinstance(container, dict) else container.pop()
        value = item[1] if isinstance(container, dict) else item
        if isinstance(value, dict | set) and len(value) > STEP:
            _drain(value)
        steps += 1
        if steps >= STEP:
            steps = 0
            time.sleep(0)  # let another thread (the event loop) take the interpreter
