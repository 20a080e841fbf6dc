"""Tests of fuzz/new_pcs.py's reading of a libFuzzer log (no binary or symbolizer needed).

    python3 -m unittest discover -s fuzz -p 'test_*.py'
"""
import os
import tempfile
import unittest

from coverage_by_origin import origin
from new_pcs import read_log

LOG = """INFO: Seed: 1
INFO: Loaded 1 modules   (10 inline 8-bit counters): 10 [0x5555557420b8, 0x5555557420c2),
INFO: Loaded 1 PC tables (10 PCs): 10 [0x5555557455e8,0x555555745688),
\tNEW_PC: 0x555555600000
#2\tINITED cov: 4 ft: 4 corp: 1/1b exec/s: 0 rss: 30Mb
#40\tREDUCE cov: 4 ft: 4 corp: 1/1b lim: 4 exec/s: 0 rss: 30Mb L: 1/1 MS: 1 EraseBytes-
\tNEW_PC: 0x555555600010
\tNEW_PC: 0x555555600020
#77\tNEW    cov: 6 ft: 6 corp: 2/2b lim: 4 exec/s: 0 rss: 30Mb L: 1/1 MS: 1 ChangeBit-
#128\tpulse  cov: 6 ft: 6 corp: 2/2b lim: 4 exec/s: 0 rss: 30Mb
\tNEW_PC: 0x555555600030
#300\tNEW    cov: 7 ft: 7 corp: 3/3b lim: 4 exec/s: 0 rss: 30Mb L: 1/1 MS: 1 ChangeBit-
\tNEW_PC: 0x555555600040
"""


class ReadLog(unittest.TestCase):
    def read(self, text):
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
            f.write(text)
        try:
            return read_log(f.name)
        finally:
            os.unlink(f.name)

    def test_new_edges_after_the_corpus_load_take_the_executions_of_the_next_status_line(self):
        table, found = self.read(LOG)
        self.assertEqual(table, 0x5555557455E8)
        self.assertEqual(found, [(0x555555600010, 77), (0x555555600020, 77), (0x555555600030, 300)])

    def test_nothing_counts_before_the_corpus_is_loaded(self):
        table, found = self.read(LOG.split("#2\tINITED")[0])
        self.assertEqual(table, 0x5555557455E8)
        self.assertEqual(found, [])

    def test_a_log_without_a_pc_table_has_no_table(self):
        table, found = self.read("INFO: Seed: 1\n")
        self.assertIsNone(table)
        self.assertEqual(found, [])


class Origin(unittest.TestCase):
    def test_our_crates_dependencies_and_std(self):
        self.assertEqual(origin("/work/main/crates/scratchkit/src/html/dom.rs"), "ours:scratchkit")
        self.assertEqual(origin("/w/fuzz/fuzz_targets/model_json.rs"), "ours:fuzz-target")
        self.assertEqual(
            origin("/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/html5ever-0.27.0/src/tokenizer/mod.rs"),
            "dep:html5ever",
        )
        self.assertEqual(origin("/rustc/5980/library/core/src/iter/range.rs"), "std")


if __name__ == "__main__":
    unittest.main()
