//! Stage 8 — report: the serde report (`"schema": "splitscope.report/1"`), the
//! guardrail verdicts and the one-line decision. See `docs/report-schema.md`.

use serde::{Deserialize, Serialize};

use crate::infer::{Bayes, Bootstrap, Correction, Cuped, MannWhitney, Sequential, Welch};
use crate::plan::{Direction, Plan, Role};
use crate::validate::{Diagnostics, Srm};

mod decide;
mod over_time;
mod segments;
mod text;

pub use decide::{decide, guardrail_status};
pub use over_time::{LiftOverTime, LiftPoint, TimeAxis};
pub use segments::SegmentResult;
pub use text::to_text;

/// The report schema identifier; bumped on any incompatible change.
pub const SCHEMA: &str = "splitscope.report/1";

/// Everything the analysis found, in the order a reader needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Version of the engine that produced the report.
    pub engine_version: String,
    /// The files read.
    pub inputs: Inputs,
    /// The full plan, defaults included.
    pub plan: Plan,
    /// Row counts of every stage and every exclusion.
    pub diagnostics: Diagnostics,
    /// The seed's per-variant summary table (control first, then by name).
    pub variants: Vec<VariantSummary>,
    /// Sample-ratio-mismatch check.
    pub srm: Srm,
    /// Per-metric comparisons of every variant against the control.
    pub metrics: Vec<MetricResult>,
    /// Guardrail checks, one per guardrail metric and variant.
    pub guardrails: Vec<GuardrailResult>,
    /// Cumulative users, conversions and revenue per variant by calendar day (UTC).
    pub timeline: Timeline,
    /// Relative lift over time (cumulative and daily by date, and by days since
    /// exposure) with interval bands.
    #[serde(default)]
    pub lift_over_time: Vec<LiftOverTime>,
    /// Per-segment results, one per value of each segment column.
    #[serde(default)]
    pub segments: Vec<SegmentResult>,
    /// The multiple-testing correction applied to the primary comparisons.
    #[serde(default)]
    pub correction: FamilyCorrection,
    /// The recommendation.
    pub decision: Decision,
}

/// How the family of primary comparisons (arms × primary metrics × segments) was
/// corrected; guardrails are never in the family.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FamilyCorrection {
    /// The method.
    pub method: Correction,
    /// Number of tests in the family.
    pub family_size: usize,
}

/// Winsorizing cut points of a capped metric (computed on both arms pooled).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CapBounds {
    /// Lower quantile asked for.
    pub lower_quantile: Option<f64>,
    /// Upper quantile asked for.
    pub upper_quantile: Option<f64>,
    /// Lower cut point applied.
    pub lower: Option<f64>,
    /// Upper cut point applied.
    pub upper: Option<f64>,
}

impl Report {
    /// The report as pretty JSON; byte-identical for identical inputs, plan and seed.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The comparison of `variant` against the control on metric `metric`.
    pub fn comparison(&self, metric: &str, variant: &str) -> Option<&Comparison> {
        self.metrics
            .iter()
            .find(|m| m.name == metric)?
            .comparisons
            .iter()
            .find(|c| c.variant == variant)
    }
}

/// The two input files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inputs {
    /// The exposures file.
    pub exposures: InputFile,
    /// The events file.
    pub events: InputFile,
}

/// One input file as read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    /// File name as given (no directories are required).
    pub name: String,
    /// SHA-256 of the bytes read, lower-case hex.
    pub sha256: String,
    /// Number of bytes read.
    pub bytes: u64,
    /// Number of data rows (header excluded).
    pub rows: u64,
}

/// One row of the seed's summary table, plus every metric's mean and variance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantSummary {
    /// Variant name.
    pub name: String,
    /// Users analysed in this variant.
    pub users: u64,
    /// Users converting on the plan's first conversion metric (`null` without one).
    pub conversions: Option<u64>,
    /// `conversions / users`.
    pub conversion_rate: Option<f64>,
    /// Mean of the plan's first sum metric (revenue per user; `null` without one).
    pub revenue_per_user: Option<f64>,
    /// Every metric's per-user statistics in this variant.
    pub metrics: Vec<MetricSummary>,
}

/// A metric's per-user statistics in one variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricSummary {
    /// Metric name.
    pub name: String,
    /// Mean per user (for ratio metrics: the ratio of sums).
    pub mean: f64,
    /// Sample variance per user (`ddof = 1`; `null` below two users or for ratios).
    pub variance: Option<f64>,
    /// Total over users (numerator total for ratio metrics).
    pub total: f64,
}

/// All comparisons of one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricResult {
    /// Metric name.
    pub name: String,
    /// `conversion`, `sum`, `count` or `ratio`.
    pub kind: String,
    /// Role in the decision.
    pub role: Role,
    /// Which direction of change is good.
    pub good_direction: Direction,
    /// Winsorizing applied before any test, when the plan caps this metric.
    #[serde(default)]
    pub capping: Option<CapBounds>,
    /// One per non-control variant (plus all variants pooled, when asked).
    pub comparisons: Vec<Comparison>,
}

/// One variant against the control on one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The treatment variant.
    pub variant: String,
    /// The control variant.
    pub control: String,
    /// Control mean per user.
    pub control_mean: f64,
    /// Variant mean per user.
    pub variant_mean: f64,
    /// `variant_mean − control_mean`.
    pub diff: f64,
    /// `diff / control_mean` (`null` when the control mean is 0).
    pub relative_lift: Option<f64>,
    /// Welch t-test (`null` when undefined, e.g. fewer than two users in an arm).
    pub welch: Option<Welch>,
    /// Seeded percentile bootstrap of the difference (`null` when off or undefined).
    pub bootstrap: Option<Bootstrap>,
    /// CUPED-adjusted effect (`null` unless enabled).
    pub cuped: Option<Cuped>,
    /// Always-valid confidence sequence (`null` unless enabled).
    #[serde(default)]
    pub sequential: Option<Sequential>,
    /// Bayesian read-out of the relative lift (`null` unless enabled).
    #[serde(default)]
    pub bayes: Option<Bayes>,
    /// Mann–Whitney U: a test of distributions, not of means (`null` unless enabled).
    #[serde(default)]
    pub mann_whitney: Option<MannWhitney>,
    /// The deciding p-value (CUPED when present, else Welch) before correction.
    #[serde(default)]
    pub p_value: Option<f64>,
    /// The deciding p-value after the family's multiple-testing correction (primary
    /// metrics only).
    #[serde(default)]
    pub adjusted_p_value: Option<f64>,
    /// Whether the deciding p-value (adjusted, for primary metrics) is below alpha.
    pub significant: bool,
}

/// Verdict of one guardrail for one variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuardrailResult {
    /// Guardrail metric name.
    pub metric: String,
    /// Variant checked.
    pub variant: String,
    /// Pass, warn or fail.
    pub status: GuardrailStatus,
    /// Why, in a sentence.
    pub reason: String,
}

/// Outcome of a guardrail check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuardrailStatus {
    /// No significant harm and the interval stays within the margin.
    Pass,
    /// Not significant, but the interval reaches past the tolerated margin.
    Warn,
    /// Significant change in the harmful direction: blocks the launch.
    Fail,
}

/// Cumulative series per variant by calendar day (UTC).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Days as `YYYY-MM-DD`, from the first exposure to the last counted event.
    pub days: Vec<String>,
    /// One series per variant, in the order of [`Report::variants`].
    pub series: Vec<TimelineSeries>,
}

/// One variant's cumulative counts at the end of each day of [`Timeline::days`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineSeries {
    /// Variant name.
    pub variant: String,
    /// Users exposed so far.
    pub users: Vec<u64>,
    /// Users converted so far (first conversion metric).
    pub conversions: Vec<u64>,
    /// Revenue so far (first sum metric).
    pub revenue: Vec<f64>,
}

/// The one-line recommendation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The verdict.
    pub verdict: Verdict,
    /// The reason, in a sentence.
    pub reason: String,
}

/// What to do with the experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// SRM flagged: the metrics must not be read.
    Invalid,
    /// A guardrail failed.
    Blocked,
    /// A primary metric improved significantly and none got worse.
    Ship,
    /// A primary metric got significantly worse.
    DontShip,
    /// No primary metric moved significantly.
    Inconclusive,
}

impl Verdict {
    /// Human label: `ship`, `don't ship`, …
    pub fn label(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::Blocked => "blocked",
            Self::Ship => "ship",
            Self::DontShip => "don't ship",
            Self::Inconclusive => "inconclusive",
        }
    }
}
