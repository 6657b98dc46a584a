"""Server processes for the tests that talk to a real server on loopback: start one, wait until
its /health answers (failing with its log when it exits or does not answer), stop it with SIGINT
as a terminal would, killing it only when it does not stop. Registered by tests/conftest.py as
`entente_tests_servers`."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(
    command: Sequence[str],
    port: int,
    *,
    env: Mapping[str, str],
    cwd: Path,
    log: Path,
    start_timeout: float = 60,
    stop_timeout: float = 15,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """(base URL, process) of `command`, serving on 127.0.0.1:`port`, its output in `log`."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(command), env=dict(env), cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                if process.poll() is not None:
                    output = log.read_text(errors="replace")
                    pytest.fail(f"server exited with {process.returncode}:\n{output}")
                try:
                    if httpx.get(base + "/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"server did not answer /health within {start_timeout:g} s")
                time.sleep(0.2)
            yield base, process
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
