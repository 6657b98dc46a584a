"""Stalls: how long small requests wait while a big one runs on the same `entente serve`.

    .venv/bin/python bench/stalls.py                 # all three scenarios
    .venv/bin/python bench/stalls.py --only values   # values | put | ingest

Each scenario measures the latency of small requests twice in the same run: alone (the
baseline), then while a big request is under way; it prints p50, p95 and max of both and the
ratio of the p95s.

values: trivial SELECTs (each a different text, as analysts' queries are) while one client
        sends SELECTs with a 100k-row VALUES block, one after the other.
put:    GET /health while a PUT /store of 200k triples runs.
ingest: a 90-byte POST /documents sent 1 s into a POST /documents of a --ingest-mib MiB article
        without punctuation (one "sentence"); needs the spaCy model the server uses.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from query import free_port, running  # noqa: E402  (bench/query.py)

TOKEN = "bench-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def wait_for_health(base: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{base} did not come up")


def summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: no samples"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"{name}: n={len(values)} p50={statistics.median(values) * 1000:.0f} ms "
        f"p95={p95 * 1000:.0f} ms max={max(values) * 1000:.0f} ms"
    )


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else float("nan")


def probe(
    send: Callable[[httpx.Client, int], httpx.Response], seconds: float, stop: threading.Event
) -> list[float]:
    """Latencies of small requests sent one after the other for `seconds` (or until `stop`)."""
    latencies = []
    deadline = time.monotonic() + seconds
    with httpx.Client(timeout=120, trust_env=False) as client:
        i = 0
        while time.monotonic() < deadline and not stop.is_set():
            started = time.perf_counter()
            response = send(client, i)
            latencies.append(time.perf_counter() - started)
            if response.status_code >= 500:
                print(f"  probe got {response.status_code}: {response.text[:200]}", file=sys.stderr)
            i += 1
            time.sleep(0.05)
    return latencies


def report(title: str, alone: list[float], loaded: list[float]) -> None:
    print(title)
    print("  " + summary("alone ", alone))
    print("  " + summary("loaded", loaded))
    print(f"  p95 loaded/alone: {p95(loaded) / p95(alone):.1f}x")


def values_scenario(base: str, seconds: float) -> None:
    sent = iter(range(1, 10**9))

    def trivial(client: httpx.Client, _: int) -> httpx.Response:
        # A text not seen before each time: no screening cache hit.
        query = f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {next(sent)}"
        return client.get(f"{base}/sparql", params={"query": query})

    big = (
        "SELECT ?v WHERE { VALUES ?v { "
        + " ".join(f'"v{i}"' for i in range(100_000))
        + " } } LIMIT 1"
    )
    alone = probe(trivial, seconds / 2, threading.Event())
    stop = threading.Event()
    big_times: list[tuple[float, int]] = []

    def hammer() -> None:
        with httpx.Client(timeout=300, trust_env=False) as client:
            while not stop.is_set():
                started = time.perf_counter()
                r = client.post(
                    f"{base}/sparql",
                    content=big.encode(),
                    headers={"Content-Type": "application/sparql-query"},
                )
                big_times.append((time.perf_counter() - started, r.status_code))

    thread = threading.Thread(target=hammer, daemon=True)
    thread.start()
    time.sleep(0.5)
    loaded = probe(trivial, seconds, threading.Event())
    stop.set()
    thread.join(timeout=300)
    report("values: trivial queries while 100k-value VALUES queries run", alone, loaded)
    print("  the big queries: " + ", ".join(f"{t:.1f} s -> {code}" for t, code in big_times[:6]))


def put_scenario(base: str, seconds: float) -> None:
    def health(client: httpx.Client, _: int) -> httpx.Response:
        return client.get(f"{base}/health")

    body = "".join(
        f'<http://example.org/s{i}> <http://example.org/p> "value {i}" .\n' for i in range(200_000)
    ).encode()
    alone = probe(health, seconds / 2, threading.Event())
    done = threading.Event()
    outcome: list[str] = []

    def put() -> None:
        started = time.perf_counter()
        r = httpx.put(
            f"{base}/store",
            params={"graph": "http://example.org/bulk"},
            content=body,
            headers={**AUTH, "Content-Type": "application/n-triples"},
            timeout=600,
        )
        outcome.append(f"{r.status_code} in {time.perf_counter() - started:.1f} s")
        done.set()

    thread = threading.Thread(target=put, daemon=True)
    thread.start()
    loaded = probe(health, 600, done)
    thread.join()
    report(f"put: GET /health while PUT /store of 200k triples runs ({outcome})", alone, loaded)


def ingest_scenario(base: str, mib: float) -> None:
    words = ("alpha", "beta", "gamma", "delta", "semiconductor", "export", "control", "sweden")
    size = int(mib * 1024 * 1024)
    text = []
    total = 0
    i = 0
    while total < size:
        word = words[i % len(words)]
        text.append(word)
        total += len(word) + 1
        i += 1
    big = " ".join(text).encode()
    small = b"Sweden and Japan signed an agreement on semiconductor export controls in 2023."
    results: dict[str, str] = {}

    def post(name: str, body: bytes) -> None:
        started = time.perf_counter()
        r = httpx.post(
            f"{base}/documents",
            content=body,
            headers={**AUTH, "Content-Type": "text/plain"},
            timeout=900,
        )
        status = r.json()[0]["status"] if r.status_code == 200 else r.text[:200]
        results[name] = f"{r.status_code} {status} in {time.perf_counter() - started:.1f} s"

    post("small alone", small.replace(b"2023", b"2022"))
    big_thread = threading.Thread(target=post, args=("big", big))
    big_thread.start()
    time.sleep(1.0)
    post("small while big runs", small)
    big_thread.join()
    print(f"ingest: a 90-byte article while a {mib:g} MiB article without punctuation is ingested")
    for name, result in results.items():
        print(f"  {name}: {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["values", "put", "ingest"], action="append")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--ingest-mib", type=float, default=1.0)
    parser.add_argument(
        "--server-pythonpath",
        help="PYTHONPATH for the server: measure another checkout's entente (a folder holding "
        "an entente/ package) with this one's client, for before/after figures",
    )
    args = parser.parse_args()
    chosen = args.only or ["values", "put", "ingest"]
    with tempfile.TemporaryDirectory(prefix="entente-stalls-") as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "ENTENTE_WRITE_TOKEN": TOKEN}
        env.pop("ENTENTE_STORE_URL", None)
        if args.server_pythonpath:
            env["PYTHONPATH"] = args.server_pythonpath
        command = [
            sys.executable, "-m", "entente.service.cli.commands", "serve",
            "--store", str(Path(tmp) / "store"), "--port", str(port),
        ]  # fmt: skip
        with running(command, env=env, log=Path(tmp) / "server.log"):
            wait_for_health(base)
            if "values" in chosen:
                values_scenario(base, args.seconds)
            if "put" in chosen:
                put_scenario(base, args.seconds)
            if "ingest" in chosen:
                ingest_scenario(base, args.ingest_mib)


if __name__ == "__main__":
    main()
