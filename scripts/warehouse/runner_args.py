"""What run_duckdb.py and run_spark.py share: their command line and their CSV output.

    --sql FILE --out CSV --table NAME=CSV_PATH ... --timestamp TABLE.COLUMN ... --double TABLE.COLUMN ...
"""

import argparse
import csv


def parse(description):
    """Parses the shared arguments; returns (args, casts) with casts = {table: [(column, SQL type)]}."""
    p = argparse.ArgumentParser(description=description)
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
    return args, casts


def tables(args):
    """(name, CSV path) of every --table."""
    return [tuple(spec.partition("=")[::2]) for spec in args.table]


def read_query(args):
    with open(args.sql, encoding="utf-8") as f:
        return f.read()


def write_csv(path, header, rows):
    """Integers as written, floats in Python's shortest round-trip form, NULL as an empty cell."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        for row in rows:
            out.writerow(["" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row])
