"""Deeply nested queries through a real `entente serve`: refused by the screen (E401), and the
engine child, whose parser would overflow its stack on them, never sees them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from entente.service.store.oxigraph_child import CHILD_THREAD_STACK, _child_environment

from .conftest import filled_store

pytestmark = pytest.mark.server


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
        "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
    ],
    ids=["braces", "parentheses"],
)
def test_deep_nesting_is_refused_before_the_engine(tmp_path: Path, serve: Any, query: str) -> None:
    served = serve(filled_store(tmp_path / "store", triples=10))
    engine = served.engine_pid()
    with httpx.Client(base_url=served.base, timeout=30) as http:
        r = http.post(
            "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
        )
        assert r.status_code == 400 and r.json()["error"]["code"] == "E401"
        assert http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    assert served.engine_pid() == engine


def test_the_engine_child_runs_with_deep_thread_stacks(tmp_path: Path, serve: Any) -> None:
    # Oxigraph's server dies on long flat sequences the screen accepts (3,000 `&&` operands,
    # 18 kB; a 2,000-step property path) with Rust's default 2 MiB thread stack, on whichever
    # request lands on a fresh thread (ADR 0018); the child gets CHILD_THREAD_STACK.
    served = serve(filled_store(tmp_path / "store", triples=10))
    environ = Path(f"/proc/{served.engine_pid()}/environ").read_bytes().split(b"\0")
    assert f"RUST_MIN_STACK={CHILD_THREAD_STACK}".encode() in environ


def test_an_operators_stack_choice_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUST_MIN_STACK", "33554432")
    assert _child_environment()["RUST_MIN_STACK"] == "33554432"
    monkeypatch.delenv("RUST_MIN_STACK")
    assert _child_environment()["RUST_MIN_STACK"] == str(CHILD_THREAD_STACK)
