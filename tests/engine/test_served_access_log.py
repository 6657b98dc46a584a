"""`entente serve` writes one access line per request, in uvicorn's layout, and only one:
uvicorn's own line is off (request_log.py writes it after the response)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import filled_store

pytestmark = pytest.mark.server


def test_one_access_line_per_request(tmp_path: Path, serve: Any) -> None:
    served = serve(filled_store(tmp_path / "store", triples=10))
    with httpx.Client(base_url=served.base, timeout=30) as http:
        assert http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        assert http.get("/no-such-page").status_code == 404
    log = next(tmp_path.glob("serve-*.log"))
    deadline = time.monotonic() + 5
    while True:
        # (the fixture's readiness probes ask /health)
        lines = [
            line
            for line in log.read_text().splitlines()
            if '"GET /' in line and '"GET /health' not in line
        ]
        if len(lines) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(lines) == 2, lines
    assert lines[0].startswith("INFO:     127.0.0.1:")
    assert '"GET /sparql?query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D HTTP/1.1" 200' in lines[0]
    assert lines[1].endswith('"GET /no-such-page HTTP/1.1" 404 Not Found')


def test_access_log_off(tmp_path: Path, serve: Any) -> None:
    served = serve(filled_store(tmp_path / "store", triples=10), ENTENTE_ACCESS_LOG="false")
    with httpx.Client(base_url=served.base, timeout=30) as http:
        assert http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    log = next(tmp_path.glob("serve-*.log"))
    time.sleep(0.2)
    assert '"GET /' not in log.read_text()
