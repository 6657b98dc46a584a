"""Loading shapes: the shipped files, the operator's, their checks (Turtle syntax, SHACL-for-SHACL,
the entente vocabulary), and the one part of the ontology the data graph needs (the ent: class
hierarchy)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from entente.errors import EntenteError
from entente.ontology.vocab import ENT
from entente.service.gate.validation_report import ENT_NS, compact, result_message, term_text
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SH
from rdflib.plugins.parsers.notation3 import BadSyntax


def shipped_shape_files() -> list[tuple[str, bytes]]:
    """(name, Turtle bytes) of every shapes file installed with entente.shapes, sorted."""
    root = files("entente.shapes")
    return sorted(
        (entry.name, entry.read_bytes())
        for entry in root.iterdir()
        if entry.name.endswith(".ttl") and entry.is_file()
    )


def parse_turtle(data: bytes, *, source: str, code: str = "E301", base: str | None = None) -> Graph:
    """Parse Turtle or raise EntenteError(code) naming the source, the line and the problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EntenteError(
            code, f"{source}:{line}: not UTF-8 ({exc.reason} at byte {exc.start})", where=source
        ) from None
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=base)
    except BadSyntax as exc:
        raise EntenteError(code, f"{source}:{exc.lines + 1}: {exc._why}", where=source) from None
    except Exception as exc:  # other parser failures (bad literal, bad IRI) carry no line
        raise EntenteError(code, f"{source}: {exc}", where=source) from None
    return graph


def operator_shape_files(dirs: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for d in dirs:
        d = Path(d).expanduser()
        if d.is_file() and d.suffix == ".ttl":
            found.append(d)  # a single file is accepted as well as a folder of them
        elif d.is_dir():
            found.extend(sorted(p for p in d.glob("*.ttl") if p.is_file()))
        else:
            raise EntenteError(
                "E302", f"shapes directory {d} does not exist or is not a directory", where=str(d)
            )
    return found


def unknown_ent_terms(graph: Graph) -> list[URIRef]:
    """ent: IRIs used in a graph that the vocabulary does not declare (typos such as
    ent:Cooperaton would make a shape silently target nothing)."""
    used: set[URIRef] = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(ENT_NS):
                used.add(term)
    return sorted(t for t in used if t not in ENT)


@lru_cache(maxsize=1)
def _shacl_shacl() -> Graph:
    import pyshacl

    path = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
    return Graph().parse(path, format="turtle")


def check_shapes_graph(shapes: Graph) -> list[str]:
    """Validate shapes against SHACL-for-SHACL; return readable problems (empty when valid).
    Gate() runs it on operator files; the shipped shapes are checked in the test suite, because
    their ISO 4217 list alone takes about a minute to meta-validate."""
    conforms, report, _ = pyshacl_validate(
        shapes, shacl_graph=_shacl_shacl(), inference="none", do_owl_imports=False
    )
    if conforms:
        return []
    assert isinstance(report, Graph)
    problems = []
    for result in report.objects(None, SH.result):
        focus_node = compact(term_text(report.value(result, SH.focusNode)))
        path = compact(term_text(report.value(result, SH.resultPath)))
        message = result_message(report, result)
        problems.append(f"{focus_node} {path}: {message}".replace("  ", " "))
    return sorted(problems)


@lru_cache(maxsize=1)
def class_hierarchy() -> tuple[tuple[URIRef, URIRef, URIRef], ...]:
    """rdfs:subClassOf triples between ent: classes, from the shipped ontology. Only these enter
    the data graph: they are what sh:targetClass and sh:class need to see subclasses."""
    resource = files("entente.ontology").joinpath("entente.ttl")
    try:
        data = resource.read_bytes()
    except FileNotFoundError:
        raise RuntimeError(
            "the shipped ontology entente/ontology/entente.ttl is missing: broken installation"
        ) from None
    ontology = parse_turtle(data, source="entente/ontology/entente.ttl", code="E305")
    return tuple(
        sorted(
            (s, RDFS.subClassOf, o)
            for s, o in ontology.subject_objects(RDFS.subClassOf)
            if isinstance(s, URIRef)
            and isinstance(o, URIRef)
            and str(s).startswith(ENT_NS)
            and str(o).startswith(ENT_NS)
        )
    )
