#!/usr/bin/env bash
# Tests of the web app: the app crate's native unit tests, its wasm tests
# (wasm-bindgen-test in headless Chromium, in a dedicated worker), and the Playwright
# end-to-end tests against the release build served by a plain static server from a
# sub-path (http://127.0.0.1:PORT/tools/splitscope/). Exit code non-zero on any failure.
#
#   scripts/test-web.sh              everything
#   scripts/test-web.sh --e2e-only   skip the native and wasm unit tests
#   E2E_FILES=corpus.test.mjs E2E_PATTERN='memory' scripts/test-web.sh --e2e-only
#                                    only some end-to-end files / tests
#   SPLITSCOPE_SKIP_SETUP=1 ...      do not run scripts/setup.sh first
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
e2e_only=0
[ "${1:-}" = "--e2e-only" ] && e2e_only=1

if [ "${SPLITSCOPE_SKIP_SETUP:-0}" != 1 ]; then
    scripts/setup.sh
fi

step() { printf '\n\033[1m== test-web: %s\033[0m\n' "$*"; }
failures=()

# --- native pieces (host toolchain, default target dir) -----------------------------
step "native CLI (reference reports, generated data)"
cargo build --release -q -p splitscope-cli
CLI="$root/target/release/splitscope"
rm -rf target-web/golden
"$CLI" example target-web/golden >/dev/null
cmp -s public/example/exposures.csv target-web/golden/exposures.csv \
    && cmp -s public/example/events.csv target-web/golden/events.csv \
    || { echo "public/example/*.csv differ from the engine's course data" >&2; failures+=("example data"); }
(cd target-web/golden && "$CLI" analyze --exposures exposures.csv --events events.csv --output course-report.json)

if [ "$e2e_only" = 0 ]; then
    step "app unit tests (native)"
    cargo test -q -p splitscope-app --lib || failures+=("app unit tests")
fi

. scripts/setup.sh --env

# --- wasm tests in headless Chromium ------------------------------------------------
if [ "$e2e_only" = 0 ]; then
    step "wasm tests (wasm-bindgen-test, headless Chromium)"
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
    export CHROMEDRIVER=/usr/bin/chromedriver
    export WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1
    export WASM_BINDGEN_TEST_TIMEOUT=120
    export SPLITSCOPE_NATIVE_COURSE_REPORT="$root/target-web/golden/course-report.json"
    cargo test --offline --release --target wasm32-unknown-unknown -p splitscope-app --test wasm \
        || failures+=("wasm tests")
    unset CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER
fi

# --- release build, served from a sub-path ------------------------------------------
step "release build (trunk build --release --offline)"
trunk build --release --offline
site="$root/target-web/site"
rm -rf "$site" && mkdir -p "$site/tools"
ln -s "$root/dist" "$site/tools/splitscope"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory "$site" "$port" >target-web/http.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$port/tools/splitscope/" >/dev/null && break
    sleep 0.2
done

step "end-to-end tests (node --test, playwright-core, /usr/bin/chromium)"
mkdir -p test-output
export SPLITSCOPE_URL="http://127.0.0.1:$port/tools/splitscope/"
export SPLITSCOPE_CLI="$CLI"
export SPLITSCOPE_TEST_OUTPUT="$root/test-output"
export SPLITSCOPE_TEST_DATA="$root/target-web/e2e-data"
mkdir -p "$SPLITSCOPE_TEST_DATA"
# E2E_FILES picks test files, E2E_PATTERN test names (node --test-name-pattern).
read -r -a e2e_files <<<"${E2E_FILES:-app.test.mjs corpus.test.mjs}"
e2e_args=(--test --test-concurrency=1 --test-reporter=spec)
[ -n "${E2E_PATTERN:-}" ] && e2e_args+=(--test-name-pattern "$E2E_PATTERN")
(cd tests/e2e && node "${e2e_args[@]}" "${e2e_files[@]}") \
    || failures+=("end-to-end tests")

if [ "${#failures[@]}" -gt 0 ]; then
    printf '\ntest-web: FAILED: %s\n' "${failures[*]}"
    exit 1
fi
printf '\ntest-web: all web tests passed\n'
