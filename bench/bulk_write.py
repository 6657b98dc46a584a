"""Bulk writes: a large PUT /store on `entente serve` against the same PUT on bare `oxigraph
serve` (the engine entente runs as its child), measured in the same run.

    .venv/bin/python bench/bulk_write.py                       # 200k triples, 3 rounds
    .venv/bin/python bench/bulk_write.py --triples 50000 --rounds 5
    .venv/bin/python bench/bulk_write.py --server-pythonpath /tmp/before   # another checkout

Each round sends the same N-Triples body (N subjects, a literal each) to both servers, one after
the other, alternating which goes first:
  create:  PUT /store?graph=<new graph>        (the graph does not exist yet)
  replace: PUT /store?graph=<the same graph>   (every triple of the old content replaced)
entente's PUT goes through its whole write path (parse, the SHACL gate over the graph and its
store context, one transaction that also keeps the default graph equal to the union of the named
graphs); bare Oxigraph stores the triples and nothing else. The figures are medians over the
rounds (the machine is shared: single runs vary by 2x), and the ratio entente/bare of those
medians.

--server-pythonpath runs the entente server from another checkout (a folder holding an entente/
package, e.g. `git archive` of an older commit) with this one's client, for before/after figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from query import free_port, running, wait_until_up  # noqa: E402  (bench/query.py)

TOKEN = "bench-token"


def body_of(triples: int, tag: str) -> bytes:
    """N-Triples with `triples` subjects; `tag` makes the objects differ between bodies, so that
    a replace really replaces every triple."""
    return "".join(
        f'<http://example.org/s{i}> <http://example.org/p> "{tag} value {i}" .\n'
        for i in range(triples)
    ).encode()


def put(base: str, graph: str, body: bytes, token: str | None) -> float:
    headers = {"Content-Type": "application/n-triples"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    response = httpx.put(
        f"{base}/store",
        params={"graph": graph},
        content=body,
        headers=headers,
        timeout=1800,
        trust_env=False,
    )
    elapsed = time.perf_counter() - started
    if response.status_code not in (200, 201, 204):
        raise SystemExit(f"PUT {base} answered {response.status_code}: {response.text[:300]}")
    return elapsed


def oxigraph_binary() -> str:
    found = Path(sys.executable).parent / "oxigraph"
    return str(found) if found.exists() else "oxigraph"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--server-pythonpath",
        help="PYTHONPATH for the entente server (a folder holding an entente/ package)",
    )
    args = parser.parse_args()
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="entente-bulk-") as tmp:
        entente_port, bare_port = free_port(), free_port()
        env = {**os.environ, "ENTENTE_WRITE_TOKEN": TOKEN}
        env.pop("ENTENTE_STORE_URL", None)
        if args.server_pythonpath:
            env["PYTHONPATH"] = args.server_pythonpath
        entente_cmd = [
            sys.executable, "-m", "entente.service.cli.commands", "serve",
            "--store", str(Path(tmp) / "store"), "--port", str(entente_port),
        ]  # fmt: skip
        bare_cmd = [
            oxigraph_binary(), "serve", "--location", str(Path(tmp) / "bare"),
            "--bind", f"127.0.0.1:{bare_port}",
        ]  # fmt: skip
        servers = {
            "entente": (f"http://127.0.0.1:{entente_port}", TOKEN),
            "oxigraph": (f"http://127.0.0.1:{bare_port}", None),
        }
        with (
            running(entente_cmd, env=env, log=Path(tmp) / "entente.log") as entente,
            running(bare_cmd, log=Path(tmp) / "oxigraph.log") as bare,
        ):
            wait_until_up(f"{servers['entente'][0]}/health", entente, 120)
            wait_until_up(f"{servers['oxigraph'][0]}/query?query=ASK%7B%7D", bare, 60)
            for round_no in range(args.rounds):
                first = body_of(args.triples, f"r{round_no}a")
                second = body_of(args.triples, f"r{round_no}b")
                order = list(servers) if round_no % 2 == 0 else list(reversed(servers))
                for name in order:
                    base, token = servers[name]
                    graph = f"http://example.org/bulk/{round_no}"
                    for scenario, body in (("create", first), ("replace", second)):
                        elapsed = put(base, graph, body, token)
                        times.setdefault((name, scenario), []).append(elapsed)
                        print(f"  round {round_no + 1} {name:8} {scenario:7} {elapsed:6.1f} s",
                              file=sys.stderr, flush=True)  # fmt: skip
    print(f"PUT /store of {args.triples:,} triples, median of {args.rounds} rounds")
    for scenario in ("create", "replace"):
        ours = statistics.median(times[("entente", scenario)])
        bare_time = statistics.median(times[("oxigraph", scenario)])
        print(
            f"  {scenario:7}: entente {ours:6.1f} s  bare oxigraph serve {bare_time:6.1f} s  "
            f"ratio {ours / bare_time:5.2f}x"
        )


if __name__ == "__main__":
    main()
