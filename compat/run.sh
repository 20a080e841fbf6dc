#!/usr/bin/env bash
# Runs scratchattach and scratchclient (from PyPI, unmodified) against a fresh scratchkit
# sandbox and checks that at least `compat/expected_pass_count` scenarios pass, then runs the
# wire-parity check (compat/parity.sh: scratchattach's requests against scratchkit's).
#
#   compat/run.sh [--release] [--only SUBSTRING] [--verbose] [--no-parity]
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
PARITY=1
while [ $# -gt 0 ]; do
    case "$1" in
        --release) PROFILE=release; CARGO_PROFILE=(--release) ;;
        --only) SCENARIO_ARGS+=(--only "$2"); shift ;;
        --verbose) SCENARIO_ARGS+=(--verbose) ;;
        --no-parity) PARITY=0 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

# 1. The Python side: a venv with the pinned packages.
. "$COMPAT/venv.sh"

# 2. The sandbox (SANDBOX_BIN=path skips the build and uses that binary).
if [ -z "${SANDBOX_BIN:-}" ]; then
    BINS=(--bin sandbox-for-compat)
    if [ "$PARITY" = 1 ] && [ -z "${WIRE_PARITY_BIN:-}" ]; then
        BINS+=(--bin wire-parity)
        WIRE_PARITY_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE/wire-parity"
        export WIRE_PARITY_BIN
    fi
    (cd "$ROOT" && cargo build --quiet "${CARGO_PROFILE[@]}" -p scratchkit-bench "${BINS[@]}")
    SANDBOX_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE/sandbox-for-compat"
fi
mkdir -p "$OUT"
rm -f "$OUT/requests.jsonl"
# A coprocess: its stdin is a pipe held by this script, so the sandbox also stops if this
# script dies without running the trap.
coproc SANDBOX { exec "$SANDBOX_BIN" --log-requests "$OUT/requests.jsonl" 2>"$OUT/sandbox.stderr"; }
SB_PID=$SANDBOX_PID
trap 'kill "$SB_PID" 2>/dev/null || true; wait "$SB_PID" 2>/dev/null || true' EXIT
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

# 4. Wire parity (its own two sandboxes; the scenario sandbox is no longer needed).
kill "$SB_PID" 2>/dev/null || true
PARITY_STATUS=0
if [ "$PARITY" = 1 ] && [ ${#SCENARIO_ARGS[@]} -eq 0 ]; then
    echo "compat: wire parity (compat/parity.sh)" >&2
    set +e
    "$COMPAT/parity.sh" "${CARGO_PROFILE[@]}"
    PARITY_STATUS=$?
    set -e
fi
if [ "$STATUS" -ne 0 ]; then
    exit "$STATUS"
fi
exit "$PARITY_STATUS"
