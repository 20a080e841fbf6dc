"""The scratchattach side of the bulk-read benchmark (crates/scratchkit-bench, bin bulk-read).

Against a sandbox started with scale >= 1 (user ``bench`` owns 2000 shared projects):

1. ``get_user(user).projects(limit=40, offset=...)`` until a short page (the full list);
2. ``get_project(id)`` for LOOKUPS ids spread evenly over that list, one at a time.

Prints one JSON object on stdout, the same shape the Rust clients print:

    {"client": "scratchattach", "phases": [{"name", "requests", "items", "wall_s", "cpu_s"}...],
     "peak_rss_kib": N}

Wall time is ``time.perf_counter()``, CPU time ``time.process_time()`` (user + system of this
process), peak RSS ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (KiB on Linux). Usage:
python bench_scratchattach.py --sandbox HOST:PORT [--user bench] [--lookups 500]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import redirect  # noqa: E402


def spread(ids: list, n: int) -> list:
    """``n`` ids spread evenly over ``ids`` (the same choice as the Rust side)."""
    if not ids:
        return []
    return [ids[i * len(ids) // n] for i in range(n)] if n <= len(ids) else list(ids)


def redirect_overhead_us(sandbox_url_example: str, live_url_example: str, n: int = 2000) -> float:
    """CPU microseconds the compat redirect adds to one request (what the patched
    ``HTTPAdapter.send`` does besides sending: rewrite the URL, copy the request, record the
    exchange, map the response URL back). The best of five rounds of ``n``: a lower bound, so
    that subtracting it never makes scratchattach look slower than it is."""
    import requests

    prepared = requests.Request("GET", live_url_example).prepare()
    sink: list = []
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for _ in range(n):
            target = redirect.rewrite_http(prepared.url)
            outgoing = prepared.copy()
            outgoing.url = target
            exchange = redirect.Exchange(prepared.method, prepared.url, target)
            exchange.status = 200
            with redirect._lock:
                sink.append(exchange)
            redirect.unrewrite_http(sandbox_url_example)
        best = min(best, (time.process_time() - start) / n * 1e6)
        sink.clear()
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sandbox", required=True)
    parser.add_argument("--user", default="bench")
    parser.add_argument("--lookups", type=int, default=500)
    args = parser.parse_args()

    redirect.install(args.sandbox)
    import scratchattach as sa

    # scratchattach prints a warning on stdout for every get_user/get_project: keep stdout
    # for the JSON line.
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        sa.get_user(args.user)  # warm-up: imports, connection pool (not measured)

        wall0, cpu0 = time.perf_counter(), time.process_time()
        user = sa.get_user(args.user)
        ids: list[int] = []
        requests = 1
        offset = 0
        while True:
            page = user.projects(limit=40, offset=offset)
            requests += 1
            ids += [p.id for p in page]
            if len(page) < 40:
                break
            offset += 40
        listing = {"name": "list", "requests": requests, "items": len(ids),
                   "wall_s": time.perf_counter() - wall0, "cpu_s": time.process_time() - cpu0}

        chosen = spread(ids, args.lookups)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        titles = 0
        for project_id in chosen:
            project = sa.get_project(project_id)
            titles += bool(project.title)
        lookups = {"name": "lookups", "requests": len(chosen), "items": titles,
                   "wall_s": time.perf_counter() - wall0, "cpu_s": time.process_time() - cpu0}

    failed = [x.describe() for x in redirect.EXCHANGES if x.status != 200]
    if failed:
        print(f"bench_scratchattach: {len(failed)} requests failed, first: {failed[0]}",
              file=sys.stderr)
        return 1
    print(json.dumps({
        "client": "scratchattach",
        "phases": [listing, lookups],
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "untimed_requests": 1,  # the warm-up get_user
        "harness_us_per_request": redirect_overhead_us(
            f"http://{args.sandbox}/api/projects/{chosen[0] if chosen else 1}",
            f"https://api.scratch.mit.edu/projects/{chosen[0] if chosen else 1}",
        ),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
