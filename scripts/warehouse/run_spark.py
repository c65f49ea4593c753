#!/usr/bin/env python3
"""Runs Splitscope's warehouse SQL (Spark dialect) on a local PySpark session.

Same arguments and output as run_duckdb.py: each CSV becomes a temporary view (every
column read as text, then the named columns cast to TIMESTAMP or DOUBLE), the query
runs and its result is written as CSV (floats in Python's shortest round-trip form,
NULL as an empty cell). Needs `pip install pyspark` and a Java runtime (17+ for
Spark 4). Timestamps are read as UTC (spark.sql.session.timeZone).
Used by crates/engine/tests/warehouse_sql.rs when SPLITSCOPE_SPARK=1.
"""

import sys

from pyspark.sql import SparkSession

import runner_args


def quote(name):
    return "`" + name.replace("`", "``") + "`"


def main():
    args, casts = runner_args.parse(__doc__.splitlines()[0])
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
        for name, path in runner_args.tables(args):
            raw = spark.read.option("header", "true").csv(path)
            raw.createOrReplaceTempView(f"{name}_raw")
            typed = dict(casts.get(name, []))
            cols = ", ".join(
                f"CAST(NULLIF(TRIM({quote(c)}), '') AS {typed[c]}) AS {quote(c)}" if c in typed else quote(c)
                for c in raw.columns
            )
            spark.sql(f"SELECT {cols} FROM {quote(name + '_raw')}").createOrReplaceTempView(name)
        result = spark.sql(runner_args.read_query(args))
        runner_args.write_csv(args.out, result.columns, result.collect())
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
