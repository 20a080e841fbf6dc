#!/usr/bin/env python3
"""Which of a fuzzing run's new edges are in our code, and when the last of ours was found.

    fuzz/new_pcs.py BIN LOG

LOG is libFuzzer's output for BIN run with `-print_pcs=1`: after the corpus is loaded
(`INITED`), every edge the run covers for the first time is printed as a `NEW_PC: 0x…` line,
just before the status line (`#<executions> NEW …`) of the input that covered it. This
script maps each such program counter back to its source with `llvm-symbolizer` and BIN's
line tables (the fuzz profile has `debug = 1`), and calls it ours when any frame of its
inlining chain is in one of our crates (`coverage_by_origin.origin`): code of ours, or code
of a dependency or std inlined into a function of ours. A new edge of html5ever's tokenizer
that runs in html5ever's own functions is not ours; a new path through a loop of our parser
that goes through an inlined `Iterator::next` is.

Prints one line: `<new edges of ours> <executions when the last of them was found>
<new edges in all>`. The executions are those of the status line that follows the edge
(0 when the run has found none of ours). Symbolized addresses are cached in LOG.pcs, so the
script can be called on every poll of a running fuzzer.

The addresses in the log are the running process's: BIN is a position-independent
executable, so its load address is found from libFuzzer's `Loaded 1 PC tables (…): … [0x…,`
line, which gives where the `__sancov_pcs` section was mapped, against the section's address
in the file (`__start___sancov_pcs`).
"""
import json
import os
import re
import subprocess
import sys

from coverage_by_origin import origin

PC_TABLE = re.compile(r"Loaded 1 PC tables \(\d+ PCs\): \d+ \[(0x[0-9a-f]+),")
NEW_PC = re.compile(r"\s*NEW_PC: (0x[0-9a-f]+)")
STATUS = re.compile(r"#(\d+)\t")


def section_start(binary: str) -> int:
    symbols = subprocess.run(["nm", binary], check=True, capture_output=True, text=True).stdout
    for line in symbols.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "__start___sancov_pcs":
            return int(parts[0], 16)
    raise SystemExit(f"{binary}: no __start___sancov_pcs symbol (not a libFuzzer binary?)")


def read_log(path: str):
    """The PC table's runtime address, and (pc, executions) for each new edge after INITED."""
    table, inited, pending, found = None, False, [], []
    with open(path, errors="replace") as log:
        for line in log:
            if table is None:
                m = PC_TABLE.search(line)
                if m:
                    table = int(m.group(1), 16)
                    continue
            if not inited:
                inited = "\tINITED " in line
                continue
            m = NEW_PC.match(line)
            if m:
                pending.append(int(m.group(1), 16))
                continue
            m = STATUS.match(line)
            if m and pending:
                found.extend((pc, int(m.group(1))) for pc in pending)
                pending = []
    # Edges whose status line is not written yet are left for the next call.
    return table, found


def symbolize(binary: str, addresses):
    """Address in BIN -> its inlining chain (innermost frame first), each frame a dict with
    FunctionName, FileName and Line, from `llvm-symbolizer` and BIN's line tables."""
    if not addresses:
        return {}
    text = "\n".join(hex(a) for a in addresses) + "\n"
    out = subprocess.run(
        ["llvm-symbolizer", f"--obj={binary}", "--output-style=JSON"],
        input=text, check=True, capture_output=True, text=True,
    ).stdout
    chains = {}
    for line in out.splitlines():
        if line.strip():
            entry = json.loads(line)
            chains[int(entry["Address"], 16)] = entry.get("Symbol", [])
    return chains


def is_ours(frames) -> bool:
    """Whether any frame of an inlining chain is in one of our crates or a fuzz target."""
    return any(origin(frame.get("FileName", "")).startswith("ours") for frame in frames)


def classify(binary: str, offsets):
    """Offset in BIN -> True when a frame of its inlining chain is ours."""
    return {a: is_ours(frames) for a, frames in symbolize(binary, offsets).items()}


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    binary, log = sys.argv[1], sys.argv[2]
    table, found = read_log(log)
    if table is None or not found:
        print("0 0 0")
        return 0
    base = table - section_start(binary)
    cache_path = log + ".pcs"
    cache = {}
    if os.path.exists(cache_path):
        with open(cache_path) as f:
            for line in f:
                offset, verdict = line.split()
                cache[int(offset, 16)] = verdict == "ours"
    # The printed address is the instruction after the coverage call; one byte back is
    # inside the call, on the line of the edge.
    offsets = {pc - base - 1 for pc, _ in found}
    unknown = sorted(o for o in offsets if o not in cache)
    fresh = classify(binary, unknown)
    if fresh:
        with open(cache_path, "a") as f:
            for offset, ours in fresh.items():
                f.write(f"{offset:#x} {'ours' if ours else 'other'}\n")
        cache.update(fresh)
    ours = [execs for pc, execs in found if cache.get(pc - base - 1)]
    print(f"{len(ours)} {max(ours, default=0)} {len(found)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
