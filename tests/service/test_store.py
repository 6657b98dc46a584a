"""The embedded Oxigraph store: atomic writes, isolated partitions, formats, term conversion."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from entente.errors import EntenteError
from entente.ontology.iris import document_graph, quarantine_graph
from entente.service.settings import Settings
from entente.service.store import OxigraphStore, Store, open_store
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS

EX = "http://example.org/"
A, B = URIRef(EX + "a"), URIRef(EX + "b")
P = URIRef(EX + "p")
G1, G2 = str(document_graph("1" * 64)), str(document_graph("2" * 64))


def graph(*triples: tuple[URIRef, URIRef, object]) -> Graph:
    g = Graph()
    for s, p, o in triples:
        g.add((s, p, o if isinstance(o, URIRef | BNode | Literal) else Literal(o)))  # type: ignore[arg-type]
    return g


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = OxigraphStore(None if request.param == "memory" else tmp_path / "store")
    yield s
    s.close()


def values(store: Store, sparql: str, **kw: object) -> list[str]:
    return sorted(str(row["o"]) for row in store.select(sparql, **kw))  # type: ignore[arg-type]


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.export(out, fmt="nquads")
    return b"".join(sorted(out.getvalue().splitlines(keepends=True)))


# --- writes ---


# --- partitions ---


def test_reconcile_on_open_finishes_a_move_cut_by_a_crash(tmp_path: Path) -> None:
    import pyoxigraph as ox

    path = tmp_path / "store"
    OxigraphStore(path).close()
    g3 = str(document_graph("3" * 64))
    kept_report, released_report = str(quarantine_graph("3" * 64)), str(quarantine_graph("2" * 64))
    # The crash window of a release: G2 written to accepted, its quarantine copy and report not
    # yet dropped. G3 is an ordinary quarantine entry and must survive.
    layout = {"accepted": [G2], "quarantine": [G2, released_report, g3, kept_report]}
    for part, names in layout.items():
        engine = ox.Store(str(path / part))
        for name in names:
            engine.add(
                ox.Quad(
                    ox.NamedNode(str(A)), ox.NamedNode(str(P)), ox.Literal("x"), ox.NamedNode(name)
                )
            )
        engine.flush()
        del engine
    with OxigraphStore(path) as reopened:
        assert reopened.list_graphs() == [G2]
        assert reopened.list_graphs(partition="quarantine") == sorted([g3, kept_report])
        assert reopened.reconciled == [G2, released_report]
    with OxigraphStore(path) as again:
        assert again.reconciled == []


def test_rebuild_after_an_update_that_wrote_named_graphs(store: OxigraphStore) -> None:
    store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{A}> <{P}> 'direct' }} }}")
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == []  # not mirrored by update()
    store.rebuild_default_graph()
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == ["direct"]
    store.put_graphs({})  # nothing to do is no write at all
    assert store.stats().triples == 1


def test_layout_1_store_is_migrated(tmp_path: Path) -> None:
    import pyoxigraph as ox

    path = tmp_path / "store"
    OxigraphStore(path).close()
    (path / "entente-store.json").write_text('{"layout": 1}')
    engine = ox.Store(str(path / "accepted"))
    engine.add(
        ox.Quad(ox.NamedNode(str(A)), ox.NamedNode(str(P)), ox.Literal("x"), ox.NamedNode(G1))
    )
    del engine
    with OxigraphStore(path) as s:
        assert values(s, "SELECT ?o WHERE { ?s ?p ?o }") == ["x"]
    assert json.loads((path / "entente-store.json").read_text()) == {"layout": 2}


def test_unknown_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store"
    OxigraphStore(path).close()
    (path / "entente-store.json").write_text('{"layout": 99}')
    with pytest.raises(EntenteError) as err:
        OxigraphStore(path)
    assert err.value.code == "E202" and "layout 99" in err.value.message


# --- reads: formats and terms ---


# --- export, stats ---


# --- opening, locking, persistence ---


def test_data_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with OxigraphStore(path) as s:
        s.put_graphs({G1: graph((A, P, "kept"))})
        s.put_graphs({G2: graph((A, P, "q"))}, partition="quarantine")
    with OxigraphStore(path) as s:
        assert s.list_graphs() == [G1]
        assert s.list_graphs(partition="quarantine") == [G2]


def test_second_process_gets_e201(tmp_path: Path) -> None:
    path = tmp_path / "store"
    code = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from entente.errors import EntenteError
        from entente.service.store import OxigraphStore
        try:
            OxigraphStore(Path({str(path)!r}))
        except EntenteError as e:
            print(json.dumps(e.as_dict()))
            sys.exit(3)
        """
    )
    with OxigraphStore(path):
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 3, r.stderr
    error = json.loads(r.stdout)["error"]
    assert error["code"] == "E201"
    assert "in use by another process" in error["message"] and "entente serve" in error["message"]
    # After the first process closed it, the path opens again.
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_refuses_a_non_empty_foreign_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(EntenteError) as err:
        OxigraphStore(tmp_path)
    assert err.value.code == "E202"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_refuses_a_file(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(EntenteError) as err:
        OxigraphStore(f)
    assert err.value.code == "E202"


def test_closed_store_raises(tmp_path: Path) -> None:
    s = OxigraphStore(tmp_path / "s")
    s.close()
    with pytest.raises(EntenteError) as err:
        s.stats()
    assert err.value.code == "E202"


def test_open_store_uses_settings(tmp_path: Path) -> None:
    with open_store(Settings(store=tmp_path / "s")) as s:
        assert isinstance(s, OxigraphStore) and s.path == tmp_path / "s"
    with pytest.raises(EntenteError) as err:
        open_store(Settings(store=tmp_path / "s", store_url="http://127.0.0.1:7878/"))
    assert err.value.code == "E204"


# --- reference graphs (service/store/bootstrap.py) ---


def test_reference_graphs_load_once_and_reload_when_changed(tmp_path: Path) -> None:
    from entente.ontology.iris import GAZETTEER_GRAPH, ONTOLOGY_GRAPH
    from entente.ontology.vocab import ENT
    from entente.service.store.bootstrap import ReferenceSource, ensure_reference_graphs

    onto, gaz = tmp_path / "onto.ttl", tmp_path / "gaz.ttl"
    onto.write_text(f"<{EX}C> <{RDFS.label}> 'Class'@en .", encoding="utf-8")
    gaz.write_text(f"<{EX}japan> <{RDFS.label}> 'Japan'@en .", encoding="utf-8")
    sources = {
        str(ONTOLOGY_GRAPH): [ReferenceSource("onto.ttl", onto)],
        str(GAZETTEER_GRAPH): [ReferenceSource("gaz.ttl", gaz)],
    }
    with OxigraphStore(None) as s:
        assert ensure_reference_graphs(s, sources) == sorted(
            [str(GAZETTEER_GRAPH), str(ONTOLOGY_GRAPH)]
        )
        assert ensure_reference_graphs(s, sources) == []
        assert s.ask(f"ASK {{ <{EX}japan> <{RDFS.label}> 'Japan'@en }}")  # union default graph
        gaz.write_text(f"<{EX}japan> <{RDFS.label}> 'Japan'@en, 'Japan'@sv .", encoding="utf-8")
        assert ensure_reference_graphs(s, sources) == [str(GAZETTEER_GRAPH)]
        stamp = s.select(
            f"SELECT ?h WHERE {{ GRAPH <{GAZETTEER_GRAPH}> "
            f"{{ <{GAZETTEER_GRAPH}> <{ENT.sha256}> ?h }} }}"
        )
        assert len(stamp) == 1  # the old hash went with the old graph
        assert len(s.get_graph(str(GAZETTEER_GRAPH))) == 3
        gaz.write_text("<broken", encoding="utf-8")
        before = dump(s)
        with pytest.raises(EntenteError) as err:
            ensure_reference_graphs(s, sources)
        assert err.value.code == "E103" and err.value.where == "gaz.ttl"
        assert dump(s) == before


def test_shipped_reference_graphs_load() -> None:
    from entente.ontology.iris import GAZETTEER_GRAPH, ONTOLOGY_GRAPH
    from entente.service.store.bootstrap import ensure_reference_graphs

    with OxigraphStore(None) as s:
        assert ensure_reference_graphs(s) == sorted([str(GAZETTEER_GRAPH), str(ONTOLOGY_GRAPH)])
        assert s.ask(
            "ASK { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
            "<https://w3id.org/entente/ontology#Actor> }"
        )
        assert s.stats().graphs == 2 and s.stats().documents == 0


# --- crash safety ---


@pytest.mark.slow
def test_sigkill_mid_batch_leaves_only_whole_graphs(tmp_path: Path) -> None:
    """A writer killed at a random point: every graph is whole or absent after reopening."""
    import signal
    import time

    path = tmp_path / "store"
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from rdflib import Graph, Literal, URIRef
        from entente.service.store import OxigraphStore
        store = OxigraphStore(Path({str(path)!r}))
        for i in range(100_000):
            g = Graph()
            for j in range(299):
                s, p = URIRef(f"{EX}s{{i}}-{{j % 40}}"), URIRef(f"{EX}p{{j % 7}}")
                g.add((s, p, Literal(f"v{{j}}")))
            g.add((URIRef(f"{EX}doc{{i}}"), URIRef("{EX}size"), Literal(300)))
            store.put_graphs({{f"{EX}graph/{{i}}": g}})
            if i == 5:
                print("writing", flush=True)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    with OxigraphStore(path) as s:
        graphs = s.list_graphs()
        assert len(graphs) > 5
        sizes = s.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert {int(r["n"]) for r in sizes} == {300}  # type: ignore[call-overload]
        assert len(sizes) == len(graphs)


def test_an_error_in_a_worker_thread_leaves_no_engine_result_to_another_thread(
    store: Store,
) -> None:
    """Queries run in worker threads and their errors are handled on the event loop's thread. A
    pyoxigraph result kept alive by the error's traceback would be dropped there, which
    pyoxigraph refuses ('unsendable'; an unraisable exception that pytest turns into an error)."""
    import gc
    from concurrent.futures import ThreadPoolExecutor

    from entente.service.store.base import ResultFormat

    def wrong_format() -> EntenteError:
        try:
            store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ResultFormat.JSON)
        except EntenteError as exc:
            return exc
        raise AssertionError("a CONSTRUCT cannot be answered as SPARQL JSON results")

    def not_an_ask() -> EntenteError:
        try:
            store.ask("SELECT * WHERE { ?s ?p ?o }")
        except EntenteError as exc:
            return exc
        raise AssertionError("ask() needs an ASK query")

    with ThreadPoolExecutor(max_workers=1) as pool:
        errors = [pool.submit(wrong_format).result(), pool.submit(not_an_ask).result()]
    assert [e.code for e in errors] == ["E404", "E412"]
    del errors
    gc.collect()
