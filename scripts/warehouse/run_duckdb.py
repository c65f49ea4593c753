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

import argparse
import csv
import sys

import duckdb


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sql", required=True, help="file holding the query")
    p.add_argument("--out", required=True, help="CSV file to write")
    p.add_argument("--table", action="append", default=[], help="NAME=CSV_PATH")
    p.add_argument("--timestamp", action="append", default=[], help="TABLE.COLUMN to cast to TIMESTAMP")
    p.add_argument("--double", action="append", default=[], help="TABLE.COLUMN to cast to DOUBLE")
    args = p.parse_args()

    casts = {}
    for spec, sql_type in [(s, "TIMESTAMP") for s in args.timestamp] + [(s, "DOUBLE") for s in args.double]:
        table, _, column = spec.partition(".")
        casts.setdefault(table, []).append((column, sql_type))

    con = duckdb.connect()
    for spec in args.table:
        name, _, path = spec.partition("=")
        replace = ", ".join(
            f"CAST(NULLIF(TRIM({quote(c)}), '') AS {t}) AS {quote(c)}" for c, t in casts.get(name, [])
        )
        star = f"* REPLACE ({replace})" if replace else "*"
        con.execute(
            f"CREATE TABLE {quote(name)} AS SELECT {star} FROM read_csv(?, header = true, all_varchar = true)",
            [path],
        )
    with open(args.sql, encoding="utf-8") as f:
        query = f.read()
    cursor = con.execute(query)
    header = [d[0] for d in cursor.description]
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        for row in cursor.fetchall():
            out.writerow(["" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row])
    return 0


if __name__ == "__main__":
    sys.exit(main())
