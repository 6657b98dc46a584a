"""One writing process per embedded store. A second writer, end to end through the real
`entente` command, gets a clear message saying what to do (exit 2, no traceback, the store
intact): while another process holds the store, and while `entente serve` runs."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from entente.service.store.oxigraph import OxigraphStore

ENTENTE = [sys.executable, "-m", "entente.service.cli.commands"]
HOLD = """
import sys, time
from pathlib import Path
from entente.service.store.oxigraph import OxigraphStore
store = OxigraphStore(Path(sys.argv[1]))
print("ready", flush=True)
time.sleep(120)
"""


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTENTE_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    return env


def entente(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ENTENTE, *args],
        capture_output=True,
        text=True,
        env=environment(tmp_path),
        timeout=120,
        check=False,
    )


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text("The Netherlands will restrict exports of chip equipment.", encoding="utf-8")
    return path


@pytest.fixture
def held_store(tmp_path: Path) -> Iterator[Path]:
    """A store that another process has open for writing."""
    path = tmp_path / "store"
    OxigraphStore(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env=environment(tmp_path),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield path
    finally:
        holder.kill()
        holder.wait(10)


@pytest.mark.slow
def test_second_writer_gets_a_clear_message(
    tmp_path: Path, held_store: Path, article: Path
) -> None:
    result = entente(tmp_path, "ingest", "--store", str(held_store), str(article))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"error[E201]: {held_store}: the store at {held_store}")
    assert "Ingest through the running server (POST /documents), or stop it first." in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    as_json = entente(tmp_path, "ingest", "--json", "--store", str(held_store), str(article))
    assert as_json.returncode == 2
    assert json.loads(as_json.stderr)["error"]["code"] == "E201"
    for command in (
        ["quarantine", "revalidate"],
        ["quarantine", "release", "abcdef"],
        ["documents", "delete", "abcdef"],
    ):
        other = entente(tmp_path, *command, "--store", str(held_store))
        assert other.returncode == 2, (command, other.stderr)
        assert other.stderr.startswith("error[E201]"), other.stderr
        assert "through its HTTP API" in other.stderr and "Traceback" not in other.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.server
def test_cli_ingest_while_the_server_runs(tmp_path: Path, article: Path) -> None:
    store, port = tmp_path / "store", _free_port()
    server = subprocess.Popen(
        [*ENTENTE, "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(tmp_path),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
        result = entente(tmp_path, "ingest", "--store", str(store), str(article))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("error[E201]"), result.stderr
        assert "is `entente serve` running?" in result.stderr
        assert "POST /documents" in result.stderr and "Traceback" not in result.stderr
        # The server is unaffected and still answers.
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
        assert health.status_code == 200 and health.json()["status"] == "ok"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
