#!/usr/bin/env bash
# Runs every test of Splitscope on a fresh Debian machine, installing what is missing:
# formatting and lints, the engine/CLI/charts tests (unit, golden, reference,
# property), the release-mode simulations, then the wasm tests and the browser
# end-to-end tests against the release build (scripts/test-web.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "setup"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

step "format and lints (engine, CLI, charts, app)"
cargo fmt --all --check
cargo clippy --all-targets -- -D warnings
cargo clippy -p splitscope-app --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -q

step "native tests: engine, CLI, charts"
cargo test

step "simulations (release): false-positive rate and interval coverage"
cargo test --release -p splitscope-engine --test simulation --test simulation_beyond --test simulation_ratio -- --ignored

step "a 2.6 GB events stream through the engine (release)"
cargo test --release -p splitscope-cli --test corpus_stream -- --ignored

step "fuzz smoke run (cargo-fuzz, 20 s per target)"
bash scripts/fuzz-smoke.sh

step "wasm and browser end-to-end tests"
bash scripts/test-web.sh
