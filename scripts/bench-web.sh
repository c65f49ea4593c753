#!/usr/bin/env bash
# In-browser benchmark: builds the release app, serves it on 127.0.0.1 and times the
# benchmark data sets (made by scripts/bench.sh) in headless Chromium.
#   scripts/bench-web.sh [SET ...]      (default: 100k-1m 1m-10m)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
sets=("${@:-100k-1m}")
[ "$#" -gt 0 ] || sets=(100k-1m 1m-10m)
for s in "${sets[@]}"; do
    [ -f "bench-data/$s/events.csv" ] || { echo "bench-data/$s missing: run scripts/bench.sh first" >&2; exit 1; }
done
SPLITSCOPE_SKIP_SETUP="${SPLITSCOPE_SKIP_SETUP:-0}" bash scripts/serve.sh --build-only
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory dist "$port" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.2; done
echo "download size (gzip -9): $(cat dist/*.wasm dist/*.js | gzip -9 | wc -c) bytes"
node scripts/bench/web.mjs "http://127.0.0.1:$port/" bench-data bench-data/plan-cuped.json "${sets[@]}"
