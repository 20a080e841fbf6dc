#!/usr/bin/env bash
# Wire parity: the same operations through scratchattach 2.2.6 and scratchkit, each against
# its own identically seeded sandbox with the request log on; compares the requests and
# prints a table. Exits 1 when a difference is not explained in compat/parity_allowlist.json.
#
#   compat/parity.sh [--release] [--only SUBSTRING]
#
# Output: compat/out/parity/ (parity.txt, parity.json, and both request logs:
# scratchattach.jsonl, scratchkit.jsonl). Environment: PYTHON (default python3) for the venv,
# WIRE_PARITY_BIN to use an already built wire-parity instead of building it.
set -euo pipefail

COMPAT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$COMPAT")"
VENV="$COMPAT/.venv"
OUT="$COMPAT/out/parity"
PROFILE=debug
CARGO_PROFILE=()
ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --release) PROFILE=release; CARGO_PROFILE=(--release) ;;
        --only) ARGS+=(--only "$2"); shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "parity.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

. "$COMPAT/venv.sh"

if [ -z "${WIRE_PARITY_BIN:-}" ]; then
    (cd "$ROOT" && cargo build --quiet "${CARGO_PROFILE[@]}" -p scratchkit-bench --bin wire-parity)
    WIRE_PARITY_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE/wire-parity"
fi
mkdir -p "$OUT"
set +e
"$WIRE_PARITY_BIN" --python "$VENV/bin/python" --compat "$COMPAT" --out "$OUT" \
    ${ARGS[@]+"${ARGS[@]}"} | tee "$OUT/parity.txt"
STATUS=${PIPESTATUS[0]}
set -e
exit "$STATUS"
