#!/usr/bin/env bash
# Sets up TurboWarp's cloud-server (Node) for `cloud-bench`: the GitHub repository
# TurboWarp/cloud-server at a pinned commit, its dependencies from npm (`npm ci`, lockfile).
#
#   compat/turbowarp-cloud-server.sh [DIR]     # default DIR: target/turbowarp-cloud-server
#
# Where the tree comes from, first that works:
#   1. $TURBOWARP_CLOUD_SERVER_GIT: a git directory holding the pinned commit;
#   2. /work/.mirror/TurboWarp+cloud-server/repo (a local mirror), if it holds the commit;
#   3. `git clone https://github.com/TurboWarp/cloud-server` and checkout of the commit.
#
# Configuration for benchmarking (src/config.js is the operator's file): no rotating log
# files (the console log stays: with no transport at all winston complains on stderr for
# every line; cloud-bench sends stdout to /dev/null), everything else as shipped
# (bufferSends 60, no per-message deflate, the username filters). The port comes from PORT
# when the server starts; NODE_ENV=production.
#
# Exits 0 with a "skip:" line on stderr when node or npm is missing (the benchmark then runs
# without TurboWarp's column), 1 on any other failure.
set -euo pipefail
COMMIT=a0b29ec472fd7669ea814a802369b0e358c6a99f
CONFIG_VERSION=2
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${1:-$ROOT/target/turbowarp-cloud-server}"

for tool in node npm git; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "skip: $tool is not installed (TurboWarp's cloud-server needs Node.js and npm)" >&2
        exit 0
    fi
done

if [ -f "$DIR/.commit" ] && [ "$(cat "$DIR/.commit")" = "$COMMIT $CONFIG_VERSION" ] && [ -d "$DIR/node_modules" ]; then
    echo "$DIR"
    exit 0
fi

rm -rf "$DIR"
mkdir -p "$DIR"
export_from() {
    git --git-dir="$1" cat-file -e "$COMMIT^{commit}" 2>/dev/null &&
        git --git-dir="$1" archive "$COMMIT" | tar -x -C "$DIR"
}
if [ -n "${TURBOWARP_CLOUD_SERVER_GIT:-}" ] && export_from "$TURBOWARP_CLOUD_SERVER_GIT"; then
    :
elif export_from /work/.mirror/TurboWarp+cloud-server/repo; then
    :
else
    clone="$(mktemp -d)"
    git clone --quiet https://github.com/TurboWarp/cloud-server "$clone/repo"
    git -C "$clone/repo" archive "$COMMIT" | tar -x -C "$DIR"
    rm -rf "$clone"
fi

# No log files: the benchmark measures the server, not its disk.
sed -i 's/^    rotation: {/    rotation: false \&\& {/' "$DIR/src/config.js"
grep -q 'rotation: false &&' "$DIR/src/config.js" || {
    echo "turbowarp-cloud-server.sh: src/config.js has changed shape; cannot turn log files off" >&2
    exit 1
}

(cd "$DIR" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >&2)
echo "$COMMIT $CONFIG_VERSION" > "$DIR/.commit"
echo "$DIR"
