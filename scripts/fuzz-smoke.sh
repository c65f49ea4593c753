#!/usr/bin/env bash
# Short cargo-fuzz (libFuzzer) smoke run of every fuzz target, for CI.
#
#   scripts/fuzz-smoke.sh            # ~20 s per target (FUZZ_SECONDS), after the build
#   FUZZ_SECONDS=60 scripts/fuzz-smoke.sh
#
# Exits non-zero when a target crashes, panics, fails an assertion or hangs past
# FUZZ_TIMEOUT seconds on one input; the input is left in fuzz/artifacts/<target>/.
# Installs cargo-fuzz only if it is missing. See docs/fuzzing.md.
set -euo pipefail

cd "$(dirname "$0")/../fuzz"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"
TIMEOUT="${FUZZ_TIMEOUT:-20}"
TARGETS=(timestamp plan ingest_csv)
CARGO_FUZZ_VERSION=0.13.2

# cargo-fuzz needs a nightly-like compiler (-Zsanitizer, -Cpasses=sancov-module).
# 1. a rustup nightly, if there is one;
# 2. otherwise the active (stable) toolchain with RUSTC_BOOTSTRAP=1, which unlocks
#    the nightly flags on a release compiler.
if rustup run nightly rustc --version >/dev/null 2>&1; then
    FUZZ=(cargo +nightly fuzz)
    echo "fuzz-smoke: toolchain $(rustup run nightly rustc --version)"
else
    export RUSTC_BOOTSTRAP=1
    FUZZ=(cargo fuzz)
    echo "fuzz-smoke: toolchain $(rustc --version) with RUSTC_BOOTSTRAP=1"
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: installing cargo-fuzz $CARGO_FUZZ_VERSION (a few minutes)"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi
echo "fuzz-smoke: $(cargo fuzz --version)"

for target in "${TARGETS[@]}"; do
    "${FUZZ[@]}" build "$target"
done

status=0
failed=0
for target in "${TARGETS[@]}"; do
    mkdir -p "corpus/$target"
    echo "fuzz-smoke: $target for ${SECONDS_PER_TARGET}s"
    dict=()
    case "$target" in
        ingest_csv) dict=(-dict=dicts/csv.dict) ;;
        *) dict=(-dict="dicts/$target.dict") ;;
    esac
    if ! "${FUZZ[@]}" run "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$SECONDS_PER_TARGET" -timeout="$TIMEOUT" -rss_limit_mb=4096 \
        -print_final_stats=1 "${dict[@]}" >"corpus/$target.log" 2>&1; then
        echo "fuzz-smoke: $target FAILED; the input is in fuzz/artifacts/$target/:"
        grep -E "panicked|ERROR|SUMMARY|Test unit written" "corpus/$target.log" || tail -40 "corpus/$target.log"
        status=1
        failed=$((failed + 1))
        continue
    fi
    grep -E "^#[0-9]+\s+DONE|stat::number_of_executed_units" "corpus/$target.log" || true
done

echo "fuzz-smoke: $((${#TARGETS[@]} - failed)) passed, $failed failed"
exit "$status"
