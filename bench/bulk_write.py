"""Bulk writes: a large PUT /store on `entente serve` against the same PUT on bare `oxigraph
serve` (the engine entente runs as its child), measured in the same run.

    .venv/bin/python bench/bulk_write.py                       # 200k triples, 3 rounds
    .venv/bin/python bench/bulk_write.py --triples 50000 --rounds 5
    .venv/bin/python bench/bulk_write.py --before-pythonpath /tmp/before   # + an older checkout

Each round sends the same N-Triples body (N subjects, a literal each) to both servers, one after
the other, alternating which goes first:
  create:  PUT /store?graph=<new graph>        (the graph does not exist yet)
  replace: PUT /store?graph=<the same graph>   (every triple of the old content replaced)
entente's PUT goes through its whole write path (parse, the SHACL gate over the graph and its
store context, one transaction that also keeps the default graph equal to the union of the named
graphs); bare Oxigraph stores the triples and nothing else. The figures are medians over the
rounds (the machine is shared: single runs vary by 2x), and the ratio entente/bare of those
medians.

--before-pythonpath runs a second entente server from another checkout (a folder holding an
entente/ package, e.g. `git archive` of an older commit) beside this one, in the same rounds, and
prints the after/before ratio too: on a shared machine, figures from different runs do not compare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
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


def entente_command(store: Path, port: int) -> list[str]:
    return [
        sys.executable, "-m", "entente.service.cli.commands", "serve",
        "--store", str(store), "--port", str(port),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--scenarios", default="create,replace", help="comma-separated: create, replace"
    )
    parser.add_argument(
        "--before-pythonpath",
        help="also run an entente server from this PYTHONPATH (a folder holding an entente/ "
        "package) and compare",
    )
    args = parser.parse_args()
    scenarios = [s for s in args.scenarios.split(",") if s]
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="entente-bulk-") as tmp, ExitStack() as stack:
        env = {**os.environ, "ENTENTE_WRITE_TOKEN": TOKEN}
        env.pop("ENTENTE_STORE_URL", None)
        servers: dict[str, tuple[str, str | None]] = {}
        commands: dict[str, tuple[list[str], dict[str, str]]] = {}
        port = free_port()
        commands["entente"] = (entente_command(Path(tmp) / "store", port), env)
        if args.before_pythonpath:
            before_port = free_port()
            before_env = {**env, "PYTHONPATH": args.before_pythonpath}
            command = entente_command(Path(tmp) / "before", before_port)
            commands["before"] = (command, before_env)
        for name, (command, environment) in commands.items():
            process = stack.enter_context(
                running(command, env=environment, log=Path(tmp) / f"{name}.log")
            )
            base = f"http://127.0.0.1:{command[-1]}"
            wait_until_up(f"{base}/health", process, 120)
            servers[name] = (base, TOKEN)
        bare_port = free_port()
        bare_cmd = [
            oxigraph_binary(), "serve", "--location", str(Path(tmp) / "bare"),
            "--bind", f"127.0.0.1:{bare_port}",
        ]  # fmt: skip
        bare = stack.enter_context(running(bare_cmd, log=Path(tmp) / "oxigraph.log"))
        servers["oxigraph"] = (f"http://127.0.0.1:{bare_port}", None)
        wait_until_up(f"{servers['oxigraph'][0]}/query?query=ASK%7B%7D", bare, 60)
        for round_no in range(args.rounds):
            bodies = {
                "create": body_of(args.triples, f"r{round_no}a"),
                "replace": body_of(args.triples, f"r{round_no}b"),
            }
            names = list(servers)
            shift = round_no % len(names)  # a different server goes first each round
            for name in names[shift:] + names[:shift]:
                base, token = servers[name]
                graph = f"http://example.org/bulk/{round_no}"
                for scenario in scenarios:
                    elapsed = put(base, graph, bodies[scenario], token)
                    times.setdefault((name, scenario), []).append(elapsed)
                    print(f"  round {round_no + 1} {name:8} {scenario:7} {elapsed:6.1f} s",
                          file=sys.stderr, flush=True)  # fmt: skip
    print(f"PUT /store of {args.triples:,} triples, median of {args.rounds} rounds")
    for scenario in scenarios:
        bare_time = statistics.median(times[("oxigraph", scenario)])
        ours = statistics.median(times[("entente", scenario)])
        line = (
            f"  {scenario:7}: bare oxigraph serve {bare_time:6.1f} s | "
            f"entente {ours:6.1f} s = {ours / bare_time:5.2f}x bare"
        )
        if ("before", scenario) in times:
            before = statistics.median(times[("before", scenario)])
            line += (
                f" | before {before:6.1f} s = {before / bare_time:5.2f}x bare"
                f" | after/before {ours / before:4.2f}"
            )
        print(line)


if __name__ == "__main__":
    main()
