#!/usr/bin/env bash
# The Python package in CI: lint the PyO3 crate, build the abi3 wheel with maturin, install it
# into a fresh venv with scratchattach (compat's pins), aiohttp and pytest, then run the
# package's tests and the example bot's suite against the pytest plugin's sandbox.
#
#   python/ci.sh [--release]        (a debug wheel by default: faster to build)
#
# Work files: python/.ci/ (git-ignored): the venv and the wheel. CARGO_TARGET_DIR defaults to
# the workspace's target/ so that the dependencies the workspace built are reused when they can.
set -euo pipefail

PY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$PY")"
WORK="$PY/.ci"
PROFILE=()
[ "${1:-}" = "--release" ] && PROFILE=(--release)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
START=$(date +%s)

echo "python: fmt and clippy of the PyO3 crate (its own workspace and Cargo.lock)" >&2
cargo fmt --manifest-path "$PY/Cargo.toml" -- --check
cargo clippy --manifest-path "$PY/Cargo.toml" --locked --all-targets --features extension-module -- -D warnings

echo "python: a fresh venv with maturin" >&2
rm -rf "$WORK/venv" "$WORK/wheels"
"${PYTHON:-python3}" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
"$VPY" -m pip install --quiet --disable-pip-version-check -r "$PY/requirements-test.txt" -r "$ROOT/compat/requirements.txt"

echo "python: maturin build ${PROFILE[*]:-(debug)}" >&2
"$WORK/venv/bin/maturin" build --locked -m "$PY/Cargo.toml" --out "$WORK/wheels" ${PROFILE[@]+"${PROFILE[@]}"}
WHEEL=$(ls "$WORK"/wheels/scratchkit-*.whl)
echo "python: built $(basename "$WHEEL")" >&2
"$VPY" -m pip install --quiet --disable-pip-version-check "$WHEEL"

echo "python: pytest (the plugin per library, the Sandbox, the client, the example bot)" >&2
# From the work directory, so that `import scratchkit` is the installed wheel, not python/.
cd "$WORK"
"$WORK/venv/bin/pytest" -p no:cacheprovider -q -rs "$PY/tests" "$PY/examples/greeter_bot"
echo "python: done in $(( $(date +%s) - START )) s" >&2
