#!/usr/bin/env bash
# Benchmarks the splitscope CLI against the course's own pandas pipeline, side by
# side in one run, and writes the figures into BENCHMARKS.md (between the
# `results` markers).
#
#   scripts/bench.sh                      # both sizes (pandas at 1M/10M takes minutes)
#   SIZES=100k-1m scripts/bench.sh        # only the small one
#   SKIP_PANDAS=1 scripts/bench.sh        # CLI only (no ratios)
#   CLI_RUNS=10 PANDAS_RUNS=3 scripts/bench.sh
#
# Needs: cargo, python3 with pandas/numpy/scipy, GNU time (`apt-get install time`),
# hyperfine if available (`apt-get install hyperfine`; otherwise /usr/bin/time
# timings are used). Data goes to bench-data/ (git-ignored).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DATA=${BENCH_DATA:-bench-data}
SIZES=${SIZES:-"100k-1m 1m-10m"}
CLI_RUNS=${CLI_RUNS:-5}
PANDAS_RUNS=${PANDAS_RUNS:-1}
SKIP_PANDAS=${SKIP_PANDAS:-0}
RESAMPLES=5000
RESULTS="$DATA/results"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$RESULTS"

[ -x /usr/bin/time ] || { echo "bench.sh: GNU time is missing (apt-get install time)" >&2; exit 1; }
if [ "$SKIP_PANDAS" != 1 ]; then
  python3 -c 'import pandas, numpy, scipy' 2>/dev/null \
    || { echo "bench.sh: python3 needs pandas, numpy and scipy (or SKIP_PANDAS=1)" >&2; exit 1; }
fi
HYPERFINE=$(command -v hyperfine || true)

echo "== building the CLI (release)" >&2
cargo build --release -p splitscope-cli
BIN=target/release/splitscope   # relative: the commands below are printed as run, from the repository root

users_of() { case $1 in 100k-1m) echo 100000 ;; 1m-10m) echo 1000000 ;; *) echo "unknown size $1" >&2; exit 1 ;; esac; }
events_of() { case $1 in 100k-1m) echo 1000000 ;; 1m-10m) echo 10000000 ;; esac; }

# The analysis plan: the course's defaults (conversion + revenue, B = 5000, seed 7) with CUPED on.
"$BIN" plan --cuped > "$DATA/plan-cuped.json"

for size in $SIZES; do
  dir="$DATA/$size"
  gen_cmd="$BIN generate --users $(users_of "$size") --events $(events_of "$size") --seed 42 --out $dir"
  stamp="$dir/.generated-by"
  if [ ! -f "$dir/events.csv" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$($BIN --version) ${gen_cmd#"$BIN "}" ]; then
    echo "== generating $size" >&2
    $gen_cmd
    echo "$($BIN --version) ${gen_cmd#"$BIN "}" > "$stamp"
  fi
  csv_bytes=$(( $(stat -c %s "$dir/exposures.csv") + $(stat -c %s "$dir/events.csv") ))
  echo "$csv_bytes" > "$RESULTS/$size.csv-bytes"

  cli="$BIN analyze --exposures $dir/exposures.csv --events $dir/events.csv --plan $DATA/plan-cuped.json --quiet --output $RESULTS/$size.report.json"
  pandas="python3 scripts/bench/pandas_pipeline.py $dir/exposures.csv $dir/events.csv --bootstrap $RESAMPLES --json $RESULTS/$size.pandas.json"
  echo "$gen_cmd" > "$RESULTS/$size.generate.cmd"
  echo "$cli" > "$RESULTS/$size.cli.cmd"
  echo "$pandas" > "$RESULTS/$size.pandas.cmd"

  tools="cli"
  [ "$SKIP_PANDAS" = 1 ] || tools="cli pandas"
  for tool in $tools; do
    if [ "$tool" = cli ]; then cmd=$cli; runs=$CLI_RUNS; warmup=1; else cmd=$pandas; runs=$PANDAS_RUNS; warmup=0; fi
    rm -f "$RESULTS/$size.$tool.times" "$RESULTS/$size.$tool.hyperfine.json" "$RESULTS/$size.$tool.time-v"
    echo "== $size: $tool wall time ($runs runs)" >&2
    if [ "$runs" = 1 ] && [ "$tool" = pandas ]; then
      : # one run: the `time -v` run below gives the wall time too
    elif [ -n "$HYPERFINE" ]; then
      hyperfine --style basic --warmup "$warmup" --runs "$runs" \
        --export-json "$RESULTS/$size.$tool.hyperfine.json" --command-name "$tool" "$cmd > /dev/null"
    else
      for _ in $(seq "$runs"); do
        /usr/bin/time -f %e -o "$RESULTS/$size.$tool.times" -a sh -c "$cmd > /dev/null"
      done
    fi
    echo "== $size: $tool peak memory (and wall time when run once)" >&2
    /usr/bin/time -v -o "$RESULTS/$size.$tool.time-v" sh -c "exec $cmd > /dev/null"
  done
done

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpus: $(nproc)"
  echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "load average (1/5/15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rustc: $(rustc --version)"
  echo "splitscope: $($BIN --version)"
  echo "hyperfine: ${HYPERFINE:+$(hyperfine --version)}"
  [ "$SKIP_PANDAS" = 1 ] || echo "python: $(python3 -c 'import sys, pandas, numpy, scipy; print(sys.version.split()[0], "pandas", pandas.__version__, "numpy", numpy.__version__, "scipy", scipy.__version__)')"
} > "$RESULTS/machine.txt"

python3 scripts/bench/summarize.py --results "$RESULTS" --sizes "$SIZES" --out BENCHMARKS.md
echo "== wrote BENCHMARKS.md" >&2
