//! The warehouse path, for data too big for a browser: a sufficient-statistics CSV
//! (one row per metric × variant × segment value) that a warehouse computes with
//! [`sql`], and the analysis of that CSV with [`analyze_summary`], which gives the
//! same report as [`analyze`](crate::analyze) on the raw rows for everything the
//! closed forms need. See `docs/warehouse.md` for the format and the differences.
//!
//! ```
//! use splitscope_engine::{example, plan::Plan, warehouse, Input};
//! let plan = Plan::default();
//! let mut csv = Vec::new();
//! warehouse::write_summary(
//!     Input::new("exposures.csv", example::EXPOSURES_CSV.as_bytes()),
//!     Input::new("events.csv", example::EVENTS_CSV.as_bytes()),
//!     &plan,
//!     &mut csv,
//! ).unwrap();
//! assert!(csv.starts_with(b"metric,variant,n,sum,sum_sq\n"));
//! let report = warehouse::analyze_summary(Input::new("summary.csv", &csv[..]), &plan).unwrap();
//! assert_eq!(report.variants[0].users, 3);
//! assert_eq!(report.variants[1].revenue_per_user, Some(25.0));
//! ```

mod analyze;
mod cells;
mod check;
mod dialect;
mod hashing;
mod read;
mod sql;
mod write;

pub use analyze::analyze_summary;
pub use read::read_summary;
pub use sql::{sql, sql_for_tables, Dialect};
pub use write::{summarize_rows, write_csv, write_summary};

use crate::report::InputFile;

/// Header of the metric column.
pub const METRIC: &str = "metric";
/// Header of the variant column.
pub const VARIANT: &str = "variant";
/// Header of the segment column's name (empty for the overall population).
pub const SEGMENT_COLUMN: &str = "segment_column";
/// Header of the segment value (empty for the overall population).
pub const SEGMENT_VALUE: &str = "segment_value";

/// A parsed sufficient-statistics file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// The file as read (name, SHA-256, bytes, data rows).
    pub file: InputFile,
    /// The rows, in file order.
    pub rows: Vec<SummaryRow>,
}

/// One metric × variant (× segment value) row of sufficient statistics.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SummaryRow {
    /// 1-based line of the row in its file (0 for rows not read from a file).
    pub line: u64,
    /// Metric name, as in the plan.
    pub metric: String,
    /// Variant name.
    pub variant: String,
    /// `(segment column, segment value)`, or `None` for the overall population.
    pub segment: Option<(String, String)>,
    /// Users (randomisation units) in the cell, including users without events.
    pub n: u64,
    /// `Σ y` over the users (the numerator's for a ratio metric).
    pub sum: f64,
    /// `Σ y²` over the users.
    pub sum_sq: f64,
    /// The CUPED pre-period covariate `x` (a ratio's pre-period numerator):
    /// `cov_sum`, `cov_sum_sq`, `sum_cov_product`.
    pub covariate: Option<Cross>,
    /// A ratio's denominator `x`: `den_sum`, `den_sum_sq`, `sum_den_product`.
    pub denominator: Option<Cross>,
    /// A ratio's pre-period denominator, for CUPED on ratio metrics.
    pub pre_denominator: Option<PreDenominator>,
}

/// Sums of a ratio's pre-period denominator `e` and its products with the
/// numerator `y`, the denominator `d` and the pre-period numerator `x` — with
/// [`Cross`]'s sums of `d` and `x`, all the second moments CUPED for a ratio needs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PreDenominator {
    /// `Σ e` (`cov_den_sum`).
    pub sum: f64,
    /// `Σ e²` (`cov_den_sum_sq`).
    pub sum_sq: f64,
    /// `Σ y·e` (`sum_cov_den_product`).
    pub sum_product: f64,
    /// `Σ d·x` (`sum_den_cov_product`).
    pub den_cov_product: f64,
    /// `Σ d·e` (`sum_den_cov_den_product`).
    pub den_product: f64,
    /// `Σ x·e` (`sum_cov_cov_den_product`).
    pub cov_product: f64,
}

/// Sums of a second per-user quantity `x` beside the metric `y`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cross {
    /// `Σ x`.
    pub sum: f64,
    /// `Σ x²`.
    pub sum_sq: f64,
    /// `Σ x·y`.
    pub sum_product: f64,
}

/// The optional column groups, in header order: covariate, denominator, then the
/// ratio's pre-period denominator.
pub(crate) const COVARIATE_COLUMNS: [&str; 3] = ["cov_sum", "cov_sum_sq", "sum_cov_product"];
/// The ratio denominator's columns.
pub(crate) const DENOMINATOR_COLUMNS: [&str; 3] = ["den_sum", "den_sum_sq", "sum_den_product"];
/// The ratio's pre-period denominator columns (CUPED on ratio metrics), in
/// [`PreDenominator`]'s field order.
pub(crate) const PRE_DENOMINATOR_COLUMNS: [&str; 6] = [
    "cov_den_sum",
    "cov_den_sum_sq",
    "sum_cov_den_product",
    "sum_den_cov_product",
    "sum_den_cov_den_product",
    "sum_cov_cov_den_product",
];
