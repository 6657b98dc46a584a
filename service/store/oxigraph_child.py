"""The Oxigraph server child process that runs `entente serve`'s queries, and its supervisor.

Why a child process (docs/decisions/0002-query-timeouts.md): pyoxigraph cannot cancel a query,
so a runaway query in the entente process burns a core until it ends. The Oxigraph server
(`oxigraph serve`, shipped in the `oxigraph` wheel) evaluates each connection in a thread of its
own and has a timeout (`--timeout-s`) that cancels a query cooperatively. Measured on 0.5.13,
that cancellation is not enough on its own: a streaming query stops at its timeout (or as soon
as its client disconnects), but an aggregate or an ORDER BY over a cartesian product only checks
for cancellation now and then: COUNT over a three-way product stopped 2 to 3.5 s after a 2 s
timeout, and an ORDER BY over one ran for more than six minutes, holding 9.6 GB, with its client
long gone. So this supervisor adds the one measure that always works: a request that entente
has given up on (its deadline passed, or its client left) and whose server thread still burns
CPU `grace` seconds later gets the server killed (SIGKILL) and restarted on the same port.

How it finds that thread: the server names each connection's thread after the peer address,
`127.0.0.1:<port>`, and every request entente sends opens its own connection, whose local port
the RemoteStore reports with `abandoned(port)`. The thread's CPU time is in
/proc/<pid>/task/<tid>/stat. (Linux only; elsewhere runaway requests are left to the server's
own timeout, and the log says so once.)

What a restart costs: about 0.15 s on a 1M-triple store (RocksDB replays its log; nothing
committed is lost, and a write is never cut: the restart waits for `write_guard`, which the
RemoteStore holds around each write). Requests in flight on the killed server fail; the
RemoteStore retries a read once when nothing of it has reached its client yet, and an idempotent
write once.

The supervisor also restarts a server that died on its own (with a limit: five restarts within
a minute and it gives up, and requests get E206), and stops it when entente stops. The child
never outlives entente: it is killed by the kernel when the thread that started it ends
(PR_SET_PDEATHSIG on Linux), and every (re)start happens in the supervisor's own thread, which
lives as long as the supervisor.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from entente.errors import EntenteError
from entente.service.store.netns import NamespaceLink, die_with_parent
from entente.service.store.remote import Endpoints

log = logging.getLogger("entente.engine")

GRACE = 0.5  # seconds a given-up request's thread may still burn CPU before the server restarts
POLL = 0.1  # supervisor tick
_BUSY_TICKS = 2  # CPU clock ticks (10 ms each) within one tick that mean "still working"
_IDLE_DROP = 3.0  # a given-up request whose thread stays idle this long is forgotten
_RESTART_LIMIT = (5, 60.0)  # at most 5 unplanned restarts within 60 s
_PROC = Path("/proc")
_NAMESPACE_PORT = 7878  # inside the child's own network namespace, where nothing else listens


def oxigraph_binary() -> Path:
    """The `oxigraph` server binary: beside this Python (the `oxigraph` wheel installs it in
    the virtual environment's bin/), else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise EntenteError(
        "E206",
        "the Oxigraph server binary `oxigraph` is not installed",
        where="oxigraph",
        hint="Install the pinned `oxigraph` package (pip install -c requirements/... oxigraph), "
        "or run `entente serve --engine embedded` (no hard query timeouts).",
    )


@dataclass
class _GivenUp:
    port: int
    at: float
    tid: str | None = None
    ticks: int | None = None
    idle_since: float | None = None


@dataclass
class _State:
    process: subprocess.Popen[bytes] | None = None
    port: int = 0
    generation: int = 0
    ready: bool = False
    failed: str | None = None  # set when the supervisor gave up
    restart_reason: str | None = None  # a restart asked for, not yet done
    restarts: deque[float] = field(default_factory=deque)


class OxigraphServer:
    """Runs `oxigraph serve --location LOCATION` and supervises it.

    `isolation="namespace"` (the default) runs it in a private network namespace, reached only
    through sockets a broker hands to this process (entente.service.store.netns; E512 when the
    machine cannot make one); "none" on a free port of the host's loopback, where every local
    user can reach it (docs/decisions/0011-oxigraph-child-isolation.md)."""

    def __init__(
        self,
        location: Path,
        *,
        timeout: float,
        binary: Path | None = None,
        grace: float = GRACE,
        startup_timeout: float = 60.0,
        isolation: str = "namespace",
    ) -> None:
        if isolation not in ("namespace", "none"):
            raise EntenteError(
                "E501",
                f"ENTENTE_CHILD_ISOLATION={isolation!r}; use namespace or none",
                where="ENTENTE_CHILD_ISOLATION",
            )
        self.isolation = isolation
        self.link: NamespaceLink | None = None
        self.location = location
        self.timeout = timeout
        self.binary = binary
        self.grace = grace
        self.startup_timeout = startup_timeout
        self.restarts = 0  # every restart, planned or not (tests and the log read it)
        self.last_restart_reason: str | None = None
        self._state = _State()
        self._cond = threading.Condition()
        self._write_guard = threading.Lock()
        self._given_up: dict[int, _GivenUp] = {}
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._output: deque[str] = deque(maxlen=40)
        self._proc_ok = _PROC.joinpath("self", "task").is_dir()
        if not self._proc_ok:
            log.warning(
                "no /proc here: a query given up at its deadline is left to the server's own "
                "timeout, which does not stop every query"
            )

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> OxigraphServer:
        """Start the child and wait until it answers (E206 if it does not, E201 if the store is
        locked by another process)."""
        binary = self.binary or oxigraph_binary()
        self.binary = binary
        if self.isolation == "namespace":
            self.link = NamespaceLink().start()
        else:
            log.warning(
                "the Oxigraph server child listens on the host's loopback "
                "(ENTENTE_CHILD_ISOLATION=none): every local user can reach it"
            )
        self._thread = threading.Thread(target=self._supervise, name="oxigraph-supervisor")
        self._thread.daemon = True
        self._thread.start()
        with self._cond:
            ok = self._cond.wait_for(
                lambda: self._state.ready or self._state.failed is not None,
                timeout=self.startup_timeout + 5,
            )
            failed = self._state.failed
        if not ok or failed is not None:
            self.stop()
            detail = failed or f"it did not answer within {self.startup_timeout:g} s"
            if "lock" in detail.lower():
                raise EntenteError(
                    "E201",
                    f"the store at {self.location.parent} is in use by another process "
                    "(is `entente serve` running?)",
                    where=str(self.location.parent),
                )
            raise EntenteError(
                "E206",
                f"the Oxigraph server for {self.location} did not start: {detail}",
                where=str(self.location),
            )
        return self

    def stop(self) -> None:
        """Stop the child (SIGTERM, then SIGKILL after 10 s) and the supervisor."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)
        if self.link is not None:
            self.link.stop()

    @property
    def connector(self) -> NamespaceLink | None:
        """How to connect to the child (None: plain TCP to `endpoints`)."""
        return self.link

    @property
    def endpoints(self) -> Endpoints:
        return _endpoints_at(self._state.port)

    @property
    def pid(self) -> int | None:
        process = self._state.process
        return process.pid if process is not None and process.poll() is None else None

    # --- the RemoteStore's Supervisor protocol ------------------------------------------------

    @property
    def generation(self) -> int:
        return self._state.generation

    @property
    def write_guard(self) -> threading.Lock:
        return self._write_guard

    def abandoned(self, local_port: int) -> None:
        if not self._proc_ok:
            return
        with self._cond:
            self._given_up[local_port] = _GivenUp(local_port, time.monotonic())
            self._cond.notify_all()

    def recover(self, generation: int, timeout: float) -> bool:
        """Wait until a server newer than `generation` is ready. A connection failure with no
        restart under way (the server alive, or already replaced) is not the server's doing:
        give it a moment to show up as dead, then say so."""
        now = time.monotonic()
        deadline = now + timeout
        patience = now + 3 * POLL  # time for the supervisor to notice a death
        with self._cond:
            while True:
                state = self._state
                if state.failed is not None or self._stopping:
                    return False
                if state.generation != generation and state.ready:
                    return True
                process = state.process
                restarting = (
                    not state.ready
                    or state.restart_reason is not None
                    or process is None
                    or process.poll() is not None
                )
                now = time.monotonic()
                if (not restarting and now > patience) or now >= deadline:
                    return False
                self._cond.wait(min(deadline - now, POLL))

    def failure(self, detail: str) -> EntenteError:
        reason = self._state.failed or detail
        return EntenteError(
            "E206",
            f"the Oxigraph server child is not answering: {reason}",
            where=str(self.location),
        )

    def restart(self, reason: str, *, wait: bool = True) -> None:
        """Ask the supervisor for a restart (tests, operators); waits until it is done."""
        with self._cond:
            generation = self._state.generation
            self._state.restart_reason = reason
            self._cond.notify_all()
            if wait:
                self._cond.wait_for(
                    lambda: self._state.generation != generation or self._state.failed is not None,
                    timeout=self.startup_timeout + 5,
                )

    # --- the supervisor thread ----------------------------------------------------------------

    def _supervise(self) -> None:
        try:
            self._spawn()
            while True:
                with self._cond:
                    if self._stopping:
                        break
                    self._cond.wait(POLL)
                    if self._stopping:
                        break
                    reason = self._state.restart_reason
                    process = self._state.process
                if process is not None and process.poll() is not None and reason is None:
                    reason = f"it exited with status {process.returncode}"
                    if not self._allow_unplanned_restart():
                        self._fail(f"it keeps exiting ({reason}); giving up")
                        break
                    log.error("the Oxigraph server child died (%s); restarting it", reason)
                if reason is None:
                    reason = self._runaway()
                if reason is not None:
                    self._restart(reason)
        except Exception as exc:  # the supervisor must never die silently
            log.exception("the Oxigraph server supervisor failed")
            self._fail(str(exc))
        finally:
            self._terminate()

    def _restart(self, reason: str) -> None:
        log.warning("restarting the Oxigraph server child: %s", reason)
        # Never cut a write: wait for the one under way (writes are short; the guard is held
        # around one HTTP request, never while waiting for this restart).
        with self._write_guard:
            with self._cond:
                self._state.ready = False
                self._given_up.clear()
            self._kill()
            self._spawn()
        self.restarts += 1
        self.last_restart_reason = reason
        with self._cond:
            self._state.restart_reason = None
            self._cond.notify_all()

    def _spawn(self) -> None:
        """Start the child on the same port as before (a new one if that is taken) and wait
        until it answers. Runs in the supervisor thread only (see PR_SET_PDEATHSIG)."""
        assert self.binary is not None
        link = self.link
        if link is not None and not link.alive():  # the broker died: a new namespace
            link.stop()
            link.start()
        port = self._state.port or (_NAMESPACE_PORT if link is not None else _free_port())
        last_error = ""
        for _ in range(3):
            command = [
                str(self.binary),
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout-s",
                str(max(1, math.ceil(self.timeout))),
            ]
            process = subprocess.Popen(
                command,
                env=_child_environment(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a terminal's Ctrl-C is entente's to handle
                preexec_fn=link.preexec() if link is not None else die_with_parent,
            )
            threading.Thread(
                target=self._drain, args=(process,), name="oxigraph-output", daemon=True
            ).start()
            with self._cond:
                self._state.process = process
                self._state.port = port
            answered = self._wait_until_answering(process, port)
            if answered:
                with self._cond:
                    self._state.generation += 1
                    self._state.ready = True
                    self._cond.notify_all()
                log.info(
                    "Oxigraph server child %d serves %s on 127.0.0.1:%d",
                    process.pid,
                    self.location,
                    port,
                )
                return
            _reap(process)
            last_error = " | ".join(self._output) or f"exit status {process.returncode}"
            if "in use" in last_error.lower() and link is None:
                port = _free_port()  # the old port was taken meanwhile
                continue
            break
        raise RuntimeError(last_error)

    def _wait_until_answering(self, process: subprocess.Popen[bytes], port: int) -> bool:
        url = f"http://127.0.0.1:{port}/query"
        deadline = time.monotonic() + self.startup_timeout
        transport = self.link.transport() if self.link is not None else None
        with httpx.Client(transport=transport, timeout=1.0, trust_env=False) as client:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    time.sleep(0.05)  # let the output thread catch the last lines
                    return False
                try:
                    response = client.get(url, params={"query": "ASK {}"})
                    if response.status_code == 200:
                        return True
                except httpx.HTTPError:
                    pass
                time.sleep(0.01)
        return False

    def _drain(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                self._output.append(line)
                log.debug("oxigraph[%d]: %s", process.pid, line)
        process.stdout.close()

    def _kill(self) -> None:
        process = self._state.process
        if process is not None and process.poll() is None:
            process.kill()
        if process is not None:
            _reap(process)

    def _terminate(self) -> None:
        process = self._state.process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        _reap(process)
        with self._cond:
            self._state.ready = False
            self._cond.notify_all()

    def _fail(self, reason: str) -> None:
        log.error("the Oxigraph server child is down for good: %s", reason)
        with self._cond:
            self._state.failed = reason
            self._state.ready = False
            self._cond.notify_all()

    def _allow_unplanned_restart(self) -> bool:
        limit, window = _RESTART_LIMIT
        now = time.monotonic()
        times = self._state.restarts
        while times and now - times[0] > window:
            times.popleft()
        times.append(now)
        return len(times) <= limit

    # --- finding runaway work -----------------------------------------------------------------

    def _runaway(self) -> str | None:
        """A reason to restart when a given-up request's thread still burns CPU past the
        grace period; forgets requests whose thread ended or went idle."""
        with self._cond:
            given_up = list(self._given_up.values())
        process = self._state.process
        if not given_up or process is None or process.poll() is not None:
            return None
        threads = _threads(process.pid)
        now = time.monotonic()
        for entry in given_up:
            if entry.tid is None:
                entry.tid = threads.get(_thread_name(entry.port))
                if entry.tid is None:  # the connection's thread has already ended
                    self._forget(entry.port)
                    continue
            ticks = _cpu_ticks(process.pid, entry.tid)
            if ticks is None:  # thread ended
                self._forget(entry.port)
                continue
            previous = entry.ticks or 0
            first, entry.ticks = entry.ticks is None, ticks
            if first:  # busy or not shows from the next sample on
                continue
            busy = ticks - previous >= _BUSY_TICKS
            if busy:
                entry.idle_since = None
                if now - entry.at >= self.grace:
                    return (
                        f"the query from port {entry.port} was given up {now - entry.at:.1f} s "
                        "ago and is still running"
                    )
            else:
                entry.idle_since = entry.idle_since or now
                if now - entry.idle_since > _IDLE_DROP:
                    self._forget(entry.port)
        return None

    def _forget(self, port: int) -> None:
        with self._cond:
            self._given_up.pop(port, None)


# --- helpers ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Stack of each thread the child starts (Rust's RUST_MIN_STACK; 2 MiB by default). Oxigraph's
# parser, optimiser and evaluator recurse on long flat sequences: with 2 MiB its server dies on
# 700 OPTIONALs (22 kB), 3,000 `&&` operands (18 kB) or a 2,000-step property path (8 kB), all
# texts the screen accepts; with 256 MiB all of those are answered (measured, ADR 0018). Address
# space only: a thread's stack pages are committed as they are used.
CHILD_THREAD_STACK = 256 * 1024 * 1024


def _child_environment() -> dict[str, str]:
    """entente's environment, with a deep thread stack unless the operator chose one."""
    env = dict(os.environ)
    env.setdefault("RUST_MIN_STACK", str(CHILD_THREAD_STACK))
    return env


def _reap(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def _thread_name(port: int) -> str:
    # The kernel keeps 15 bytes of a thread's name.
    return f"127.0.0.1:{port}"[:15]


def _threads(pid: int) -> dict[str, str]:
    """Thread name -> thread id, for the child's threads."""
    names: dict[str, str] = {}
    task = _PROC / str(pid) / "task"
    try:
        tids = os.listdir(task)
    except OSError:
        return names
    for tid in tids:
        try:
            names[(task / tid / "comm").read_text().strip()] = tid
        except OSError:
            continue
    return names


def _cpu_ticks(pid: int, tid: str) -> int | None:
    """User + system CPU time of one thread, in clock ticks; None when it has ended."""
    try:
        stat = (_PROC / str(pid) / "task" / tid / "stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a whole process, in seconds (for tests and the benchmark)."""
    stat = (_PROC / str(pid) / "stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@functools.lru_cache(maxsize=8)
def _endpoints_at(port: int) -> Endpoints:
    # Asked for on every query; the port changes only when the child is restarted.
    return Endpoints.from_base(f"http://127.0.0.1:{port}")
