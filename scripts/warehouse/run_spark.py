#!/usr/bin/env python3
"""Runs Splitscope's warehouse SQL (Spark dialect) on a local PySpark session.

Same arguments and output as run_duckdb.py: each CSV becomes a temporary view (every
column read as text, then the named columns cast to TIMESTAMP or DOUBLE), the query
runs and its result is written as CSV (floats in Python's shortest round-trip form,
NULL as an empty cell). Needs `pip install pyspark` and a Java runtime (17+ for
Spark 4). Timestamps are read as UTC (spark.sql.session.timeZone).
Used by crates/engine/tests/warehouse_sql.rs when SPLITSCOPE_SPARK=1.
"""

import argparse
import csv
import sys

from pyspark.sql import SparkSession


def quote(name):
    return "`" + name.replace("`", "``") + "`"


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

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("splitscope-warehouse-test")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for spec in args.table:
            name, _, path = spec.partition("=")
            raw = spark.read.option("header", "true").csv(path)
            raw.createOrReplaceTempView(f"{name}_raw")
            typed = dict(casts.get(name, []))
            cols = ", ".join(
                f"CAST(NULLIF(TRIM({quote(c)}), '') AS {typed[c]}) AS {quote(c)}" if c in typed else quote(c)
                for c in raw.columns
            )
            spark.sql(f"SELECT {cols} FROM {quote(name + '_raw')}").createOrReplaceTempView(name)
        with open(args.sql, encoding="utf-8") as f:
            query = f.read()
        result = spark.sql(query)
        rows = result.collect()
        with open(args.out, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(result.columns)
            for row in rows:
                out.writerow(["" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row])
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
