#!/usr/bin/env python3
"""What a fuzz target's corpus leaves uncovered in our code, function by function.

    fuzz/coverage_left.py BIN CORPUS... [--top=N] [--lines]

BIN is a fuzz binary of the fast build (no sanitizer: `fuzz/target/<triple>/release/<target>`),
CORPUS one or more folders of inputs. The script runs BIN once in libFuzzer's merge mode over
them (`-merge=1 -merge_control_file=…` into an empty folder): the control file lists, for each
input, the PC-table indices of the edges it covers (`COV` lines), so their union is the set
of edges the corpus covers. The PC table itself (every instrumented edge, in the order of
their functions, each function's entry flagged) is read from BIN: the `__sancov_pcs` section,
whose addresses in a position-independent executable are the addends of its `R_X86_64_RELATIVE`
relocations. Every edge is then symbolized with `llvm-symbolizer`, and called ours by the rule
of `new_pcs.py` (a frame of its inlining chain in one of our crates or a fuzz target), and
ours by line when its own source line (the innermost frame) is in our code: the first counts
serde_json's and std's branches inlined into our decoders, the second only lines we wrote or
derived.

Prints the covered and instrumented edges: all, ours, ours by line, and both in functions the
corpus enters (their entry edge is covered). An edge of ours in a function never entered is
usually code the target cannot call (a `Serialize` impl, another command's path); one in a
function entered is a branch the fuzzer has not taken, i.e. what growth of our code's
coverage can still find. The uncovered edges of ours by line in entered functions are then
split by what their function does: the fuzz target's own checks (a failed assertion's path,
reached only by a bug), encoding (a `Serialize` impl or `serde_json::ser`), or decoding.
Then the entered functions with the most such edges (`--top`, default 25) and, with
`--lines`, the source line of each of their uncovered edges.

The fast build needs no symbolizer in the process (libFuzzer's `-print_coverage=1` does, so
it needs a sanitizer build): this reads the same binary a campaign runs.
"""
import collections
import os
import struct
import subprocess
import sys
import tempfile

from new_pcs import is_ours, symbolize

R_X86_64_RELATIVE = 8
PC_FLAG_FUNCTION_ENTRY = 1


def sections(image: bytes):
    """Name -> (address, file offset, size) for an ELF64 little-endian image."""
    if image[:4] != b"\x7fELF" or image[4] != 2 or image[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", image, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", image, 0x3A)
    headers = []
    for i in range(shnum):
        name, _type, _flags, addr, offset, size = struct.unpack_from(
            "<IIQQQQ", image, shoff + i * shentsize)
        headers.append((name, addr, offset, size))
    names_offset = headers[shstrndx][2]
    out = {}
    for name, addr, offset, size in headers:
        end = image.index(b"\0", names_offset + name)
        out[image[names_offset + name:end].decode()] = (addr, offset, size)
    return out


def pc_table(image: bytes):
    """[(pc, flags)] in table order: the link-time address of each edge, and its flags."""
    secs = sections(image)
    if "__sancov_pcs" not in secs:
        raise ValueError("no __sancov_pcs section (not a libFuzzer binary?)")
    addr, offset, size = secs["__sancov_pcs"]
    count = size // 16
    pcs = [struct.unpack_from("<Q", image, offset + 16 * i)[0] for i in range(count)]
    flags = [struct.unpack_from("<Q", image, offset + 16 * i + 8)[0] for i in range(count)]
    if ".rela.dyn" in secs:
        _, rela_offset, rela_size = secs[".rela.dyn"]
        for at in range(rela_offset, rela_offset + rela_size, 24):
            where, info, addend = struct.unpack_from("<QQq", image, at)
            if info & 0xFFFFFFFF != R_X86_64_RELATIVE:
                continue
            index, rest = divmod(where - addr, 16)
            if 0 <= index < count and rest == 0:
                pcs[index] = addend
    return list(zip(pcs, flags))


def covered_indices(control_file: str):
    """The union of the PC-table indices on the merge control file's COV lines."""
    covered = set()
    with open(control_file) as f:
        for line in f:
            if line.startswith("COV "):
                covered.update(int(i) for i in line.split()[2:])
    return covered


def summarize(table, covered, frames):
    """Totals and, per function entered, its uncovered edges of ours.

    `table` is [(pc, flags)], `covered` a set of indices into it, `frames` pc -> frames.
    Returns (totals, functions, kinds): totals maps a name to (covered, instrumented);
    functions is a list of (name, file, [uncovered lines], edges of ours, uncovered ours by
    line) for each entered function with an uncovered edge of ours; kinds counts the uncovered
    edges of ours by line in entered functions by `kind`.
    """
    totals = collections.OrderedDict((k, [0, 0]) for k in (
        "all", "ours", "ours by line", "ours, functions entered", "by line, entered"))
    functions = []
    kinds = collections.Counter()
    current = None
    for index, (pc, flags) in enumerate(table):
        if flags & PC_FLAG_FUNCTION_ENTRY or current is None:
            outer = (frames.get(pc) or [{}])[-1]
            current = {
                "name": outer.get("FunctionName", "?"),
                "file": outer.get("FileName", "?"),
                "entered": index in covered,
                "uncovered": [],
                "ours": 0,
                "by_line": 0,
            }
            functions.append(current)
        hit = index in covered
        chain = frames.get(pc, [])

        def count(name, counts=True):
            totals[name][0] += hit and counts
            totals[name][1] += counts

        count("all")
        if not is_ours(chain):
            continue
        by_line = is_ours(chain[:1])
        count("ours")
        count("ours by line", by_line)
        if not current["entered"]:
            continue
        current["ours"] += 1
        count("ours, functions entered")
        count("by line, entered", by_line)
        if hit:
            continue
        inner = chain[0]
        current["uncovered"].append(f"{inner.get('FileName', '?')}:{inner.get('Line', 0)}")
        if by_line:
            current["by_line"] += 1
            kinds[kind(inner.get("FileName", ""), current["name"])] += 1
    left = [(f["name"], f["file"], f["uncovered"], f["ours"], f["by_line"]) for f in functions
            if f["entered"] and f["uncovered"]]
    left.sort(key=lambda f: -len(f[2]))
    return {k: tuple(v) for k, v in totals.items()}, left, kinds


def kind(path: str, function: str) -> str:
    """What an edge of ours is for: the fuzz target's own checks, encoding, or decoding."""
    if "/fuzz/fuzz_targets/" in path:
        return "the fuzz target's checks"
    if "as serde_core::ser::Serialize>::serialize" in function or "serde_json::ser::" in function:
        return "encoding"
    return "decoding"


def short(path: str) -> str:
    for marker in ("/crates/", "/fuzz/fuzz_targets/", "/.cargo/registry/src/", "/library/"):
        if marker in path:
            return path[path.index(marker) + 1:]
    return path


def main(argv) -> int:
    args = [a for a in argv if not a.startswith("--")]
    top, lines = 25, "--lines" in argv
    for a in argv:
        if a.startswith("--top="):
            top = int(a.split("=", 1)[1])
    if len(args) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    binary, corpora = args[0], args[1:]
    with open(binary, "rb") as f:
        table = pc_table(f.read())
    with tempfile.TemporaryDirectory() as tmp:
        control = os.path.join(tmp, "control")
        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        subprocess.run(
            [binary, "-merge=1", f"-merge_control_file={control}", empty, *corpora],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not os.path.exists(control):
            print(f"no input in {' '.join(corpora)}", file=sys.stderr)
            return 1
        covered = covered_indices(control)
    # The table holds each edge's own address (libFuzzer prints it plus one, which is why
    # new_pcs.py subtracts one).
    frames = symbolize(binary, [pc for pc, _ in table])
    totals, left, kinds = summarize(table, covered, frames)
    for name, (hit, edges) in totals.items():
        print(f"{name:>24}: {hit:6} of {edges:6} edges covered, {edges - hit:5} not")
    print("uncovered by line, entered: "
          + ", ".join(f"{n} in {k}" for k, n in kinds.most_common()))
    print(f"\nentered functions with uncovered edges of ours: {len(left)}"
          f" ({sum(len(f[2]) for f in left)} edges); the first {min(top, len(left))}:")
    print("(uncovered of ours in the function, of them by line, edges of ours in it)")
    for name, file, uncovered, ours, by_line in left[:top]:
        print(f"{len(uncovered):5} {by_line:5} {ours:5}  {name}  ({short(file)})")
        if lines:
            for where, n in collections.Counter(uncovered).most_common():
                print(f"{'':14}{n:3} at {short(where)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
