"""The facts about entente's dependencies that its design answers, measured on this machine.

    .venv/bin/python bench/dependency_facts.py [--triples 20000]

docs/architecture.md ("Facts the design answers") quotes what this prints. Each check names the
design decision it supports. Nothing here leaves the machine: the "network" checks point the
libraries at a canary server on 127.0.0.1 that counts the connections it receives, so a library
that fetches shows up as a count, and one that refuses shows up as an error and a zero.

1. pyoxigraph's Store.query takes no timeout and has no cancel call.
2. pyoxigraph releases the GIL while it evaluates: two queries in two threads, wall time against
   one query alone (ratio ~1 means they ran side by side; ~2 means one after the other).
3. Where pyoxigraph, rdflib and pyshacl reach the network (SERVICE, LOAD, remote JSON-LD
   @context, owl:imports) and where they do not.
4. Query speed: rdflib's SPARQL engine against pyoxigraph on the same join + GROUP BY (ratio).
5. pyshacl: triples/s for a whole-graph validation with two simple shapes, the same validation
   on focus nodes only, and the cost of the ontology's OWL axioms in the data graph (ratio).

Timings are ratios against a baseline measured in the same run; absolute figures are printed for
context only. The machine is shared: run it twice before trusting a ratio near a threshold.
"""

from __future__ import annotations

import argparse
import http.server
import inspect
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
import rdflib
from entente.ontology.resources import (
    ontology_path,
    policy_types_path,
    shapes_paths,
    technologies_path,
)

EX = "http://example.org/"
ROOT = Path(__file__).resolve().parent.parent


class _Canary(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    hits = 0


class _Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        assert isinstance(self.server, _Canary)
        self.server.hits += 1
        body = b"<http://example.org/a> <http://example.org/p> <http://example.org/b> ."
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def canary() -> Iterator[_Canary]:
    server = _Canary(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def reaches(label: str, action: Callable[[str], object], decision: str) -> None:
    with canary() as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/x"
        try:
            action(url)
            outcome = "no error"
        except Exception as exc:  # the outcome is what we measure
            outcome = f"{type(exc).__name__}: {str(exc).splitlines()[0][:70]}"
        time.sleep(0.05)
        print(f"  {label:<58} connections: {server.hits}  ({outcome})")
        print(f"  {'':<58} -> {decision}")


def filled_store(n: int) -> ox.Store:
    store = ox.Store()
    p, q = ox.NamedNode(EX + "p"), ox.NamedNode(EX + "q")
    store.extend(
        ox.Quad(ox.NamedNode(f"{EX}s{i}"), p if i % 2 else q, ox.Literal(str(i % 97)))
        for i in range(n)
    )
    return store


HEAVY = f"""SELECT ?o (COUNT(*) AS ?n) WHERE {{
  ?s <{EX}p> ?o . ?t <{EX}q> ?o }} GROUP BY ?o"""


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def check_no_timeout() -> None:
    print("1. pyoxigraph: no query timeout, no cancellation")
    params = set(inspect.signature(ox.Store.query).parameters)
    cancel = [name for name in dir(ox.Store) if "cancel" in name.lower() or "interrupt" in name]
    print(f"  Store.query parameters: {sorted(params - {'self'})}")
    print(f"  timeout parameter: {'timeout' in params}; cancel/interrupt methods: {cancel or None}")
    print("  -> `entente serve` runs queries in an Oxigraph server child with --timeout-s, which")
    print("     does cancel (docs/decisions/0002-query-timeouts.md)")


def check_gil(store: ox.Store) -> None:
    print("2. pyoxigraph releases the GIL while it evaluates")

    def run() -> None:
        list(store.query(HEAVY))

    run()  # warm
    alone = min(timed(run) for _ in range(3))

    def two() -> None:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    both = min(timed(two) for _ in range(3))
    print(f"  one query {alone * 1000:.0f} ms; two in two threads {both * 1000:.0f} ms; ratio")
    print(f"  {both / alone:.2f} (1.0 = fully parallel, 2.0 = serialised)")
    print("  -> embedded queries run in worker threads, the event loop stays free")


def check_network() -> None:
    print("3. who reaches the network (a loopback canary counts connections)")
    store = ox.Store()
    reaches(
        "pyoxigraph query SERVICE <url>",
        lambda url: list(store.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")),
        "every query is screened; SERVICE only to allow-listed endpoints (query/screen.py)",
    )
    reaches(
        "pyoxigraph update LOAD <url>",
        lambda url: store.update(f"LOAD <{url}>"),
        "updates are computed by entente (write/update_edit.py); LOAD only from an allow-list",
    )
    reaches(
        "pyoxigraph update LOAD <file:///etc/hostname>",
        lambda url: store.update("LOAD <file:///etc/hostname>"),
        "(file: is refused by the engine itself)",
    )
    jsonld = '{{"@context": "{url}", "@id": "http://example.org/a", "p": "x"}}'
    reaches(
        "pyoxigraph parse JSON-LD with a remote @context",
        lambda url: list(ox.parse(jsonld.format(url=url).encode(), format=ox.RdfFormat.JSON_LD)),
        "RDF sent to entente is parsed by pyoxigraph (store/rdf_parser.py)",
    )
    reaches(
        "rdflib parse JSON-LD with a remote @context",
        lambda url: rdflib.Graph().parse(data=jsonld.format(url=url), format="json-ld"),
        "rdflib never parses input from users",
    )
    reaches(
        "rdflib SPARQL SERVICE <url> (its own engine)",
        lambda url: list(
            rdflib.Graph().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
        ),
        "user SPARQL never runs on rdflib's engine",
    )
    shapes = (
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . "
        "<urn:s> a owl:Ontology ; owl:imports <{url}> ."
    )
    for imports in (True, False):
        reaches(
            f"pyshacl owl:imports in the shapes, do_owl_imports={imports}",
            lambda url, imports=imports: pyshacl.validate(  # type: ignore[misc]
                rdflib.Graph(),
                shacl_graph=rdflib.Graph().parse(data=shapes.format(url=url), format="turtle"),
                do_owl_imports=imports,
            ),
            "the gate passes do_owl_imports=False and loads shapes from package data",
        )


def check_query_speed(n: int) -> None:
    print(f"4. query speed on {n:,} triples (a join + GROUP BY): rdflib's engine, pyoxigraph")
    store = filled_store(n)
    graph = rdflib.Graph()
    for quad in store:
        graph.add(
            (
                rdflib.URIRef(quad.subject.value),
                rdflib.URIRef(quad.predicate.value),
                rdflib.Literal(quad.object.value),
            )
        )
    oxi = min(timed(lambda: list(store.query(HEAVY))) for _ in range(3))
    rdf = timed(lambda: list(graph.query(HEAVY)))
    print(f"  pyoxigraph {oxi * 1000:.1f} ms; rdflib {rdf * 1000:.0f} ms; ratio {rdf / oxi:.0f}x")
    print("  -> the store is Oxigraph; rdflib holds graphs in memory only (deltas, edits)")


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:S1 a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:datatype xsd:string ] .
ex:S2 a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ex:link ; sh:class ex:C ] .
"""


def check_pyshacl(n: int) -> None:
    print(f"5. pyshacl on {n:,} triples (two simple shapes)")
    shapes = rdflib.Graph().parse(data=SHAPES, format="turtle")
    data = rdflib.Graph()
    c = rdflib.URIRef(EX + "C")
    nodes = n // 3
    for i in range(nodes):
        s = rdflib.URIRef(f"{EX}n{i}")
        data.add((s, rdflib.RDF.type, c))
        data.add((s, rdflib.URIRef(EX + "label"), rdflib.Literal(f"node {i}")))
        data.add((s, rdflib.URIRef(EX + "link"), rdflib.URIRef(f"{EX}n{(i + 1) % nodes}")))
    whole = timed(lambda: pyshacl.validate(data, shacl_graph=shapes))
    focus = [rdflib.URIRef(f"{EX}n{i}") for i in range(5)]
    few = timed(lambda: pyshacl.validate(data, shacl_graph=shapes, focus_nodes=focus))
    print(f"  whole graph {whole:.2f} s = {len(data) / whole:,.0f} triples/s on one core")
    print(f"  five focus nodes {few * 1000:.0f} ms: {whole / few:.0f}x less than the whole graph")
    print("  the shipped shapes on one sample article's delta (the gate's pyshacl options):")
    delta, shipped = sample_delta(), shipped_shapes()
    ontology = rdflib.Graph()
    for path in (ontology_path(), technologies_path(), policy_types_path()):
        ontology.parse(path, format="turtle")
    alone = min(timed(lambda: gate_pyshacl(delta, shipped)) for _ in range(2))
    mixed = timed(lambda: gate_pyshacl(delta + ontology, shipped))
    print(f"  delta ({len(delta):,} triples) alone {alone * 1000:.0f} ms; with the ontology and")
    print(f"  schemes ({len(ontology):,} triples) in the data graph {mixed * 1000:.0f} ms: ")
    print(f"  {mixed / alone:.1f}x")
    print("  -> the gate validates the delta and the nodes it touches, with the ent: class")
    print("     hierarchy only (service/gate/gate.py); the SPARQL engine replaces pyshacl there")


def sample_delta() -> rdflib.Graph:
    """The graph the pipeline maps the first sample article to (examples/articles)."""
    from datetime import UTC, datetime

    from entente.ingest.map import document_graph
    from entente.ingest.pipeline import Pipeline
    from entente.ingest.read.reader import read_path

    article = sorted((ROOT / "examples" / "articles").glob("*.txt"))[0]
    document = read_path(article, max_bytes=10_000_000)[0]
    analysis = Pipeline().analyze(document)
    return document_graph(analysis, generated_at=datetime(2024, 1, 1, tzinfo=UTC))


def shipped_shapes() -> rdflib.Graph:
    shapes = rdflib.Graph()
    for path in shapes_paths():
        shapes.parse(path, format="turtle")
    return shapes


def gate_pyshacl(data: rdflib.Graph, shapes: rdflib.Graph) -> None:
    copy = rdflib.Graph()
    for triple in data:
        copy.add(triple)
    pyshacl.validate(
        copy, shacl_graph=shapes, inference="none", advanced=True, do_owl_imports=False
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=20_000)
    args = parser.parse_args(argv)
    print(
        f"pyoxigraph {ox.__version__}, rdflib {rdflib.__version__}, pyshacl "
        f"{pyshacl.__version__}, Python {sys.version.split()[0]}\n"
    )
    check_no_timeout()
    check_gil(filled_store(args.triples))
    check_network()
    check_query_speed(args.triples // 4)
    check_pyshacl(args.triples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
