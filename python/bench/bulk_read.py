"""The bulk-read benchmark from Python: scratchkit's bindings against scratchattach.

One sandbox with the benchmark world (``scale=1``: user ``bench`` owns 2 000 shared projects)
runs in a child process, so that the server's CPU stays out of the clients' process. Then,
in this process, each client:

1. lists every project of ``bench``, 40 per request (50 requests);
2. looks up LOOKUPS (500) of those projects one by one (``get_project``), ids spread evenly;
3. the same lookups with IN_FLIGHT (16) at a time: scratchkit's ``AsyncSession`` with
   ``asyncio.gather``, scratchattach with a thread pool (it has no asyncio API).

scratchattach (PyPI, unmodified) reaches the sandbox through ``scratchkit.Redirect``.
Every client runs ROUNDS times (3; 1 with ``--quick``) and the median round is reported.

    python bench/bulk_read.py [--quick] [--rounds R] [--lookups N] [--in-flight K] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List

USER = "bench"


def serve() -> None:
    """The child process: a sandbox until stdin closes."""
    from scratchkit import Sandbox

    with Sandbox(scale=1, log_requests=False) as sb:
        print(f"ADDR={sb.address}", flush=True)
        sys.stdin.read()


def spread(ids: List[int], n: int) -> List[int]:
    return [ids[i * len(ids) // n] for i in range(n)] if n <= len(ids) else list(ids)


def list_every_project(page_ids: Callable[[int], List[int]], into: List[int]) -> None:
    """Appends the ids of every page (40 per request, from offset 0) to ``into``."""
    offset = 0
    while True:
        ids = page_ids(offset)
        into.extend(ids)
        offset += len(ids)
        if len(ids) < 40:
            return


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


# -- scratchkit ---------------------------------------------------------------------------

def scratchkit_round(address: str, lookups: int, in_flight: int) -> Dict[str, float]:
    from scratchkit import AsyncSession, Session

    session = Session(sandbox=address)
    session.get_user(USER)  # warm-up: connection pool
    ids: List[int] = []
    list_seconds = timed(lambda: list_every_project(
        lambda offset: [p.id for p in session.user_projects(USER, limit=40, offset=offset)], ids))
    chosen = spread(ids, lookups)
    lookup_seconds = timed(lambda: [session.get_project(i) for i in chosen])

    async def concurrent() -> float:
        client = AsyncSession(sandbox=address)
        await client.get_user(USER)
        gate = asyncio.Semaphore(in_flight)

        async def one(i: int) -> None:
            async with gate:
                await client.get_project(i)

        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in chosen))
        return time.perf_counter() - start

    concurrent_seconds = asyncio.run(concurrent())
    assert len(ids) == 2000, f"listed {len(ids)} projects"
    return {"list": list_seconds, "lookups": lookup_seconds, "concurrent": concurrent_seconds}


# -- scratchattach ------------------------------------------------------------------------

def scratchattach_round(address: str, lookups: int, in_flight: int) -> Dict[str, float]:
    import scratchattach as sa

    ids: List[int] = []
    # scratchattach prints a warning on stdout for every get_user / get_project.
    with contextlib.redirect_stdout(io.StringIO()):
        user = sa.get_user(USER)  # warm-up
        list_seconds = timed(lambda: list_every_project(
            lambda offset: [int(p.id) for p in user.projects(limit=40, offset=offset)], ids))
        chosen = spread(ids, lookups)
        lookup_seconds = timed(lambda: [sa.get_project(i) for i in chosen])
        with ThreadPoolExecutor(in_flight) as pool:
            concurrent_seconds = timed(lambda: list(pool.map(sa.get_project, chosen)))
    assert len(ids) == 2000, f"listed {len(ids)} projects"
    return {"list": list_seconds, "lookups": lookup_seconds, "concurrent": concurrent_seconds}


def median(rounds: List[Dict[str, float]]) -> Dict[str, float]:
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--in-flight", type=int, default=16)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.serve:
        serve()
        return 0
    rounds = args.rounds or (1 if args.quick else 3)

    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline().strip() if child.stdout else ""
        if not line.startswith("ADDR="):
            print("bulk_read: the sandbox did not start", file=sys.stderr)
            return 1
        address = line[len("ADDR="):]
        from scratchkit import Redirect

        results = {"scratchkit": [], "scratchattach": []}
        with Redirect(address):
            for _ in range(rounds):
                results["scratchkit"].append(scratchkit_round(address, args.lookups, args.in_flight))
                results["scratchattach"].append(scratchattach_round(address, args.lookups, args.in_flight))
    finally:
        if child.stdin:
            child.stdin.close()
        child.wait(timeout=30)

    ours, theirs = median(results["scratchkit"]), median(results["scratchattach"])
    report = {
        "rounds": rounds, "lookups": args.lookups, "in_flight": args.in_flight,
        "load_average": os.getloadavg(),
        "scratchkit_s": ours, "scratchattach_s": theirs,
        "ratio": {key: theirs[key] / ours[key] for key in ours},
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"bulk-read from Python: {USER}'s 2000 projects (50 pages), then {args.lookups} lookups; "
          f"median of {rounds} round(s); load average {report['load_average'][0]:.2f}")
    print(f"{'phase':<34}{'scratchkit':>12}{'scratchattach':>15}{'ratio':>9}")
    labels = {"list": "list 2000 projects (sequential)",
              "lookups": f"{args.lookups} lookups (sequential)",
              "concurrent": f"{args.lookups} lookups ({args.in_flight} in flight)"}
    for key, label in labels.items():
        print(f"{label:<34}{ours[key]:>11.3f}s{theirs[key]:>14.3f}s{report['ratio'][key]:>8.1f}x")
    seq_ours = ours["list"] + ours["lookups"]
    seq_theirs = theirs["list"] + theirs["lookups"]
    print(f"{'whole sequential workload':<34}{seq_ours:>11.3f}s{seq_theirs:>14.3f}s"
          f"{seq_theirs / seq_ours:>8.1f}x   (target: >= 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
