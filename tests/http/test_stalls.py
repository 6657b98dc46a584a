"""Issue 11, item 3: small requests pass big ones. Screening a big query no longer holds the
parser (bulk VALUES rows are data, set aside before parsing; other large texts are screened in a
worker process within the query's deadline). Timings live in bench/stalls.py; these tests check
the mechanisms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from entente.errors import EntenteError
from entente.service.query.screen import screen_query, without_bulk_values
from entente.service.query.screen_pool import ScreenPool
from fastapi.testclient import TestClient


def _values(n: int, tail: str = "") -> str:
    rows = " ".join(f'"v{i}"' for i in range(n))
    return f"SELECT ?v WHERE {{ VALUES ?v {{ {rows} }} {tail}}}"


def test_bulk_values_rows_are_set_aside_before_parsing() -> None:
    text = _values(100_000)
    parsed = without_bulk_values(text)
    assert len(parsed) < 100
    assert parsed.startswith('SELECT ?v WHERE { VALUES ?v { "v0"')


def test_values_block_with_anything_but_terms_is_parsed_whole() -> None:
    rows = " ".join(f'"v{i}"' for i in range(200))
    for hidden in ("SERVICE <http://127.0.0.1:1/> { }", "# comment", "?x", "a"):
        text = f"SELECT * WHERE {{ VALUES ?v {{ {rows} {hidden} {rows} }} }}"
        assert without_bulk_values(text) == text


def test_multi_variable_rows_and_line_numbers_kept() -> None:
    rows = "\n".join(f'(<http://e/a{i}> "x"@en-GB 1.5e3 UNDEF true)' for i in range(500))
    text = f"SELECT * WHERE {{ VALUES (?a ?b ?c ?d ?e) {{\n{rows}\n}}\n FILTER(?a = ) }}"
    parsed = without_bulk_values(text)
    assert parsed.count("\n") == text.count("\n")
    with pytest.raises(EntenteError) as caught:
        screen_query(text)
    assert caught.value.code == "E401"
    assert f"line {text.count(chr(10)) + 1}" in caught.value.message


def test_service_after_a_bulk_values_block_is_still_refused() -> None:
    text = _values(50_000, tail="SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } ")
    with pytest.raises(EntenteError) as caught:
        screen_query(text)
    assert caught.value.code == "E402"


def test_big_values_query_is_answered(client: TestClient) -> None:
    r = client.post(
        "/sparql",
        content=(_values(100_000) + " LIMIT 2").encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 200, r.text
    assert len(r.json()["results"]["bindings"]) == 2


@pytest.fixture
def pool() -> Iterator[ScreenPool]:
    p = ScreenPool(large=2000)
    yield p
    p.close()


def _large_filter(n: int) -> str:
    alternatives = " || ".join(f'?o = "value number {i}"' for i in range(n))
    return f"SELECT * WHERE {{ ?s ?p ?o FILTER({alternatives}) }}"


def test_large_text_is_screened_in_a_worker_process(pool: ScreenPool) -> None:
    text = _large_filter(100)
    assert len(text) > pool.large
    assert pool.screen(text, timeout=120).form == "SELECT"
    with pytest.raises(EntenteError) as caught:
        pool.screen(text + " SERVICE <http://127.0.0.1:9/> {}", timeout=120)
    assert caught.value.code in ("E401", "E402")


def test_large_text_past_its_deadline_is_refused_and_the_worker_replaced(
    pool: ScreenPool,
) -> None:
    text = _large_filter(5_000)
    with pytest.raises(EntenteError) as caught:
        pool.screen(text, timeout=0.01)
    assert caught.value.code == "E431"
    assert pool.screen(_large_filter(100), timeout=120).form == "SELECT"


# --- ingest lanes and /health ------------------------------------------------------------------


def test_small_ingest_passes_a_large_one(
    make_client: Any, store: Any, fake_ingestor: Any, token: str
) -> None:
    """A 5 MiB article held the single ingest slot for minutes and a 90-byte one waited behind
    it; small documents now have a lane of their own."""
    import threading

    release = threading.Event()
    entered = threading.Event()
    ingest = fake_ingestor.ingest

    def slow_for_large(doc: Any) -> Any:
        if len(doc.text) > 100_000:
            entered.set()
            assert release.wait(timeout=30)
        return ingest(doc)

    fake_ingestor.ingest = slow_for_large
    client = make_client(store, ingestor=fake_ingestor, write_token=token)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain"}
    big_answer: list[int] = []
    big = threading.Thread(
        target=lambda: big_answer.append(
            client.post("/documents", content=b"word " * 40_000, headers=headers).status_code
        )
    )
    big.start()
    try:
        assert entered.wait(timeout=30)
        r = client.post(
            "/documents", content=b"Chile and Korea agreed on lithium.", headers=headers
        )
        assert r.status_code == 200 and r.json()[0]["status"] == "accepted"
        assert big.is_alive()  # the large one is still being ingested
    finally:
        release.set()
        big.join(timeout=30)
    assert big_answer == [200]


def test_health_answers_from_cached_stats_while_a_refresh_is_slow(
    make_client: Any, store: Any
) -> None:
    import threading
    import time

    client = make_client(store)
    assert client.get("/health").status_code == 200  # statistics cached
    release = threading.Event()
    real_stats = store.stats
    calls: list[float] = []

    def slow_stats() -> Any:
        calls.append(time.monotonic())
        release.wait(timeout=30)
        return real_stats()

    store.stats = slow_stats
    client.app.state.stats_probe.ttl = 0.0  # every probe finds them stale
    try:
        for _ in range(3):
            r = client.get("/health")
            assert r.status_code == 200
            assert "stats_age_s" in r.json()
        assert len(calls) == 1  # one refresh under way, not one per probe
    finally:
        release.set()


def test_collector_paused_is_counted_and_restored() -> None:
    import gc

    from entente.service.http.collector import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with collector_paused(active=False):
        assert gc.isenabled()
