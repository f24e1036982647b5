#!/bin/sh
# Runs every fuzz target for SECONDS each (default 60) and keeps each
# target's libFuzzer log in fuzz/logs/<target>.log; the last "#N ... cov:
# ft:" line of each log gives executions and coverage, and crashes land in
# fuzz/artifacts/<target>/. Needs the nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`). Built without AddressSanitizer by default
# (FUZZ_BUILD_FLAGS="-s none"): the code is safe Rust, and on two cores the
# uninstrumented build and its execution rate matter more;
# FUZZ_BUILD_FLAGS= runs with cargo-fuzz's default (ASan).
#
# JOBS=N runs N targets at once (default 1, one after another); NICE=19
# runs them at the lowest priority, so a long run on a shared machine takes
# only the time nobody else wants (count its CPU time, not its wall time).
#
#     fuzz/seed.sh && fuzz/run.sh 600
#     fuzz/seed.sh && JOBS=6 NICE=19 fuzz/run.sh 5400
set -u
secs=${1:-60}
jobs=${JOBS:-1}
nice_level=${NICE:-0}
# Linux's autogroup scheduling shares the CPU between sessions first and
# applies nice only inside one: at nice 19 the fuzzers still took half the
# two cores from another session's build. So a niced run takes a session of
# its own and nices that session's group too (where the kernel allows it).
if [ "$nice_level" -gt 0 ] && [ -z "${FUZZ_OWN_SESSION:-}" ] && command -v setsid >/dev/null 2>&1; then
    FUZZ_OWN_SESSION=1 exec setsid -w "$0" "$@"
fi
if [ "$nice_level" -gt 0 ] && [ -w /proc/self/autogroup ]; then
    echo "$nice_level" >/proc/self/autogroup 2>/dev/null || true
fi
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/fuzz"
mkdir -p logs
targets=${TARGETS:-"roster_csv roster_xlsx doc_import stored_state sync_message relayed_sync"}
cargo +nightly fuzz build ${FUZZ_BUILD_FLAGS--s none} || exit 1

run_one() {
    t=$1
    mkdir -p "corpus/$t"
    # -rss_limit_mb: calamine and Automerge legitimately use a few hundred MB
    # on hostile sizes; a real leak still trips it. `time -p` adds the CPU
    # seconds the run got to the end of its log.
    if command -v /usr/bin/time >/dev/null 2>&1; then timer="/usr/bin/time -p"; else timer=""; fi
    nice -n "$nice_level" $timer cargo +nightly fuzz run ${FUZZ_BUILD_FLAGS--s none} "$t" "corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
        >"logs/$t.log" 2>&1
    rc=$?
    echo "$rc" >"logs/$t.rc"
    return $rc
}

report() {
    t=$1
    grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "logs/$t.log" | tail -n 1
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb|^user |^sys ' "logs/$t.log"
}

status=0
running=0
for t in $targets; do
    echo "== $t for ${secs}s"
    if [ "$jobs" -le 1 ]; then
        run_one "$t" || { status=1; echo "   $t: crash, see fuzz/logs/$t.log and fuzz/artifacts/$t/"; }
        report "$t"
        continue
    fi
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait
        running=0
    fi
done
if [ "$jobs" -gt 1 ]; then
    wait
    for t in $targets; do
        echo "== $t"
        if [ "$(cat "logs/$t.rc" 2>/dev/null)" != 0 ]; then
            status=1
            echo "   $t: crash, see fuzz/logs/$t.log and fuzz/artifacts/$t/"
        fi
        report "$t"
    done
fi
exit $status
