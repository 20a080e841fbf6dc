#!/usr/bin/env bash
# The release wheel to publish: abi3 (CPython 3.9+), Linux x86_64, manylinux_2_28, checked
# with auditwheel. zig (the `ziglang` package from PyPI) links against glibc 2.28's symbols,
# so the wheel loads on any Linux with glibc 2.28 or newer (Debian 10+, Ubuntu 18.10+,
# RHEL 8+), whatever the build machine's glibc. CI does not run this (it builds the faster
# debug wheel in python/ci.sh).
#
#   python/build-wheel.sh            # wheel in python/.ci/release-wheels/
#
# Work files: python/.ci/release-venv (maturin, ziglang, auditwheel). CARGO_TARGET_DIR
# defaults to the workspace's target/ (the build lands in target/x86_64-unknown-linux-gnu).
set -euo pipefail

PY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$PY")"
WORK="$PY/.ci"
OUT="$WORK/release-wheels"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

if [ ! -x "$WORK/release-venv/bin/maturin" ]; then
    "${PYTHON:-python3}" -m venv "$WORK/release-venv"
    "$WORK/release-venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        maturin==1.16.0 ziglang==0.17.0 auditwheel==6.8.2
fi
export PATH="$WORK/release-venv/bin:$PATH"
rm -rf "$OUT"
maturin build --release --locked -m "$PY/Cargo.toml" --out "$OUT" --zig --compatibility manylinux_2_28
WHEEL=$(ls "$OUT"/scratchkit-*.whl)
auditwheel show "$WHEEL"
echo "python: release wheel $WHEEL" >&2
