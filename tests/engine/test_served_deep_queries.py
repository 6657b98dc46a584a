"""Deeply nested queries through a real `entente serve`: refused by the screen (E401), and the
engine child, whose parser would overflow its stack on them, never sees them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

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
