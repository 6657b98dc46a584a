"""Helpers for the engine tests: a store on disk with enough triples for a runaway query, and a
real `entente serve` process on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from entente.ontology.iris import document_graph
from entente.service.store.oxigraph import OxigraphStore
from entente_tests_servers import free_port, running_server
from rdflib import Graph, Literal, URIRef

EX = "http://example.org/"


def filled_store(path: Path, triples: int = 3000) -> Path:
    """A store whose default graph holds `triples` triples of one document (plus nothing else:
    the server loads the ontology and gazetteer itself)."""
    store = OxigraphStore(path)
    g = Graph()
    for i in range(triples):
        g.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(f"value {i}")))
    store.put_graphs({str(document_graph("e" * 64)): g})
    store.close()
    return path


def child_pids(pid: int) -> list[int]:
    """Direct children of a process (the Oxigraph server child of `entente serve`)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


def cpu_seconds(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Served:
    base: str
    process: subprocess.Popen[bytes]

    def engine_pid(self) -> int:
        """The Oxigraph server child's pid (it changes when the supervisor restarts it)."""
        deadline = time.monotonic() + 10
        while True:
            children = [
                pid
                for pid in child_pids(self.process.pid)
                if "oxigraph" in Path(f"/proc/{pid}/comm").read_text()
            ]
            if len(children) == 1:
                return children[0]
            assert time.monotonic() < deadline, children
            time.sleep(0.05)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    with ExitStack() as servers:

        def start(store: Path, **env: str) -> Served:
            port = free_port()
            environ = {**os.environ, **env}
            environ.pop("ENTENTE_STORE_URL", None)
            command = [
                sys.executable,
                "-m",
                "entente.service.cli.commands",
                "serve",
                "--store",
                str(store),
                "--port",
                str(port),
            ]
            base, process = servers.enter_context(
                running_server(
                    command,
                    port,
                    env=environ,
                    cwd=tmp_path,
                    log=tmp_path / f"serve-{port}.log",
                    stop_timeout=20,
                )
            )
            return Served(base, process)

        yield start
