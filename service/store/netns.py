"""entente's end of the namespace broker (entente.service.store.netns_broker): start it, join a
process to its namespaces, and connect to the Oxigraph server child through it.

Why (docs/decisions/0011-oxigraph-child-isolation.md): the child, on a loopback TCP port of the
host, answered any local user, with no token, no gate and no screen (issue 11). The Oxigraph
server binary listens on TCP only (no Unix sockets), so it is moved into a network namespace of
its own, whose loopback nobody else shares, and entente reaches it with sockets the broker
connects inside that namespace and hands over.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpcore
import httpx
from entente.errors import EntenteError

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
_BROKER = Path(__file__).with_name("netns_broker.py")


class NamespaceLink:
    """A running broker: its namespaces, and connections into them."""

    def __init__(self, startup_timeout: float = 10.0) -> None:
        self.startup_timeout = startup_timeout
        self._lock = threading.Lock()
        self._control: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._ns_fds: list[tuple[int, int]] = []  # (fd, CLONE_* flag), in setns order

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> NamespaceLink:
        """Start the broker; E512 when this machine cannot make the namespaces."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", "-S", str(_BROKER), str(theirs.fileno())],
                stdin=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        finally:
            theirs.close()
        ours.settimeout(self.startup_timeout)
        try:
            answer = ours.recv(600)
        except OSError as exc:
            answer = b"E" + str(exc).encode()
        if not answer.startswith(b"R"):
            ours.close()
            with contextlib.suppress(OSError):
                process.kill()
            process.wait(timeout=10)
            detail = answer[1:].decode("utf-8", "replace") or "the broker exited"
            raise EntenteError(
                "E512",
                f"cannot give the Oxigraph server child a private network namespace: {detail}",
                where="ENTENTE_CHILD_ISOLATION",
            )
        ours.settimeout(30.0)
        self._control, self._process = ours, process
        kinds = [("user", CLONE_NEWUSER)] if answer == b"R1" else []
        kinds.append(("net", CLONE_NEWNET))
        self._ns_fds = [
            (os.open(f"/proc/{process.pid}/ns/{name}", os.O_RDONLY), flag) for name, flag in kinds
        ]
        return self

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        with self._lock:
            if self._control is not None:
                self._control.close()
                self._control = None
            for fd, _ in self._ns_fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._ns_fds = []
        process = self._process
        if process is not None:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
            self._process = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    # --- joining and connecting ---------------------------------------------------------------

    def preexec(self) -> Callable[[], None]:
        """A subprocess preexec_fn that moves the new process into the broker's namespaces
        (and has the kernel kill it with its parent thread)."""
        namespaces = list(self._ns_fds)
        libc = ctypes.CDLL(None, use_errno=True)

        def join() -> None:
            for fd, flag in namespaces:
                if libc.setns(fd, flag) != 0:
                    os._exit(121)  # never exec outside the namespace
            die_with_parent()

        return join

    def connect(self, port: int, timeout: float | None = None) -> socket.socket:
        """A TCP socket connected to 127.0.0.1:`port` inside the namespace."""
        with self._lock:
            control = self._control
            if control is None:
                raise ConnectionRefusedError("the namespace broker is stopped")
            control.settimeout(timeout if timeout is not None else 30.0)
            try:
                control.send(str(port).encode("ascii"))
                message, fds, _, _ = socket.recv_fds(control, 32, 1)
            except TimeoutError:
                raise
            except OSError as exc:
                raise ConnectionRefusedError(f"the namespace broker failed: {exc}") from exc
        if message.startswith(b"K") and fds:
            return socket.socket(fileno=fds[0])
        for fd in fds:
            os.close(fd)
        if message.startswith(b"F"):
            code = int(message[1:] or b"0")
            raise ConnectionRefusedError(code, os.strerror(code))
        raise ConnectionRefusedError("the namespace broker is gone")

    # --- the httpx transport: the store's own reads and writes (queries from the HTTP endpoint
    # go through connect() and entente.service.store.http_connection) ---------------------------

    def transport(self, *, keepalive: int = 0) -> httpx.HTTPTransport:
        transport = httpx.HTTPTransport()
        transport._pool = httpcore.ConnectionPool(
            max_keepalive_connections=keepalive, network_backend=_SyncBackend(self)
        )
        return transport


def _connected(link: NamespaceLink, port: int, timeout: float | None) -> socket.socket:
    """A socket to the child's port, with the broker's errors as httpcore's own."""
    try:
        sock = link.connect(port, timeout)
    except TimeoutError as exc:
        raise httpcore.ConnectTimeout(str(exc)) from exc
    except OSError as exc:
        raise httpcore.ConnectError(str(exc)) from exc
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class _SyncBackend(httpcore.SyncBackend):
    def __init__(self, link: NamespaceLink) -> None:
        self.link = link

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        from httpcore._backends.sync import SyncStream

        return SyncStream(_connected(self.link, port, timeout))


def die_with_parent() -> None:
    """In a child, before exec: have the kernel kill it when its parent thread ends."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def wait_for(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
