#!/usr/bin/env python3
"""Sums libFuzzer's `-print_coverage=1` report by where the code comes from.

    fuzz/coverage_by_origin.py REPORT [OLD_REPORT]

REPORT is the output of a fuzz binary built with a sanitizer runtime (ASan: it symbolizes
program counters) run as `BIN -runs=0 -print_coverage=1 CORPUS`. Its COVERED_FUNC and
UNCOVERED_FUNC lines give, per function, the edges covered and instrumented, and the
function's source file. The file decides the origin: one of our crates (`ours:<crate>`, by the
`crates/<crate>/` part of the path, or `ours:fuzz-target`), a crates.io dependency
(`dep:<crate>`), or the standard library (`std`).

Prints covered / instrumented edges per origin. With OLD_REPORT (the same binary over another
corpus, e.g. an older commit's), prints both columns and then, for our code only, every
function whose covered edges changed: where a corpus's growth went.
"""
import collections
import re
import sys

LINE = re.compile(r"\s*(UN)?COVERED_FUNC: hits: \d+ edges: (\d+)/(\d+) (.*) (\S+?)(:\d+)?\s*$")


def origin(path: str) -> str:
    if "/.cargo/registry/" in path:
        m = re.search(r"/\.cargo/registry/src/[^/]+/([^/]+?)-\d[^/]*/", path)
        return "dep:" + (m.group(1) if m else "?")
    if "/fuzz/fuzz_targets/" in path:
        return "ours:fuzz-target"
    m = re.search(r"/crates/([^/]+)/", path)
    if m:
        return "ours:" + m.group(1)
    if "/rustc/" in path or "/library/" in path:
        return "std"
    return "other"


def read(path: str):
    covered, total, ours = collections.Counter(), collections.Counter(), {}
    with open(path, errors="replace") as report:
        for line in report:
            m = LINE.match(line)
            if not m:
                continue
            _, hit, edges, function, file, _ = m.groups()
            where = origin(file)
            covered[where] += int(hit)
            total[where] += int(edges)
            if where.startswith("ours"):
                ours[function] = ours.get(function, 0) + int(hit)
    return covered, total, ours


def sums(covered):
    ours = sum(v for k, v in covered.items() if k.startswith("ours"))
    deps = sum(v for k, v in covered.items() if k.startswith("dep"))
    return ours, deps, covered["std"], sum(covered.values())


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    new_cov, total, new_fns = read(sys.argv[1])
    if not total:
        print(f"{sys.argv[1]}: no COVERED_FUNC lines (a binary without a symbolizer?)", file=sys.stderr)
        return 1
    if len(sys.argv) == 2:
        print(f"{'origin':32} {'covered':>8} {'of':>8}")
        for k in sorted(total, key=lambda k: (-new_cov[k], k)):
            if new_cov[k]:
                print(f"{k:32} {new_cov[k]:8} {total[k]:8}")
        ours, deps, std, everything = sums(new_cov)
        print(f"{'= ours / deps / std / all':32} {ours} / {deps} / {std} / {everything}")
        return 0
    old_cov, _, old_fns = read(sys.argv[2])
    print(f"{'origin':32} {'old':>8} {'new':>8} {'of':>8}")
    for k in sorted(total, key=lambda k: (-new_cov[k], k)):
        if new_cov[k] or old_cov[k]:
            print(f"{k:32} {old_cov[k]:8} {new_cov[k]:8} {total[k]:8}")
    o_ours, o_deps, o_std, o_all = sums(old_cov)
    n_ours, n_deps, n_std, n_all = sums(new_cov)
    print(f"{'= ours / deps / std / all, old':32} {o_ours} / {o_deps} / {o_std} / {o_all}")
    print(f"{'= ours / deps / std / all, new':32} {n_ours} / {n_deps} / {n_std} / {n_all}")
    changed = [(f, old_fns.get(f, 0), n) for f, n in new_fns.items() if n != old_fns.get(f, 0)]
    print(f"our functions whose covered edges changed: {len(changed)}")
    for function, old, new in sorted(changed, key=lambda c: c[2] - c[1], reverse=True):
        print(f"  {old:5} -> {new:5}  {function}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
