"""Issue 11, item 3: small requests pass big ones. Screening a big query no longer holds the
parser (bulk VALUES rows are data, set aside before parsing; other large texts are screened in a
worker process within the query's deadline). Timings live in bench/stalls.py; these tests check
the mechanisms."""

from __future__ import annotations

from collections.abc import Iterator

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
