"""How the CLI prints: errors in one shape on stderr, aligned tables, compact IRIs."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from entente.errors import EntenteError
from entente.ontology.vocab import GRAPH_BASE, ID_BASE, ONTOLOGY_IRI

# Prefixes used to shorten IRIs in tables (never in machine formats).
TABLE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("ent:", ONTOLOGY_IRI + "#"),
    ("id:", ID_BASE),
    ("graph:", GRAPH_BASE),
    ("wd:", "http://www.wikidata.org/entity/"),
    ("rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd:", "http://www.w3.org/2001/XMLSchema#"),
    ("skos:", "http://www.w3.org/2004/02/skos/core#"),
    ("owl:", "http://www.w3.org/2002/07/owl#"),
    ("dcterms:", "http://purl.org/dc/terms/"),
    ("prov:", "http://www.w3.org/ns/prov#"),
    ("schema:", "https://schema.org/"),
)
MAX_CELL = 100  # characters; tables are for reading, --format csv/json give every character


def print_error(exc: EntenteError, *, as_json: bool, stream: TextIO | None = None) -> None:
    """`error[E0xx]: where: message` and a hint line; or the JSON error shape with --json."""
    out = stream or sys.stderr
    if as_json:
        out.write(json.dumps(exc.as_dict(), ensure_ascii=False) + "\n")
        return
    where = f"{exc.where}: " if exc.where else ""
    out.write(f"error[{exc.code}]: {where}{exc.message}\n")
    if exc.hint:
        out.write(f"  hint: {exc.hint}\n")


def compact(iri: str) -> str:
    for prefix, namespace in TABLE_PREFIXES:
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return f"<{iri}>"


def cell(binding: dict[str, Any] | None) -> str:
    """One SPARQL JSON binding as table text."""
    if binding is None:
        return ""
    kind, value = binding.get("type"), str(binding.get("value", ""))
    if kind == "uri":
        text = compact(value)
    elif kind == "bnode":
        text = f"_:{value}"
    else:
        text = value
        if "xml:lang" in binding:
            text += f"@{binding['xml:lang']}"
    text = " ".join(text.split())  # one line per row
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(row) for row in rows)
    return "\n".join(out) + "\n"


def results_table(sparql_json: bytes) -> str:
    """A SPARQL 1.1 JSON result (SELECT or ASK) as an aligned text table."""
    data = json.loads(sparql_json)
    if "boolean" in data:
        return ("true" if data["boolean"] else "false") + "\n"
    names: list[str] = data["head"].get("vars", [])
    bindings: list[dict[str, Any]] = data["results"]["bindings"]
    rows = [[cell(b.get(n)) for n in names] for b in bindings]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
    return table([f"?{n}" for n in names], rows) + footer
