"""Query latency and throughput: entente's SPARQL endpoint against a bare Oxigraph server and
rdflib-endpoint, on the same ~1M-triple graph in the contract's shape, measured in one run.

    .venv/bin/python bench/query.py                      # builds a 1M-triple store in a temp dir
    .venv/bin/python bench/query.py --store DIR          # an existing store (reused, not changed)
    .venv/bin/python bench/query.py --triples 100000 --runs 10 --quick

Targets, each a separate process on a loopback port:

(a) entente: `entente serve` with its default engine (the accepted graphs in an Oxigraph server
    child; every request screened, negotiated, limited and counted by entente);
(b) bare Oxigraph: `oxigraph serve` (the same engine and server entente runs as its child, in
    its fastest fair configuration: read-write like entente's, same --timeout-s) on a copy of
    the same accepted database. (`serve-read-only` is slower on large results: it is not the
    baseline.)
(c) rdflib-endpoint on the same named graphs loaded into an rdflib Dataset (default graph: their
    union), when the package is installed; otherwise the bench says so and skips it.

For each query of examples/queries/*.rq: p50 and p95 latency over --runs requests per target
(requests interleaved across targets, so that load from elsewhere on the machine hits all of
them alike), after one warm-up request each; then throughput with --clients concurrent clients
running the whole query set, --rounds times, entente's and Oxigraph's rounds taken in turn (for
the same reason). Ratios printed: entente/oxigraph (goal: at most 1.5) and
rdflib-endpoint/entente (goal: at least 50). rdflib-endpoint gets at most --rdflib-timeout
seconds per request; slower is reported as "> N s".

Then the latency of new texts: each query the bare engine answers within 50 ms, asked
--fresh-runs times with a comment that differs on every request, so that entente's screening
cache cannot help (tools that build their queries send new texts all the time).

Last, a runaway query (COUNT over a three-way cartesian product) with `timeout=2` on entente:
when the E407 came, and when the engine's CPU was free again.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
QUERIES = HERE.parent / "examples" / "queries"
JSON = "application/sparql-results+json"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class Target:
    name: str
    url: str  # the query endpoint
    process: subprocess.Popen[bytes]
    timeout: float = 60.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    rows: dict[str, int | None] = field(default_factory=dict)
    timed_out: dict[str, bool] = field(default_factory=dict)  # no answer: not asked again
    failure: dict[str, str] = field(default_factory=dict)
    errors: int = 0  # requests without an answer during the throughput phase
    log: Path | None = None  # the server's stderr

    def ask(self, client: httpx.Client, query: str) -> tuple[float, int | None, str | None]:
        """One request: its latency, the number of result rows, and why there is no answer."""
        started = time.perf_counter()
        try:
            r = client.get(
                self.url, params={"query": query}, headers={"Accept": JSON}, timeout=self.timeout
            )
            elapsed = time.perf_counter() - started
            if r.status_code != 200:
                return elapsed, None, f"HTTP {r.status_code}"
            return elapsed, len(r.json().get("results", {}).get("bindings", [])), None
        except httpx.TimeoutException:
            return math.inf, None, f"> {self.timeout:g} s"
        except httpx.HTTPError as exc:  # a response broken off (entente aborts a stream so)
            return time.perf_counter() - started, None, f"broken response ({exc})"
        except ValueError:  # not JSON: the engine cut it (Oxigraph's timeout marker)
            return elapsed, None, "cut at its timeout"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server exited with {process.returncode}")
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up within {seconds:g} s")


@contextmanager
def running(
    command: Sequence[str], *, env: dict[str, str] | None = None, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    with ExitStack() as files:
        err = files.enter_context(log.open("wb")) if log else subprocess.DEVNULL
        process = subprocess.Popen(list(command), env=env, stdout=subprocess.DEVNULL, stderr=err)
        try:
            yield process
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def build_store(path: Path, triples: int) -> None:
    sys.path.insert(0, str(HERE))
    import synth  # bench/synth.py: the synthetic graph generator

    started = time.perf_counter()
    with synth.build_store(path, triples) as store:
        stats = store.stats()
    print(
        f"built {stats.triples:,} triples in {stats.documents:,} documents "
        f"in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )


def export_nquads(store: Path, out: Path) -> None:
    from entente.service.store import OxigraphStore

    with OxigraphStore(store) as s, out.open("wb") as f:
        s.export(f, fmt="nquads")


RDFLIB_APP = textwrap.dedent(
    """
    import sys
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    ds = Dataset(default_union=True)
    ds.parse(sys.argv[1], format="nquads")
    app = SparqlEndpoint(graph=ds, path="/sparql", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
    """
)


def rdflib_endpoint_missing() -> str | None:
    try:
        import rdflib_endpoint  # noqa: F401
    except ImportError:
        return (
            "rdflib-endpoint is not installed: (c) skipped. "
            "Install rdflib-endpoint==0.6.3 into the venv to compare with it."
        )
    return None


@contextmanager
def clients_for(targets: list[Target]) -> Iterator[dict[str, httpx.Client]]:
    """One kept-alive client per target, closed afterwards."""
    clients = {t.name: httpx.Client(trust_env=False) for t in targets}
    try:
        yield clients
    finally:
        for c in clients.values():
            c.close()


def measure_latency(targets: list[Target], queries: dict[str, str], runs: int) -> None:
    with clients_for(targets) as clients:
        for name, text in queries.items():
            for t in targets:
                t.latencies[name] = []
                # Warm-up (and, for entente, the screening cache).
                elapsed, rows, failure = t.ask(clients[t.name], text)
                t.rows[name] = rows
                if failure is not None:
                    t.timed_out[name] = True  # no answer in time: not asked again
                    t.failure[name] = f"{failure} after {elapsed:.0f} s"
            for _ in range(runs):
                for t in targets:
                    if t.timed_out.get(name):
                        continue
                    elapsed, _, failure = t.ask(clients[t.name], text)
                    t.latencies[name].append(elapsed)
                    if failure is not None:
                        t.timed_out[name] = True
                        t.failure[name] = failure
            print(f"  {name}: done", file=sys.stderr)


def throughput(
    target: Target,
    queries: dict[str, str],
    clients: int,
    *,
    rounds: int,
    budget: float = math.inf,
) -> float:
    """Requests per second with `clients` threads, each running the query set `rounds` times,
    or until `budget` seconds have passed."""
    target.errors = 0
    done, seconds = _requests_in(target, queries, clients, rounds=rounds, budget=budget)
    return done / seconds


def interleaved_throughput(
    targets: Sequence[Target], queries: dict[str, str], clients: int, *, rounds: int
) -> dict[str, float]:
    """Requests per second of each target, its rounds taken in turn with the other targets'
    (who goes first alternates), so that load from elsewhere on the machine falls on all of
    them alike rather than on whichever was measured while it lasted."""
    done = {t.name: 0 for t in targets}
    seconds = {t.name: 0.0 for t in targets}
    for t in targets:
        t.errors = 0
    for r in range(rounds):
        for t in targets if r % 2 == 0 else list(reversed(targets)):
            d, s = _requests_in(t, queries, clients, rounds=1, offset=r)
            done[t.name] += d
            seconds[t.name] += s
    return {name: done[name] / seconds[name] for name in done}


def _requests_in(
    target: Target,
    queries: dict[str, str],
    clients: int,
    *,
    rounds: int,
    budget: float = math.inf,
    offset: int = 0,
) -> tuple[int, float]:
    texts = list(queries.values())
    done = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + budget
    shift = offset  # where in the query set this round's clients start

    def worker(offset: int) -> None:
        nonlocal done
        with httpx.Client(trust_env=False) as client:
            for r in range(rounds):
                for i in range(len(texts)):
                    if time.perf_counter() > stop_at:
                        return
                    text = texts[(i + offset + r + shift) % len(texts)]
                    _, _, failure = target.ask(client, text)
                    with lock:
                        done += 1
                        target.errors += failure is not None

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done, time.perf_counter() - started


def pct(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
    return ordered[index]


def fmt_ms(target: Target, name: str, q: float) -> str:
    if target.timed_out.get(name):
        return "no answer"
    return f"{pct(target.latencies[name], q) * 1000:8.1f}"


def ratio(a: float, b: float) -> float:
    return a / b if b > 0 else math.nan


def runaway(entente: Target) -> str:
    """E407 time and CPU release for a runaway query with a 2 s deadline."""
    from entente.service.store.oxigraph_child import process_cpu_seconds

    def engine_pids() -> list[int]:
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parent = int(stat.rsplit(")", 1)[1].split()[1])
                if parent == entente.process.pid and "oxigraph" in stat.split(")")[0]:
                    found.append(int(entry))
        return found

    def cpu() -> float:
        total = 0.0
        for pid in engine_pids():
            with suppress(OSError):
                total += process_cpu_seconds(pid)
        return total

    started = time.perf_counter()
    r = httpx.get(entente.url, params={"query": RUNAWAY, "timeout": "2"}, timeout=60)
    answered = time.perf_counter() - started
    code = r.json().get("error", {}).get("code") if r.status_code != 200 else "200"
    # CPU free: the first 100 ms window after the answer in which the engine used < 10 ms.
    free_after = math.nan
    previous = cpu()
    for _ in range(60):
        time.sleep(0.1)
        now = cpu()
        if now - previous < 0.01:
            free_after = time.perf_counter() - started - answered
            break
        previous = now
    return (
        f"runaway query, timeout=2: {r.status_code} {code} after {answered:.2f} s; "
        f"engine CPU free {free_after:.2f} s after the answer"
    )


def engine_events(entente: Target) -> str:
    """What entente's log says about its engine: restarts, and streams aborted after their
    status line."""
    text = entente.log.read_text(errors="replace") if entente.log else ""
    restarts = [
        line.split("restarting the Oxigraph server child: ", 1)[1]
        for line in text.splitlines()
        if "restarting the Oxigraph server child" in line
    ]
    aborted = sum(1 for line in text.splitlines() if "(status already sent)" in line)
    lines = [f"engine restarts during the run: {len(restarts)}"]
    lines += [f"  {reason}" for reason in restarts[:10]]
    lines.append(f"results aborted after their status line: {aborted}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an existing entente store (not modified)")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20, help="requests per query and target")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="query-set rounds per client")
    parser.add_argument("--rdflib-timeout", type=float, default=30.0, help="per request")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="requests per query")
    parser.add_argument(
        "--rdflib-budget", type=float, default=120.0, help="seconds of throughput measurement"
    )
    parser.add_argument(
        "--fresh-runs",
        type=int,
        default=10,
        help="requests per query with a new text each time (0: skip that phase)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs, no throughput phase")
    parser.add_argument(
        "--skip-rdflib", action="store_true", help="leave rdflib-endpoint out (it takes minutes)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.rounds = min(args.runs, 5), 0

    queries = {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))}
    python = sys.executable
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="entente-bench-")))
        store = args.store
        if store is None:
            store = work / "store"
            build_store(store, args.triples)
        # Bare Oxigraph reads a copy: two processes may not share one RocksDB directory.
        bare_dir = work / "bare"
        shutil.copytree(store / "accepted", bare_dir)
        missing = "rdflib-endpoint left out (--skip-rdflib)" if args.skip_rdflib else None
        missing = missing or rdflib_endpoint_missing()
        dump = work / "data.nq"
        if missing:
            print(missing, file=sys.stderr)
        else:
            export_nquads(store, dump)  # before entente serve takes the store
        targets: list[Target] = []

        port = free_port()
        port_args = ["--port", str(port)]
        entente_proc = stack.enter_context(
            running(
                [
                    python,
                    "-m",
                    "entente.service.cli.commands",
                    "serve",
                    "--store",
                    str(store),
                    *port_args,
                ],
                env={**os.environ, "ENTENTE_ENGINE": "served"},
                log=work / "entente.log",
            )
        )
        entente = Target("entente", f"http://127.0.0.1:{port}/sparql", entente_proc)
        entente.log = work / "entente.log"
        wait_until_up(entente.url, entente_proc, 120)
        targets.append(entente)

        port = free_port()
        bind_args = ["--bind", f"127.0.0.1:{port}", "--timeout-s", "30"]
        oxigraph = shutil.which("oxigraph") or str(Path(python).with_name("oxigraph"))
        bare_proc = stack.enter_context(
            running([oxigraph, "serve", "--location", str(bare_dir), *bind_args])
        )
        bare = Target("oxigraph", f"http://127.0.0.1:{port}/query", bare_proc)
        wait_until_up(bare.url, bare_proc, 60)
        targets.append(bare)

        print(f"latency: {len(queries)} queries x {args.runs} runs", file=sys.stderr)
        measure_latency(targets, queries, args.runs)
        fresh: dict[str, dict[str, list[float]]] = {}
        if args.fresh_runs:
            print(f"latency of new texts: {args.fresh_runs} runs", file=sys.stderr)
            fresh = measure_fresh(targets, queries, args.fresh_runs)
        rates: dict[str, float] = {}
        # Throughput on the queries both servers answered in time, the same set for both.
        common = {
            name: text
            for name, text in queries.items()
            if not entente.timed_out.get(name) and not bare.timed_out.get(name)
        }
        if args.rounds:
            print(f"throughput: {', '.join(t.name for t in targets)}, in turn", file=sys.stderr)
            rates.update(interleaved_throughput(targets, common, args.clients, rounds=args.rounds))
        note = runaway(entente)
        note += "\n" + engine_events(entente)

        # rdflib-endpoint last, on its own: loading 1M quads into rdflib takes minutes and a
        # core, which would disturb the two servers above if they were measured meanwhile.
        rdflib_target: Target | None = None
        if not missing:
            script = work / "rdflib_app.py"
            script.write_text(RDFLIB_APP, encoding="utf-8")
            port = free_port()
            rdflib_proc = stack.enter_context(running([python, str(script), str(dump), str(port)]))
            rdflib_target = Target(
                "rdflib-endpoint",
                f"http://127.0.0.1:{port}/sparql",
                rdflib_proc,
                timeout=args.rdflib_timeout,
            )
            print("loading the graph into rdflib-endpoint (minutes at 1M)...", file=sys.stderr)
            wait_until_up(rdflib_target.url, rdflib_proc, 3600)
            print(f"latency: rdflib-endpoint, {args.rdflib_runs} runs", file=sys.stderr)
            measure_latency([rdflib_target], queries, args.rdflib_runs)
            if args.rounds:
                # It answers in seconds where the others take milliseconds: a time budget.
                print("throughput: rdflib-endpoint", file=sys.stderr)
                answered = {
                    name: text
                    for name, text in common.items()
                    if not rdflib_target.timed_out.get(name)
                }
                rates[rdflib_target.name] = throughput(
                    rdflib_target, answered, args.clients, rounds=1, budget=args.rdflib_budget
                )

    report(queries, entente, bare, rdflib_target, rates, args, missing, note)
    report_fresh(fresh)
    return 0


FRESH_BELOW = 0.05  # seconds (bare p50): the new-text phase asks only the quick queries


def measure_fresh(
    targets: list[Target], queries: dict[str, str], runs: int
) -> dict[str, dict[str, list[float]]]:
    """Latency of texts neither server has seen: each quick query with a comment that differs
    on every request, so entente's screening cache cannot help (tools that build their queries
    send new texts all the time). Requests interleaved across targets, as above."""
    bare = targets[-1]
    quick = [
        name
        for name, text in queries.items()
        if bare.latencies.get(name) and pct(bare.latencies[name], 0.5) < FRESH_BELOW
    ]
    out: dict[str, dict[str, list[float]]] = {t.name: {} for t in targets}
    with clients_for(targets) as clients:
        for name in quick:
            for i in range(runs):
                text = f"{queries[name]}\n# request {i} {time.perf_counter_ns()}\n"
                for t in targets:
                    elapsed, _, failure = t.ask(clients[t.name], text)
                    if failure is None:
                        out[t.name].setdefault(name, []).append(elapsed)
    return out


def report_fresh(fresh: dict[str, dict[str, list[float]]]) -> None:
    if not fresh or not fresh.get("entente"):
        return
    ent, bare = fresh["entente"], fresh["oxigraph"]
    names = [n for n in ent if n in bare]
    print("\nnew texts (a comment that differs on every request), p50 in ms\n")
    ratios = []
    for name in names:
        e, o = pct(ent[name], 0.5) * 1000, pct(bare[name], 0.5) * 1000
        ratios.append(e / o)
        print(f"{name[:42]:<42} | entente {e:8.1f} | oxigraph {o:8.1f} | {e / o:6.2f}x")
    if ratios:
        geo = math.exp(statistics.fmean(math.log(r) for r in ratios))
        print(
            f"entente / bare Oxigraph on new texts over {len(ratios)} queries: geometric mean "
            f"{geo:.2f}x, worst {max(ratios):.2f}x"
        )


def report(
    queries: dict[str, str],
    entente: Target,
    bare: Target,
    rdflib_target: Target | None,
    rates: dict[str, float],
    args: argparse.Namespace,
    missing: str | None,
    note: str,
) -> None:
    header = (
        f"{'query':<42} {'rows':>6} | {'entente p50':>11} {'p95':>8} | {'oxigraph p50':>12} "
        f"{'p95':>8} | {'ent/oxi p50':>11} {'p95':>6}"
    )
    if rdflib_target is not None:
        header += f" | {'rdflib p50':>10} {'rdflib/ent':>10}"
    print(f"\nlatency in ms, {args.runs} runs per query and target\n")
    print(header)
    print("-" * len(header))
    ratios50: list[float] = []
    ratios95: list[float] = []
    slower: list[float] = []
    for name in queries:
        answered = not entente.timed_out.get(name) and not bare.timed_out.get(name)
        e50, e95 = pct(entente.latencies[name], 0.5), pct(entente.latencies[name], 0.95)
        o50, o95 = pct(bare.latencies[name], 0.5), pct(bare.latencies[name], 0.95)
        r50, r95 = (ratio(e50, o50), ratio(e95, o95)) if answered else (math.nan, math.nan)
        if answered:
            ratios50.append(r50)
            ratios95.append(r95)
        rows = entente.rows.get(name)
        others = [bare] + ([rdflib_target] if rdflib_target is not None else [])
        agree = "" if all(t.rows.get(name) in (rows, None) for t in others) else " (!)"
        shown = "-" if rows is None else str(rows)
        line = (
            f"{name[:42]:<42} {shown + agree:>6} | "
            f"{fmt_ms(entente, name, 0.5):>11} {fmt_ms(entente, name, 0.95):>8} | "
            f"{fmt_ms(bare, name, 0.5):>12} {fmt_ms(bare, name, 0.95):>8} | "
            + (f"{r50:>10.2f}x {r95:>5.2f}x" if answered else f"{'-':>11} {'-':>6}")
        )
        if rdflib_target is not None:
            if entente.timed_out.get(name):
                line += f" | {fmt_ms(rdflib_target, name, 0.5):>10} {'-':>10}"
            elif rdflib_target.timed_out.get(name):
                at_least = rdflib_target.timeout / e50
                line += f" | {'> ' + format(rdflib_target.timeout, 'g') + ' s':>10} "
                line += f"{'> ' + format(at_least, '.0f') + 'x':>10}"
                slower.append(at_least)
            else:
                r50c = pct(rdflib_target.latencies[name], 0.5)
                line += f" | {r50c * 1000:>10.1f} {ratio(r50c, e50):>9.3g}x"
                slower.append(ratio(r50c, e50))
        print(line)
    failures = [
        f"  {t.name}, {name}: {t.failure[name]}"
        for t in (entente, bare, *([rdflib_target] if rdflib_target else []))
        for name in queries
        if name in t.failure
    ]
    if failures:
        print("\nno answer:\n" + "\n".join(failures))
    if ratios50:
        geo50 = math.exp(statistics.fmean(math.log(r) for r in ratios50))
        geo95 = math.exp(statistics.fmean(math.log(r) for r in ratios95))
        print(
            f"\nentente / bare Oxigraph latency over the {len(ratios50)} queries both answered: "
            f"geometric mean {geo50:.2f}x (p50), {geo95:.2f}x (p95); worst p50 "
            f"{max(ratios50):.2f}x. Goals: geometric mean at most 1.15x, worst at most 1.5x."
        )
    if slower:
        geo = math.exp(statistics.fmean(math.log(r) for r in slower))
        print(
            f"rdflib-endpoint / entente latency: geometric mean {geo:.0f}x, smallest "
            f"{min(slower):.0f}x (a query rdflib-endpoint did not answer within "
            f"{args.rdflib_timeout:g} s counts at that cap). Goal: at least 50x."
        )
    elif missing:
        print(missing)
    if rates:
        by_name = {t.name: t for t in (entente, bare, *([rdflib_target] if rdflib_target else []))}
        parts = [
            f"{name} {rate:.1f} q/s ({by_name[name].errors} without answer)"
            for name, rate in rates.items()
        ]
        print(
            f"throughput with {args.clients} clients (the queries both servers answered; "
            "rdflib-endpoint: those it answered, for a limited time): " + ", ".join(parts)
        )
        if "oxigraph" in rates:
            print(
                f"  entente / oxigraph throughput: {rates['entente'] / rates['oxigraph']:.2f}x "
                "(goal: at least 0.9x)"
            )
    print(note)


if __name__ == "__main__":
    raise SystemExit(main())
