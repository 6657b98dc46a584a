"""Issue 11, items 4, 6 and 7: the write token `serve` runs with, browser clients (CORS) and the
SPARQL 1.2 protocol's `version` parameter."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from entente.errors import EntenteError
from entente.service.http.access import with_write_token
from entente.service.settings import Settings
from fastapi.testclient import TestClient

SELECT = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
YASGUI = "https://yasgui.example"


# --- the write token ---------------------------------------------------------------------------


def test_serve_creates_an_owner_only_token_and_reuses_it(tmp_path: Path) -> None:
    settings, path = with_write_token(Settings(store=tmp_path / "store"))
    assert path == tmp_path / "store" / "write-token"
    token = settings.resolved_write_token()
    assert token and len(token) >= 40
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again, _ = with_write_token(Settings(store=tmp_path / "store"))
    assert again.resolved_write_token() == token


def test_token_file_open_to_others_is_refused(tmp_path: Path) -> None:
    with_write_token(Settings(store=tmp_path))
    (tmp_path / "write-token").chmod(0o644)
    with pytest.raises(EntenteError) as caught:
        with_write_token(Settings(store=tmp_path))
    assert caught.value.code == "E511"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "example.org"])
def test_non_loopback_bind_without_configured_token_refuses_to_start(
    tmp_path: Path, host: str
) -> None:
    with pytest.raises(EntenteError) as caught:
        with_write_token(Settings(store=tmp_path, host=host))
    assert caught.value.code == "E510"
    assert not (tmp_path / "write-token").exists()
    configured, path = with_write_token(Settings(store=tmp_path, host=host, write_token="t"))
    assert path is None and configured.resolved_write_token() == "t"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_bind_gets_a_created_token(tmp_path: Path, host: str) -> None:
    _, path = with_write_token(Settings(store=tmp_path, host=host))
    assert path is not None and path.exists()


def test_serve_command_refuses_public_bind(tmp_path: Path) -> None:
    from entente.service.cli.commands import app
    from typer.testing import CliRunner

    result = CliRunner().invoke(
        app, ["serve", "--host", "0.0.0.0", "--store", str(tmp_path / "s")], env={}
    )
    assert result.exit_code != 0
    assert "E510" in result.output


# --- CORS ----------------------------------------------------------------------------------------


def test_preflight_for_a_query_is_answered(client: TestClient) -> None:
    """Issue 11: OPTIONS /sparql answered 405, so no web client on another origin could query."""
    r = client.options(
        "/sparql",
        headers={
            "Origin": YASGUI,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "Content-Type" in r.headers["access-control-allow-headers"]
    r = client.post(
        "/sparql",
        content=SELECT,
        headers={"Origin": YASGUI, "Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"


def test_cross_origin_writes_refused_unless_configured(
    make_client: Callable[..., TestClient], kg_store: Any, token: str, dump_store: Any
) -> None:
    client = make_client(kg_store, write_token=token)
    update = 'INSERT DATA { GRAPH <http://example.org/n> { <urn:a> <urn:b> "c" } }'
    headers = {
        "Origin": YASGUI,
        "Content-Type": "application/sparql-update",
        "Authorization": f"Bearer {token}",
    }
    before = dump_store(kg_store)
    r = client.options(
        "/update", headers={"Origin": YASGUI, "Access-Control-Request-Method": "POST"}
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "E430"
    r = client.post("/update", content=update, headers=headers)
    assert r.status_code == 403 and r.json()["error"]["code"] == "E430"
    assert dump_store(kg_store) == before
    # Same origin (a page served by entente itself) is no cross-origin request.
    same = {**headers, "Origin": "http://testserver"}
    assert client.post("/update", content=update, headers=same).status_code == 200

    allowed = make_client(kg_store, write_token=token, cors_write_origins=[YASGUI])
    r = allowed.options(
        "/update", headers={"Origin": YASGUI, "Access-Control-Request-Method": "POST"}
    )
    assert r.status_code == 204 and r.headers["access-control-allow-origin"] == YASGUI
    r = allowed.post("/update", content=update.replace("<urn:a>", "<urn:z>"), headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == YASGUI


def test_reads_closed_to_other_origins_when_configured(
    make_client: Callable[..., TestClient], store: Any
) -> None:
    client = make_client(store, cors_origins=[])
    r = client.get("/sparql", params={"query": SELECT}, headers={"Origin": YASGUI})
    assert "access-control-allow-origin" not in r.headers
    r = client.options(
        "/sparql", headers={"Origin": YASGUI, "Access-Control-Request-Method": "GET"}
    )
    assert r.status_code == 403


def test_plain_options_names_the_methods_of_the_route(client: TestClient) -> None:
    """Issue 11: OPTIONS /quarantine/revalidate named the methods of /quarantine/{id}."""
    assert client.options("/quarantine/revalidate").headers["allow"] == "OPTIONS, POST"
    assert client.options("/sparql").headers["allow"] == "GET, OPTIONS, POST"
    assert client.options("/nowhere").status_code == 404


# --- SPARQL 1.2 protocol: version ---------------------------------------------------------------


def test_version_parameter_accepted(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT, "version": "1.2"})
    assert r.status_code == 200, r.text
    r = client.post("/sparql", data={"query": SELECT, "version": "1.2"})
    assert r.status_code == 200, r.text
    r = client.post(
        "/sparql",
        content=SELECT,
        headers={"Content-Type": "application/sparql-query; version=1.2"},
    )
    assert r.status_code == 200, r.text


def test_version_parameter_in_update_media_type_accepted(
    make_client: Callable[..., TestClient], kg_store: Any, token: str
) -> None:
    client = make_client(kg_store, write_token=token)
    r = client.post(
        "/update",
        content='INSERT DATA { GRAPH <http://example.org/n> { <urn:a> <urn:b> "c" } }',
        headers={
            "Content-Type": "application/sparql-update; version=1.2",
            "Authorization": f"Bearer {token}",
        },
    )
    assert r.status_code == 200, r.text


def test_two_version_parameters_are_400(client: TestClient) -> None:
    r = client.get("/sparql", params=[("query", SELECT), ("version", "1.2"), ("version", "1.1")])
    assert r.status_code == 400 and r.json()["error"]["code"] == "E415"
    r = client.post(
        "/sparql",
        content=SELECT,
        params={"version": "1.2"},
        headers={"Content-Type": "application/sparql-query; version=1.2"},
    )
    assert r.status_code == 400
    r = client.post(
        "/sparql",
        content=f"query={SELECT}&version=1.2&version=1.2",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 400


def test_token_file_does_not_spoil_the_store(tmp_path: Path) -> None:
    """The token lives in the store's folder; the store still opens (and serves) beside it."""
    from entente.service.store.oxigraph import OxigraphStore

    OxigraphStore(tmp_path / "store").close()
    with_write_token(Settings(store=tmp_path / "store"))
    with OxigraphStore(tmp_path / "store") as reopened:
        assert reopened.stats().triples >= 0
