"""Tests of coverage_left.py: the PC table read from an ELF image, the merge control file, the sums.

    python3 -m unittest discover -s fuzz -p 'test_*.py'
"""
import os
import struct
import tempfile
import unittest

import coverage_left

OURS = "/work/main/crates/scratchkit-model/src/user.rs"
STD = "/rustc/abc/library/core/src/ptr/mod.rs"
DEP = "/root/.cargo/registry/src/index.crates.io-1/serde_json-1.0.1/src/de.rs"


def elf(sections):
    """A minimal ELF64 little-endian image with the given [(name, addr, bytes)] sections."""
    names = b"\0" + b"".join(n.encode() + b"\0" for n, _, _ in sections) + b".shstrtab\0"
    body, headers, offset = b"", [], 64
    name_at = 1
    for name, addr, data in sections:
        headers.append((name_at, addr, offset + len(body), len(data)))
        name_at += len(name) + 1
        body += data
    headers.append((name_at, 0, offset + len(body), len(names)))
    body += names
    shoff = offset + len(body)
    header = bytearray(64)
    header[:6] = b"\x7fELF\x02\x01"
    struct.pack_into("<Q", header, 0x28, shoff)
    struct.pack_into("<HHH", header, 0x3A, 64, len(headers) + 1, len(headers))
    table = bytes(64)  # the null section
    for name, addr, off, size in headers:
        table += struct.pack("<IIQQQQIIQQ", name, 1, 0, addr, off, size, 0, 0, 1, 0)
    return bytes(header) + body + table


def frames(*paths):
    return [{"FunctionName": f"f{i}", "FileName": p, "Line": 10 + i} for i, p in enumerate(paths)]


class PcTable(unittest.TestCase):
    def test_addresses_come_from_the_relative_relocations_and_flags_from_the_section(self):
        pcs = struct.pack("<6Q", 0, 1, 0, 0, 0, 1)
        rela = b"".join(struct.pack("<QQq", *r) for r in [
            (0x1000, 8, 0x500),
            (0x1010, 8, 0x510),
            (0x1020, 8, 0x600),
            (0x1020, 7, 0x999),  # not R_X86_64_RELATIVE
            (0x2000, 8, 0x777),  # outside the table
        ])
        image = elf([("__sancov_pcs", 0x1000, pcs), (".rela.dyn", 0, rela)])
        self.assertEqual(coverage_left.pc_table(image), [(0x500, 1), (0x510, 0), (0x600, 1)])

    def test_without_relocations_the_section_holds_the_addresses(self):
        image = elf([("__sancov_pcs", 0x1000, struct.pack("<4Q", 0x40, 1, 0x48, 0))])
        self.assertEqual(coverage_left.pc_table(image), [(0x40, 1), (0x48, 0)])

    def test_a_binary_without_a_table_is_refused(self):
        with self.assertRaises(ValueError):
            coverage_left.pc_table(elf([(".text", 0x1000, b"\x90")]))
        with self.assertRaises(ValueError):
            coverage_left.pc_table(b"MZ not an ELF file" + bytes(64))


class ControlFile(unittest.TestCase):
    def test_the_union_of_the_cov_lines(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "control")
            with open(path, "w") as f:
                f.write("3\n0\n/c/a\n/c/b\n/c/c\nSTARTED 0 10\nFT 0 1 2 3\nCOV 0 4 5\n"
                        "STARTED 1 12\nFT 1 9\nCOV 1 7\nSTARTED 2 3\nCOV 2\n")
            self.assertEqual(coverage_left.covered_indices(path), {4, 5, 7})


class Summarize(unittest.TestCase):
    def test_sums_and_the_uncovered_edges_of_entered_functions(self):
        table = [
            # entered: entry (ours), an uncovered edge on our line, an uncovered std edge
            # inlined into our code, a covered dependency edge of its own
            (0x10, 1), (0x11, 0), (0x12, 0), (0x13, 0),
            # never entered: its edges of ours count in "ours" only
            (0x20, 1), (0x21, 0),
        ]
        symbols = {
            0x10: frames(OURS),
            0x11: frames(OURS),
            0x12: frames(STD, OURS),
            0x13: frames(DEP),
            0x20: frames(OURS),
            0x21: frames(OURS),
        }
        totals, left, kinds = coverage_left.summarize(table, {0, 3}, symbols)
        self.assertEqual(totals["all"], (2, 6))
        self.assertEqual(totals["ours"], (1, 5))
        self.assertEqual(totals["ours by line"], (1, 4))
        self.assertEqual(totals["ours, functions entered"], (1, 3))
        self.assertEqual(totals["by line, entered"], (1, 2))
        self.assertEqual(len(left), 1)
        name, file, uncovered, ours, by_line = left[0]
        self.assertEqual((name, file), ("f0", OURS))
        self.assertEqual(uncovered, [f"{OURS}:10", f"{STD}:10"])
        self.assertEqual((ours, by_line), (3, 1))
        self.assertEqual(kinds, {"decoding": 1})

    def test_uncovered_edges_are_told_apart_by_what_their_function_does(self):
        target = "/work/main/fuzz/fuzz_targets/model_json.rs"
        table = [(0x10, 1), (0x11, 0), (0x12, 0), (0x20, 1), (0x21, 0)]
        symbols = {
            0x10: frames(OURS, "x") + [{"FunctionName": "model_json::round_trip", "FileName": target}],
            0x11: frames(target),
            0x12: frames(OURS),
            0x20: [{"FunctionName": "serde_json::ser::to_vec::<m::User>", "FileName": DEP}],
            0x21: frames(OURS),
        }
        _, _, kinds = coverage_left.summarize(table, {0, 3}, symbols)
        self.assertEqual(kinds, {"the fuzz target's checks": 1, "decoding": 1, "encoding": 1})


if __name__ == "__main__":
    unittest.main()
