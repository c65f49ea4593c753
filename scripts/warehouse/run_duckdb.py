#!/usr/bin/env python3
"""Runs Splitscope's warehouse SQL (DuckDB dialect) on exposures and events CSVs.

Loads each CSV into a table (every column as text, then the named columns cast to
TIMESTAMP or DOUBLE, as a warehouse would type them), runs the query and writes its
result as CSV: integers as written, floats in Python's shortest round-trip form,
NULL as an empty cell. Used by crates/engine/tests/warehouse_sql.rs.

    python3 scripts/warehouse/run_duckdb.py --sql q.sql --out summary.csv \
        --table exposures=exposures.csv --table events=events.csv \
        --timestamp exposures.exposure_ts --timestamp events.event_ts \
        --double events.amount
"""

import sys

import duckdb

import runner_args


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def main():
    args, casts = runner_args.parse(__doc__.splitlines()[0])
    con = duckdb.connect()
    for name, path in runner_args.tables(args):
        replace = ", ".join(
            f"CAST(NULLIF(TRIM({quote(c)}), '') AS {t}) AS {quote(c)}" for c, t in casts.get(name, [])
        )
        star = f"* REPLACE ({replace})" if replace else "*"
        con.execute(
            f"CREATE TABLE {quote(name)} AS SELECT {star} FROM read_csv(?, header = true, all_varchar = true)",
            [path],
        )
    cursor = con.execute(runner_args.read_query(args))
    runner_args.write_csv(args.out, [d[0] for d in cursor.description], cursor.fetchall())
    return 0


if __name__ == "__main__":
    sys.exit(main())
