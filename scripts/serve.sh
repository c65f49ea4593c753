#!/usr/bin/env bash
# Builds the web app (release, offline) and serves dist/ on 127.0.0.1 with a plain static
# server, printing the URL. Installs whatever is missing first (scripts/setup.sh).
#
#   scripts/serve.sh               build and serve on http://127.0.0.1:8080/
#   PORT=9000 scripts/serve.sh     another port
#   scripts/serve.sh --build-only  build dist/ and stop
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ "${SPLITSCOPE_SKIP_SETUP:-0}" != 1 ]; then
    scripts/setup.sh
fi
. scripts/setup.sh --env

echo "serve: trunk build --release --offline (wasm route: $SPLITSCOPE_WASM_ROUTE)"
trunk build --release --offline
[ -f dist/index.html ] && [ -f dist/worker_loader.js ] || { echo "serve: build produced no dist/" >&2; exit 1; }

if [ "${1:-}" = "--build-only" ]; then
    echo "serve: built $(du -sh dist | cut -f1) in dist/"
    exit 0
fi

PORT="${PORT:-8080}"
echo
echo "  Splitscope is running at  http://127.0.0.1:$PORT/"
echo "  (static files from dist/; your data never leaves the browser; Ctrl-C stops)"
echo
exec python3 -m http.server --bind 127.0.0.1 --directory dist "$PORT"
