#!/usr/bin/env bash
# A long fuzz run of one target, then the corpus minimised in place (see docs/fuzzing.md).
#
#   fuzz/run-long.sh <target> [runs]     default 1 000 000 runs
#
# Runs at the lowest CPU priority on one core; new inputs go into `fuzz/corpus/<target>`,
# crashes into `fuzz/artifacts/<target>/`. Extra libFuzzer flags: FUZZ_ARGS="-max_total_time=600".
set -euo pipefail
source "$(dirname "$0")/common.sh"

target="${1:?usage: fuzz/run-long.sh <target> [runs]}"
runs="${2:-1000000}"
ensure_cargo_fuzz
(cd "$ROOT" && nice -n 19 cargo fuzz build "${BUILD_FLAGS[@]}" "$target")
corpus="$FUZZ_DIR/corpus/$target"
mkdir -p "$corpus" "$FUZZ_DIR/artifacts/$target"
dict="$(dict_of "$target")"
args=(-runs="$runs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
    -artifact_prefix="$FUZZ_DIR/artifacts/$target/")
[ -n "$dict" ] && args+=(-dict="$dict")
# shellcheck disable=SC2086
nice -n 19 "$BIN_DIR/$target" "${args[@]}" ${FUZZ_ARGS:-} "$corpus"
# Keep only the inputs that add coverage.
minimised="$(mktemp -d)"
nice -n 19 "$BIN_DIR/$target" -merge=1 -max_len=65536 "$minimised" "$corpus" >/dev/null 2>&1
# Reproducers of past findings stay, whether or not they add coverage today.
find "$corpus" -maxdepth 1 -type f -name 'regression-*' -exec cp {} "$minimised/" \;
rm -rf "$corpus"
mv "$minimised" "$corpus"
echo "== $target: corpus minimised to $(find "$corpus" -type f | wc -l) inputs ($(du -sh "$corpus" | cut -f1))"
