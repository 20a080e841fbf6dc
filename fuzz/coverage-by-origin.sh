#!/usr/bin/env bash
# Where a target's coverage is: our crates, each dependency, the standard library.
#
#   fuzz/coverage-by-origin.sh TARGET [REV]
#
# Builds TARGET with AddressSanitizer into fuzz/target-asan (its runtime symbolizes program
# counters; the campaign's own builds have no sanitizer and cannot), runs the committed corpus
# once (`-runs=0 -print_coverage=1`), and sums the covered edges by the source file of each
# function (fuzz/coverage_by_origin.py). With REV (a commit), the corpus as of REV is run too,
# and our functions whose coverage changed between the two are listed: what a campaign's new
# edges were. NO_BUILD=1 uses the binary already built. Reports are kept in
# fuzz/target-asan/coverage/.
set -euo pipefail
source "$(dirname "$0")/common.sh"

[ $# -ge 1 ] && [ $# -le 2 ] || {
    echo "usage: fuzz/coverage-by-origin.sh TARGET [REV]" >&2
    exit 2
}
target="$1"
rev="${2:-}"
asan_dir="$FUZZ_DIR/target-asan"
bin="$asan_dir/$TRIPLE/release/$target"
out="$asan_dir/coverage"
mkdir -p "$out"
if [ -z "${NO_BUILD:-}" ]; then
    ensure_cargo_fuzz
    (cd "$ROOT" && cargo fuzz build --sanitizer address --debug-assertions \
        --target-dir "$asan_dir" "$target")
fi
command -v llvm-symbolizer >/dev/null || {
    echo "llvm-symbolizer is not on PATH (Debian: apt-get install llvm)" >&2
    exit 1
}

# detect_odr_violation=0: ASan reports SQLite's `aiOff` as defined twice, a false positive.
# There is one SQLite (libsqlite3-sys, bundled); its FTS3 and FTS5 case folders each have a
# static table called `aiOff` with the same contents, the linker merged the two into one
# address (`nm` shows `aiOff.4` and `aiOff.13` at the same place), and ASan, which registers
# both, takes two globals at one address for an ODR violation.
report() { # corpus folder -> report file
    ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0 "$bin" -runs=0 -print_coverage=1 -max_len=65536 \
        -rss_limit_mb=4096 -timeout=30 "$1" >"$2" 2>&1
}

report "$FUZZ_DIR/corpus/$target" "$out/$target.txt"
if [ -z "$rev" ]; then
    python3 "$FUZZ_DIR/coverage_by_origin.py" "$out/$target.txt"
    exit 0
fi
old="$(mktemp -d)"
trap 'rm -rf "$old"' EXIT
(cd "$ROOT" && git archive "$rev" "fuzz/corpus/$target") | tar -x -C "$old"
report "$old/fuzz/corpus/$target" "$out/$target.$rev.txt"
python3 "$FUZZ_DIR/coverage_by_origin.py" "$out/$target.txt" "$out/$target.$rev.txt"
