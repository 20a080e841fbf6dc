#!/usr/bin/env bash
# Fuzz each target until its coverage stops growing, then set-cover merge its corpus
# (see docs/fuzzing.md, "Runs to a coverage plateau").
#
#   fuzz/run-plateau.sh TARGET...
#
# A target runs (its dictionary, its committed corpus `fuzz/corpus/<target>`, `nice -n 19`)
# until no new edge (`cov:` in libFuzzer's status lines) has been found for WINDOW_SECS of
# wall time AND at least WINDOW_EXECS executions, or until MAX_SECS. Then its corpus is
# merged (`-merge=1` into a fresh folder, which replaces it) and one Markdown table row is
# printed (and appended to LOG_DIR/table.md).
#
# Settings (environment):
#   WINDOW_SECS=600 WINDOW_EXECS=500000   the plateau window (both must pass)
#   MAX_SECS=3600                         give up on a plateau after this much fuzzing
#   LOG_DIR=fuzz/target/plateau           libFuzzer logs, the binaries run, table.md
#   NO_START_AFTER=13:25                  (UTC, optional) start no target after this time
#   NO_BUILD=1                            use the binaries already built
#   PLATEAU_ON=all                        `ours`: the window counts only new edges of our code
#   HELPERS=0                             more fuzzing processes on the same corpus (below)
#
# Every run prints its new edges (`-print_pcs=1`). When llvm-symbolizer is on PATH, each poll
# sorts them into ours and the rest (fuzz/new_pcs.py), and the row says how many were ours
# and how long ago the last of them was found. PLATEAU_ON=ours stops a target when the window
# has passed without a new edge of ours (docs/fuzzing.md, "Our code's plateau").
#
# HELPERS=N starts N more processes of the same binary on the same corpus folder, for a
# machine with cores to spare. They do not reduce or delete inputs (`-reduce_inputs=0`), only
# add them; the main process reloads the folder (libFuzzer's `-reload`), so what a helper finds
# shows up in the main log as new edges of a RELOAD line, and the window, read from that log,
# covers every process (its execution count stays the main process's). The helpers are
# stopped before the merge; the row's executions are the sum of all processes', and a helper
# that stops with a finding is reported like the main one. Their logs: LOG_DIR/TARGET.helperN.log.
#
# Targets run one after another, never two at once: each run holds LOG_DIR/fuzz.lock (flock),
# so a second copy of this script waits. The binary is copied into LOG_DIR/bin first, so a
# rebuild during a campaign does not change the program under test.
set -euo pipefail
source "$(dirname "$0")/common.sh"

[ $# -gt 0 ] || {
    echo "usage: fuzz/run-plateau.sh TARGET..." >&2
    exit 2
}
WINDOW_SECS="${WINDOW_SECS:-600}"
WINDOW_EXECS="${WINDOW_EXECS:-500000}"
MAX_SECS="${MAX_SECS:-3600}"
LOG_DIR="${LOG_DIR:-$FUZZ_DIR/target/plateau}"
POLL_SECS=5
PLATEAU_ON="${PLATEAU_ON:-all}"
HELPERS="${HELPERS:-0}"
case "$HELPERS" in
'' | *[!0-9]*)
    echo "HELPERS is a number, not '$HELPERS'" >&2
    exit 2
    ;;
esac
case "$PLATEAU_ON" in
all | ours) ;;
*)
    echo "PLATEAU_ON is all or ours, not '$PLATEAU_ON'" >&2
    exit 2
    ;;
esac
by_origin=no
command -v llvm-symbolizer >/dev/null && by_origin=yes
if [ "$PLATEAU_ON" = ours ] && [ "$by_origin" = no ]; then
    echo "PLATEAU_ON=ours needs llvm-symbolizer on PATH (Debian: apt-get install llvm)" >&2
    exit 2
fi
mkdir -p "$LOG_DIR/bin"

if [ -z "${NO_BUILD:-}" ]; then
    ensure_cargo_fuzz
    (cd "$ROOT" && nice -n 19 cargo fuzz build "${BUILD_FLAGS[@]}")
fi

# Reads a libFuzzer log; prints: start_cov start_ft max_cov exec_at_max_cov last_exec
# last_ft exec_per_s inited_exec. `exec_at_max_cov` is the first status line that reached
# today's maximum edge count, i.e. the execution that found the last new edge; `inited_exec`
# is 0 until the corpus is loaded.
scan_log() {
    awk '
        /^#[0-9]+\t/ && / cov: / {
            exec = substr($1, 2) + 0
            for (i = 2; i < NF; i++) {
                if ($i == "cov:") cov = $(i + 1) + 0
                if ($i == "ft:") ft = $(i + 1) + 0
                if ($i == "exec/s:") rate = $(i + 1) + 0
            }
            if (!seen) { start_cov = cov; start_ft = ft; seen = 1 }
            if (cov > max_cov) { max_cov = cov; at = exec }
            last = exec; last_ft = ft
        }
        /[ \t]INITED / { start_cov = cov; start_ft = ft; at = exec; inited = exec }
        END { printf "%d %d %d %d %d %d %d %d\n", start_cov, start_ft, max_cov, at, last, last_ft, rate, inited }
    ' "$1"
}

# A run's executions: libFuzzer's final count (-print_final_stats), or the last status line's.
executions() {
    local n
    n="$(sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -n 1)"
    echo "${n:-$(scan_log "$1" | cut -d' ' -f5)}"
}

lock="$LOG_DIR/fuzz.lock"
for target in "$@"; do
    if [ -n "${NO_START_AFTER:-}" ] && [ "$(date -u +%H:%M)" \> "$NO_START_AFTER" ]; then
        echo "== $target: not started (after $NO_START_AFTER UTC)"
        continue
    fi
    exec 9>"$lock"
    flock 9
    bin="$LOG_DIR/bin/$target"
    cp "$BIN_DIR/$target" "$bin"
    corpus="$FUZZ_DIR/corpus/$target"
    log="$LOG_DIR/$target.log"
    mkdir -p "$corpus" "$FUZZ_DIR/artifacts/$target"
    files_before="$(find "$corpus" -type f | wc -l)"
    dict="$(dict_of "$target")"
    args=(-max_total_time="$MAX_SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536
        -print_final_stats=1 -print_pcs=1 -artifact_prefix="$FUZZ_DIR/artifacts/$target/")
    [ -n "$dict" ] && args+=(-dict="$dict")
    echo "== $target: fuzzing (window ${WINDOW_SECS} s and $WINDOW_EXECS executions without a new edge ($PLATEAU_ON), at most $MAX_SECS s), log $log"
    start=$EPOCHSECONDS
    nice -n 19 "$bin" "${args[@]}" "$corpus" >"$log" 2>&1 &
    pid=$!
    helper_pids=()
    for ((i = 1; i <= HELPERS; i++)); do
        nice -n 19 "$bin" "${args[@]}" -reduce_inputs=0 "$corpus" >"$LOG_DIR/$target.helper$i.log" 2>&1 &
        helper_pids+=($!)
    done
    max_seen=-1
    edge_time=$start
    ours_seen=0
    ours_time=$start
    ours_at=0
    ours_new=0
    all_new=0
    plateau=no
    while kill -0 "$pid" 2>/dev/null; do
        sleep "$POLL_SECS"
        read -r _ _ max_cov at last _ rate inited < <(scan_log "$log")
        now=$EPOCHSECONDS
        if [ "$max_cov" -gt "$max_seen" ]; then
            max_seen=$max_cov
            edge_time=$now
        fi
        if [ "$by_origin" = yes ]; then
            read -r ours_new ours_found_at all_new < <(python3 "$FUZZ_DIR/new_pcs.py" "$bin" "$log")
            if [ "$inited" -eq 0 ]; then
                ours_time=$now
            elif [ "$ours_new" -gt "$ours_seen" ]; then
                ours_seen=$ours_new
                ours_time=$now
                ours_at=$ours_found_at
            fi
        fi
        # The window is measured from the last new edge, or of ours; before the corpus is
        # loaded there is no edge count yet and no window.
        window_time=$edge_time
        window_at=$at
        if [ "$PLATEAU_ON" = ours ]; then
            window_time=$ours_time
            window_at=$inited
            [ "$ours_seen" -eq 0 ] || window_at=$ours_at
        fi
        # Executions so far: the last status line, or the average rate times the run's age
        # when libFuzzer has printed nothing for a while (it prints only on news and at 2^n).
        estimate=$((rate * (now - start)))
        [ "$estimate" -gt "$last" ] || estimate=$last
        if [ "$max_seen" -gt 0 ] && [ "$inited" -gt 0 ] && [ $((now - window_time)) -ge "$WINDOW_SECS" ] &&
            [ $((estimate - window_at)) -ge "$WINDOW_EXECS" ]; then
            plateau=yes
            kill -INT "$pid" 2>/dev/null || true
            break
        fi
    done
    rc=0
    wait "$pid" || rc=$?
    end=$EPOCHSECONDS
    # The helpers stop now, before the merge replaces the corpus folder.
    for helper in "${helper_pids[@]}"; do
        kill -INT "$helper" 2>/dev/null || true
    done
    # 72 is libFuzzer's exit code after SIGINT (sent above when the plateau was reached).
    findings=none
    if [ "$rc" -ne 0 ] && { [ "$plateau" = no ] || [ "$rc" -ne 72 ]; }; then
        findings="exit $rc, see $log and fuzz/artifacts/$target/"
    fi
    helper_execs=0
    for ((i = 1; i <= ${#helper_pids[@]}; i++)); do
        helper_rc=0
        wait "${helper_pids[i - 1]}" || helper_rc=$?
        helper_log="$LOG_DIR/$target.helper$i.log"
        if [ "$helper_rc" -ne 0 ] && [ "$helper_rc" -ne 72 ]; then
            [ "$findings" = none ] && findings=""
            findings="${findings:+$findings; }helper $i exit $helper_rc, see $helper_log and fuzz/artifacts/$target/"
        fi
        helper_execs=$((helper_execs + $(executions "$helper_log")))
    done
    read -r start_cov start_ft max_cov at _ end_ft _ inited < <(scan_log "$log")
    execs="$(executions "$log")"
    since=$((execs - at))
    since_secs=$((end - edge_time))
    ours="not sorted (no llvm-symbolizer) | - | -"
    if [ "$by_origin" = yes ]; then
        read -r ours_new ours_found_at all_new < <(python3 "$FUZZ_DIR/new_pcs.py" "$bin" "$log")
        [ "$ours_new" -gt 0 ] || ours_found_at=$inited
        [ "$ours_new" -le "$ours_seen" ] || ours_time=$end
        ours="$ours_new of $all_new | $((execs - ours_found_at)) | $((end - ours_time)) s"
    fi

    merged="$(mktemp -d)"
    nice -n 19 "$bin" -merge=1 -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        "$merged" "$corpus" >"$LOG_DIR/$target.merge.log" 2>&1
    # Reproducers of past findings stay, whether or not they add coverage today.
    find "$corpus" -maxdepth 1 -type f -name 'regression-*' -exec cp {} "$merged/" \;
    rm -rf "$corpus"
    mv "$merged" "$corpus"
    chmod 755 "$corpus"
    files_after="$(find "$corpus" -type f | wc -l)"
    flock -u 9

    # The window columns count the main process's executions; this one counts every process's.
    row="| $target | $((execs + helper_execs)) | $start_cov → $max_cov | $start_ft → $end_ft | $since | $since_secs s | $ours | $((end - start)) s | $plateau ($PLATEAU_ON) | $files_before → $files_after | $findings |"
    echo "$row"
    echo "$row" >>"$LOG_DIR/table.md"
done
