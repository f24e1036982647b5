#!/bin/sh
# Builds the seed corpora of every fuzz target under fuzz/corpus/<target>/
# from real inputs (see examples/fuzz_seeds.rs). Run from anywhere; stable
# toolchain. Files named seed-* are the ones kept in git.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo run --quiet --example fuzz_seeds -- "$root/fuzz/corpus"
for t in "$root"/fuzz/corpus/*/; do
    printf '%s: %s seeds\n' "$(basename "$t")" "$(ls "$t" | wc -l)"
done
