#!/usr/bin/env bash
# Installs what the web app needs to build and test, skipping whatever is already there:
# apt packages (Chromium, chromedriver, binaryen, Node, and — without a rustup wasm32
# target — Debian's wasm-capable rustc/cargo), Trunk 0.21.14, wasm-bindgen-cli at the
# exact version in Cargo.lock, and the npm packages of tests/e2e (playwright-core).
#
#   scripts/setup.sh            install (idempotent)
#   . scripts/setup.sh --env    only export the build environment (used by serve/test)
#
# Two routes to a wasm32 compiler (see ../shared/TOOLCHAIN.md):
#   rustup  — the active toolchain already has wasm32-unknown-unknown: used as is;
#   debian  — otherwise: apt's rustc-web/cargo-web in /usr/bin, std built from
#             rust-web-src (RUSTC_BOOTSTRAP=1, CARGO_UNSTABLE_BUILD_STD=std,panic_abort).

_ss_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

splitscope_web_env() {
    export PATH="$HOME/.cargo/bin:$PATH"
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$_ss_root/target-web}"
    export TRUNK_SKIP_VERSION_CHECK=true
    if command -v rustup >/dev/null 2>&1 \
        && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
        export SPLITSCOPE_WASM_ROUTE=rustup
    else
        export SPLITSCOPE_WASM_ROUTE=debian
        # Debian's cargo/rustc (with a wasm backend) before rustup's proxies.
        export PATH="/usr/bin:$PATH"
        export RUSTC_BOOTSTRAP=1
        export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    fi
    # trunk and wasm-bindgen live in ~/.cargo/bin; keep it reachable after /usr/bin.
    export PATH="$PATH:$HOME/.cargo/bin"
    # Trunk runs `cargo build --manifest-path Cargo.toml --bin <name>` without `-p`, and the
    # workspace's default-members leave the app out (so native `cargo test` skips it): a
    # thin wrapper adds `-p splitscope-app` to Trunk's cargo builds.
    local real_cargo shim="$CARGO_TARGET_DIR/bin"
    real_cargo="$(PATH="${PATH#"$shim:"}" command -v cargo)"
    mkdir -p "$shim"
    cat >"$shim/cargo" <<SHIM
#!/bin/sh
# Written by scripts/setup.sh: adds -p splitscope-app to Trunk's \`cargo build --bin\`.
case "\$1 \$*" in
    "build "*--manifest-path*--bin*) exec "$real_cargo" "\$@" -p splitscope-app ;;
esac
exec "$real_cargo" "\$@"
SHIM
    chmod +x "$shim/cargo"
    case "$PATH" in "$shim:"*) ;; *) export PATH="$shim:$PATH" ;; esac
}

if [ "${1:-}" = "--env" ]; then
    splitscope_web_env
    return 0 2>/dev/null || exit 0
fi

set -euo pipefail
cd "$_ss_root"
# The Python the caller has (pyenv's, say), before /usr/bin is put first for the wasm
# build: the SQL tests run with it, so its pip installs their packages.
PYTHON="$(command -v python3 || echo python3)"
log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

has_wasm_rustup() {
    command -v rustup >/dev/null 2>&1 \
        && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

# --- apt packages -----------------------------------------------------------------
want=(chromium chromium-driver binaryen nodejs npm python3 curl ca-certificates build-essential pkg-config libssl-dev)
if ! has_wasm_rustup; then
    want+=(rustc-web cargo-web rust-web-src lld-22)
fi
# A Java runtime for the local PySpark session of the Spark SQL test (any java on PATH will do).
command -v java >/dev/null || want+=(default-jre-headless)
missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A working node/npm from elsewhere (nvm, NodeSource) is fine.
if command -v node >/dev/null && command -v npm >/dev/null; then
    missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
else
    log "apt packages present"
fi

export PATH="$HOME/.cargo/bin:$PATH"
# Host tools are installed with the default toolchain (rustup's, else Debian's), in a
# clean environment: no build-std, no wasm target dir.
host_install() {
    env -u CARGO_TARGET_DIR -u RUSTC_BOOTSTRAP -u CARGO_UNSTABLE_BUILD_STD cargo install "$@"
}

# --- Trunk --------------------------------------------------------------------------
TRUNK_VERSION=0.21.14
if command -v trunk >/dev/null && trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    log "trunk $TRUNK_VERSION present"
else
    log "cargo install trunk $TRUNK_VERSION (takes ~12 minutes on 2 cores)"
    host_install trunk --version "$TRUNK_VERSION" --locked
fi

# --- wasm-bindgen-cli, same version as Cargo.lock -----------------------------------
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)"
if [ -z "$WBG_VERSION" ]; then
    echo "setup: cannot find wasm-bindgen in Cargo.lock" >&2
    exit 1
fi
if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $WBG_VERSION\$"; then
    log "wasm-bindgen-cli $WBG_VERSION present"
else
    log "cargo install wasm-bindgen-cli $WBG_VERSION"
    # No --locked: one of its locked dependencies is missing from the registry.
    host_install wasm-bindgen-cli --version "$WBG_VERSION"
fi

splitscope_web_env
log "wasm route: $SPLITSCOPE_WASM_ROUTE ($(rustc --version))"

# --- Rust dependencies (the build itself runs offline) ------------------------------
log "cargo fetch"
cargo fetch -q
# With build-std on the Debian route, the wasm32 std's own dependencies (dlmalloc, …)
# come from the registry too; a plain fetch does not bring them.
cargo fetch -q --target wasm32-unknown-unknown

# --- npm packages of the browser tests ----------------------------------------------
if [ -f tests/e2e/package.json ]; then
    if [ -d tests/e2e/node_modules/playwright-core ]; then
        log "npm packages of tests/e2e present"
    else
        log "npm install (tests/e2e)"
        if [ -f tests/e2e/package-lock.json ]; then
            (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
        else
            (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund)
        fi
    fi
fi

# --- Python packages of the warehouse SQL tests -------------------------------------
# DuckDB and a local PySpark session run the generated SQL against the engine's
# numbers; sqlglot parses every dialect. (Without them those tests print SKIPPED.)
if "$PYTHON" -c 'import duckdb, sqlglot' 2>/dev/null; then
    log "python packages (duckdb, sqlglot) present"
else
    log "pip install duckdb sqlglot ($PYTHON)"
    "$PYTHON" -m pip install -q duckdb sqlglot \
        || "$PYTHON" -m pip install -q --user duckdb sqlglot \
        || log "pip could not install duckdb/sqlglot: the SQL tests will be skipped"
fi
if "$PYTHON" -c 'import pyspark' 2>/dev/null; then
    log "python package pyspark present"
else
    log "pip install pyspark ($PYTHON; ~350 MB)"
    "$PYTHON" -m pip install -q pyspark \
        || "$PYTHON" -m pip install -q --user pyspark \
        || log "pip could not install pyspark: the Spark SQL test will be skipped"
fi

for tool in trunk wasm-bindgen wasm-opt chromium chromedriver node; do
    command -v "$tool" >/dev/null || { echo "setup: $tool is still missing" >&2; exit 1; }
done
log "ready"
