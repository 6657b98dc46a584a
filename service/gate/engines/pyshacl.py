"""pyshacl as a validation engine: the reference, and the fallback for every shape (or data) the
compiled engine cannot answer exactly."""

from __future__ import annotations

from typing import Protocol

from entente.errors import EntenteError
from pyshacl import validate as pyshacl_validate
from rdflib import Graph


class ValidationEngine(Protocol):
    def __call__(self, data: Graph, shapes: Graph) -> Graph:
        """Validate `data` (may be modified in place) and return the SHACL report graph."""
        ...


def pyshacl_engine(data: Graph, shapes: Graph) -> Graph:
    try:
        _, report, _ = pyshacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,  # operator shapes may use SHACL-AF (sh:SPARQLTarget, ...)
            do_owl_imports=False,
            inplace=True,  # the data graph is ours, built for this run
        )
    except Exception as exc:
        # Data never makes pyshacl raise (it yields results); a shape that meta-validates but
        # cannot run does: a SPARQL constraint with a syntax error, a malformed list. pyshacl
        # finds out only when a focus node reaches it.
        detail = getattr(exc, "message", None) or str(exc)
        message = f"{type(exc).__name__}: {str(detail).strip()}"
        raise EntenteError(
            "E305", f"a shape cannot be evaluated: {message}", where="shapes"
        ) from None
    assert isinstance(report, Graph)
    return report
