"""Large results through a real `entente serve`: streamed whole when within the cap; cut off
visibly (an incomplete response, never a short result that looks whole) when the cap is passed
after the status line was sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import filled_store

pytestmark = pytest.mark.server

ALL = "SELECT * WHERE { ?s ?p ?o }"


def test_large_result_streams_through(tmp_path: Path, serve: Any) -> None:
    served = serve(filled_store(tmp_path / "store", triples=20_000), ENTENTE_RESULT_LIMIT="1000000")
    with httpx.Client(base_url=served.base, timeout=30) as http:
        r = http.get(
            "/sparql", params={"query": ALL}, headers={"Accept": "text/tab-separated-values"}
        )
        assert r.status_code == 200 and r.headers.get("transfer-encoding") == "chunked"
        lines = r.text.splitlines()
        assert set(lines[0].split("\t")) == {"?s", "?p", "?o"} and len(lines) - 1 >= 20_000


def test_cap_passed_after_the_status_line_breaks_the_response(tmp_path: Path, serve: Any) -> None:
    served = serve(filled_store(tmp_path / "store", triples=20_000), ENTENTE_RESULT_LIMIT="15000")
    with httpx.Client(base_url=served.base, timeout=30) as http:
        with http.stream("GET", "/sparql", params={"query": ALL}) as r:
            assert r.status_code == 200  # sent before the cap was reached
            received = b""
            with pytest.raises(httpx.RemoteProtocolError):
                for chunk in r.iter_raw():
                    received += chunk
        assert received.rstrip().endswith(b"more than this server's limit of 15000 rows")
        assert b"entente error E411" in received[-200:]
        # A small result over the cap still gets a clean error.
        r = http.get(
            "/sparql", params={"query": ALL + " LIMIT 15001"}, headers={"Accept": "text/csv"}
        )
        assert r.status_code == 422 and r.json()["error"]["code"] == "E411"
