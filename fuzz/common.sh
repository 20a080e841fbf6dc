# Shared by fuzz/run-short.sh and fuzz/run-long.sh: paths, build flags, per-target dictionaries.
# shellcheck shell=bash

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FUZZ_DIR")"
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
export RUSTC_BOOTSTRAP=1
# No sanitizer (the code under test is safe Rust: a memory bug would be a panic or an abort,
# which libFuzzer catches anyway) and debug assertions on (arithmetic overflow panics).
BUILD_FLAGS=(--sanitizer none --debug-assertions)
TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
BIN_DIR="$FUZZ_DIR/target/$TRIPLE/release"
# TRACE_COMPARES=0: build without libFuzzer's comparison hooks, in a target folder of its
# own. About half of an HTML target's time goes to those hooks: html_forum_category ran 2.4
# times the executions per CPU-second without them, with no less coverage in the runs
# compared (docs/fuzzing.md, "Speed of the HTML targets"). The hooks let libFuzzer learn the
# constants a parser compares with, so the default keeps them.
if [ "${TRACE_COMPARES:-1}" = 0 ]; then
    BUILD_FLAGS+=(--no-trace-compares --target-dir "$FUZZ_DIR/target-no-cmp")
    BIN_DIR="$FUZZ_DIR/target-no-cmp/$TRIPLE/release"
fi

all_targets() {
    sed -n 's/^name = "\([a-z0-9_]*\)"$/\1/p' "$FUZZ_DIR/Cargo.toml" | grep -v '^scratchkit-fuzz$'
}

dict_of() {
    case "$1" in
        html_*) echo "$FUZZ_DIR/dicts/html.dict" ;;
        cloud_* | sandbox_cloud_server) echo "$FUZZ_DIR/dicts/cloud.dict" ;;
        model_json | session_cookie) echo "$FUZZ_DIR/dicts/json.dict" ;;
        sb3_*) echo "$FUZZ_DIR/dicts/sb3.dict" ;;
        sandbox_requests) echo "$FUZZ_DIR/dicts/sandbox.dict" ;;
        cli_server_inputs) echo "$FUZZ_DIR/dicts/server_inputs.dict" ;;
        cli_args) echo "$FUZZ_DIR/dicts/cli.dict" ;;
        *) echo "" ;;
    esac
}

ensure_cargo_fuzz() {
    if ! cargo fuzz --version >/dev/null 2>&1; then
        echo "== installing cargo-fuzz"
        cargo install cargo-fuzz --locked
    fi
}

build_all() {
    (cd "$ROOT" && cargo fuzz build "${BUILD_FLAGS[@]}")
}
