#!/bin/sh
# Runs every fuzz target for SECONDS each (default 60), one after another,
# and keeps each target's libFuzzer log in fuzz/logs/<target>.log; the last
# "#N ... cov: ft:" line of each log gives executions and coverage, and
# crashes land in fuzz/artifacts/<target>/. Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`). Built without AddressSanitizer by
# default (FUZZ_BUILD_FLAGS="-s none"): the code is safe Rust, and on two
# cores the uninstrumented build and its execution rate matter more;
# FUZZ_BUILD_FLAGS= runs with cargo-fuzz's default (ASan).
#
#     fuzz/seed.sh && fuzz/run.sh 600
set -u
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/fuzz"
mkdir -p logs
targets=${TARGETS:-"roster_csv roster_xlsx doc_import stored_state sync_message relayed_sync"}
cargo +nightly fuzz build ${FUZZ_BUILD_FLAGS--s none} || exit 1
status=0
for t in $targets; do
    mkdir -p "corpus/$t"
    echo "== $t for ${secs}s"
    # -rss_limit_mb: calamine and Automerge legitimately use a few hundred MB
    # on hostile sizes; a real leak still trips it.
    cargo +nightly fuzz run ${FUZZ_BUILD_FLAGS--s none} "$t" "corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
        >"logs/$t.log" 2>&1 || { status=1; echo "   $t: crash, see fuzz/logs/$t.log and fuzz/artifacts/$t/"; }
    grep -E '^#[0-9]+ +(DONE|pulse|NEW|REDUCE)' "logs/$t.log" | tail -n 1
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "logs/$t.log"
done
exit $status
