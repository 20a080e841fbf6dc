#!/usr/bin/env bash
# Runs scratchattach and scratchclient (from PyPI, unmodified) against a fresh scratchkit
# sandbox and checks that at least `compat/expected_pass_count` scenarios pass.
#
#   compat/run.sh [--release] [--only SUBSTRING] [--verbose]
#
# Creates compat/.venv (once) from compat/requirements.txt, builds and starts the
# `sandbox-for-compat` binary (crate scratchkit-bench) on 127.0.0.1:<free port>, runs
# compat/scenarios.py, and stops the sandbox. Output: compat/out/ (summary.json, the
# sandbox's request log and stderr). Environment: PYTHON (default python3) for the venv,
# SANDBOX_BIN to use an already built sandbox-for-compat instead of building it.
set -euo pipefail

COMPAT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$COMPAT")"
VENV="$COMPAT/.venv"
OUT="$COMPAT/out"
PROFILE=debug
CARGO_PROFILE=()
SCENARIO_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --release) PROFILE=release; CARGO_PROFILE=(--release) ;;
        --only) SCENARIO_ARGS+=(--only "$2"); shift ;;
        --verbose) SCENARIO_ARGS+=(--verbose) ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

# 1. The Python side: a venv with the pinned packages.
if [ ! -x "$VENV/bin/python" ]; then
    echo "compat: creating $VENV" >&2
    "${PYTHON:-python3}" -m venv "$VENV"
fi
if ! cmp -s "$COMPAT/requirements.txt" "$VENV/.installed-requirements" 2>/dev/null; then
    echo "compat: installing compat/requirements.txt" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$COMPAT/requirements.txt"
    cp "$COMPAT/requirements.txt" "$VENV/.installed-requirements"
fi

# 2. The sandbox (SANDBOX_BIN=path skips the build and uses that binary).
if [ -z "${SANDBOX_BIN:-}" ]; then
    (cd "$ROOT" && cargo build --quiet "${CARGO_PROFILE[@]}" -p scratchkit-bench --bin sandbox-for-compat)
    SANDBOX_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE/sandbox-for-compat"
fi
mkdir -p "$OUT"
rm -f "$OUT/requests.jsonl"
# A coprocess: its stdin is a pipe held by this script, so the sandbox also stops if this
# script dies without running the trap.
coproc SANDBOX { exec "$SANDBOX_BIN" --log-requests "$OUT/requests.jsonl" 2>"$OUT/sandbox.stderr"; }
SANDBOX_PID=$SANDBOX_PID
trap 'kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true' EXIT
ADDR=""
if read -r -t 60 LINE <&"${SANDBOX[0]}"; then
    case "$LINE" in ADDR=*) ADDR="${LINE#ADDR=}" ;; esac
fi
if [ -z "$ADDR" ]; then
    echo "compat: the sandbox did not start (see $OUT/sandbox.stderr)" >&2
    cat "$OUT/sandbox.stderr" >&2 || true
    exit 1
fi
echo "compat: sandbox at $ADDR" >&2

# 3. The scenarios (the JSON summary is the last thing on stdout, and in out/summary.json).
set +e
PYTHONPATH="$COMPAT" "$VENV/bin/python" "$COMPAT/scenarios.py" --sandbox "$ADDR" \
    ${SCENARIO_ARGS[@]+"${SCENARIO_ARGS[@]}"} | tee "$OUT/scenarios.txt"
STATUS=${PIPESTATUS[0]}
set -e
sed -n '/^{/,$p' "$OUT/scenarios.txt" > "$OUT/summary.json"
exit "$STATUS"
