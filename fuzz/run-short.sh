#!/usr/bin/env bash
# A short fuzz pass over every target (CI): builds them all, then runs each over its
# committed corpus (`fuzz/corpus/<target>`) plus RUNS new inputs (default 20 000). New inputs
# go to a temporary folder, so the committed corpora are left alone. Any crash, timeout or
# out-of-memory fails the script; its reproducer is in `fuzz/artifacts/<target>/`.
#
#   fuzz/run-short.sh              every target
#   fuzz/run-short.sh model_json   only these targets
#   RUNS=100000 fuzz/run-short.sh  more inputs per target
set -euo pipefail
source "$(dirname "$0")/common.sh"

RUNS="${RUNS:-20000}"
ensure_cargo_fuzz
echo "== building the fuzz targets"
build_all

if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(all_targets); fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for target in "${targets[@]}"; do
    mkdir -p "$scratch/$target" "$FUZZ_DIR/corpus/$target" "$FUZZ_DIR/artifacts/$target"
    dict="$(dict_of "$target")"
    args=(-runs="$RUNS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
        -artifact_prefix="$FUZZ_DIR/artifacts/$target/")
    [ -n "$dict" ] && args+=(-dict="$dict")
    start=$SECONDS
    if ! "$BIN_DIR/$target" "${args[@]}" "$scratch/$target" "$FUZZ_DIR/corpus/$target" \
        >"$scratch/$target.log" 2>&1; then
        tail -n 60 "$scratch/$target.log"
        echo "== FAILED: $target (reproducer in fuzz/artifacts/$target/)"
        exit 1
    fi
    edges="$(sed -n 's/^.*cov: \([0-9]*\).*$/\1/p' "$scratch/$target.log" | tail -n 1)"
    echo "== $target: ok ($((SECONDS - start)) s, coverage ${edges:-?})"
done
