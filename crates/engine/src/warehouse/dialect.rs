//! The SQL dialects: identifiers, literals, types and timestamp arithmetic.

use serde::{Deserialize, Serialize};

/// A SQL dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// DuckDB (tested).
    Duckdb,
    /// Google BigQuery standard SQL (untested).
    Bigquery,
    /// Snowflake (untested).
    Snowflake,
    /// Spark SQL 3.x.
    Spark,
}

impl Dialect {
    /// Every dialect, in documentation order.
    pub const ALL: [Dialect; 4] = [Self::Duckdb, Self::Bigquery, Self::Snowflake, Self::Spark];

    /// The name used on the command line: `duckdb`, `bigquery`, `snowflake`, `spark`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Duckdb => "duckdb",
            Self::Bigquery => "bigquery",
            Self::Snowflake => "snowflake",
            Self::Spark => "spark",
        }
    }

    /// The dialect of a (case-insensitive) name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(name.trim()))
    }

    pub(super) fn string_type(self) -> &'static str {
        match self {
            Self::Duckdb | Self::Snowflake => "VARCHAR",
            Self::Bigquery | Self::Spark => "STRING",
        }
    }

    pub(super) fn float_type(self) -> &'static str {
        match self {
            Self::Bigquery => "FLOAT64",
            _ => "DOUBLE",
        }
    }

    /// A column name of the plan as an identifier.
    pub(super) fn ident(self, name: &str) -> String {
        let plain = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        match self {
            Self::Duckdb => format!("\"{}\"", name.replace('"', "\"\"")),
            Self::Bigquery => format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`")),
            Self::Spark => format!("`{}`", name.replace('`', "``")),
            // Quoted identifiers are case-sensitive in Snowflake: plain names stay unquoted.
            Self::Snowflake if plain && !RESERVED.contains(&name.to_ascii_uppercase().as_str()) => {
                name.to_string()
            }
            Self::Snowflake => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// An output column alias, lower case in every dialect.
    pub(super) fn alias(self, name: &str) -> String {
        match self {
            Self::Snowflake => format!("\"{name}\""),
            _ => name.to_string(),
        }
    }

    /// A string literal.
    pub(super) fn string(self, text: &str) -> String {
        match self {
            Self::Duckdb => format!("'{}'", text.replace('\'', "''")),
            Self::Snowflake => format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''")),
            Self::Bigquery | Self::Spark => {
                format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
            }
        }
    }

    /// `ts` shifted by `seconds` (negative: earlier).
    pub(super) fn add_seconds(self, ts: &str, seconds: i64) -> String {
        let (op, abs) = if seconds < 0 {
            ("-", -seconds)
        } else {
            ("+", seconds)
        };
        match self {
            Self::Duckdb => format!("{ts} {op} INTERVAL ({abs}) SECOND"),
            Self::Bigquery if seconds < 0 => format!("TIMESTAMP_SUB({ts}, INTERVAL {abs} SECOND)"),
            Self::Bigquery => format!("TIMESTAMP_ADD({ts}, INTERVAL {abs} SECOND)"),
            Self::Snowflake => format!("DATEADD(second, {seconds}, {ts})"),
            Self::Spark => format!("{ts} {op} make_interval(0, 0, 0, 0, 0, 0, {abs})"),
        }
    }

    pub(super) fn cast_string(self, expr: &str) -> String {
        format!("CAST({expr} AS {})", self.string_type())
    }

    /// A bot-flag cell read as the engine reads it (`1/true/yes/y/t`).
    pub(super) fn bot(self, column: &str) -> String {
        format!(
            "COALESCE(LOWER(TRIM({})) IN ('1', 'true', 'yes', 'y', 't'), FALSE)",
            self.cast_string(&self.ident(column))
        )
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Dialect {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::from_name(s).ok_or_else(|| {
            format!("expected a SQL dialect (duckdb, bigquery, snowflake or spark), found {s:?}")
        })
    }
}

/// Snowflake's reserved words that a column could plausibly be called.
const RESERVED: [&str; 24] = [
    "ACCOUNT",
    "ALL",
    "CASE",
    "COLUMN",
    "CURRENT_DATE",
    "CURRENT_TIMESTAMP",
    "DATE",
    "FROM",
    "GROUP",
    "IN",
    "INCREMENT",
    "ORDER",
    "ROW",
    "ROWS",
    "SELECT",
    "START",
    "TABLE",
    "TO",
    "TRIGGER",
    "USER",
    "VALUES",
    "WHERE",
    "WITH",
    "ORGANIZATION",
];
