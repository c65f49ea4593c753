//! Stage 1 — specify: the pre-registered analysis plan.
//!
//! Every field has the course's default, so `{}` is a valid plan that reproduces
//! the seed pipeline. Unknown keys are rejected to catch typos.

use serde::{Deserialize, Serialize};

use crate::infer::Correction;

mod duration;
mod methods;
mod metric;

pub use duration::Span;
pub use methods::{BayesianPlan, Limits, SequentialPlan};
pub use metric::{Capping, Direction, MetricKind, MetricSpec, Role};

/// The whole analysis plan, read from JSON.
///
/// ```
/// use splitscope_engine::plan::Plan;
/// let plan = Plan::from_json(r#"{"alpha": 0.1, "window": "3d"}"#).unwrap();
/// assert_eq!(plan.alpha, 0.1);
/// assert_eq!(plan.window.seconds(), 3 * 86_400);
/// assert_eq!(plan.control, "control");
/// assert!(Plan::from_json(r#"{"alpah": 0.1}"#).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Plan {
    /// A name for the experiment, shown in the report.
    pub name: String,
    /// The hypothesis written before looking at data.
    pub hypothesis: String,
    /// Column names of the exposures file.
    pub exposures: ExposureColumns,
    /// Column names of the events file.
    pub events: EventColumns,
    /// How timestamps are written in both files.
    pub timestamp_format: TimestampFormat,
    /// What to do with a row that cannot be read.
    pub on_bad_row: OnBadRow,
    /// What to do with users exposed to more than one variant.
    pub multi_variant_policy: MultiVariantPolicy,
    /// Name of the control variant.
    pub control: String,
    /// Expected share of users per variant (equal split when absent).
    pub expected_split: Option<Vec<VariantShare>>,
    /// Events count when `exposure_ts <= event_ts <= exposure_ts + window`.
    pub window: Span,
    /// Significance level for tests and `1 - alpha` intervals.
    pub alpha: f64,
    /// SRM is flagged when its p-value is below this (the course used 0.01).
    pub srm_threshold: f64,
    /// Bootstrap settings.
    pub bootstrap: BootstrapPlan,
    /// CUPED variance reduction settings.
    pub cuped: CupedPlan,
    /// Metrics to compute; the course's conversion and revenue by default.
    pub metrics: Vec<MetricSpec>,
    /// Multiple-testing correction over arms × primary metrics × segments (guardrails
    /// are never in the family).
    pub correction: Correction,
    /// Also compare all non-control arms pooled together against the control.
    pub pool_arms: bool,
    /// Always-valid (sequential) intervals beside the fixed-horizon ones.
    pub sequential: SequentialPlan,
    /// Bayesian read-out of the relative lift.
    pub bayesian: BayesianPlan,
    /// Mann–Whitney U test of distributions for mean metrics.
    pub distribution_test: bool,
    /// Caps that protect memory and readability.
    pub limits: Limits,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            name: String::new(),
            hypothesis: String::new(),
            exposures: ExposureColumns::default(),
            events: EventColumns::default(),
            timestamp_format: TimestampFormat::Auto,
            on_bad_row: OnBadRow::Stop,
            multi_variant_policy: MultiVariantPolicy::First,
            control: "control".into(),
            expected_split: None,
            window: Span::days(7),
            alpha: 0.05,
            srm_threshold: 0.001,
            bootstrap: BootstrapPlan::default(),
            cuped: CupedPlan::default(),
            metrics: MetricSpec::course_defaults(),
            correction: Correction::Holm,
            pool_arms: false,
            sequential: SequentialPlan::default(),
            bayesian: BayesianPlan::default(),
            distribution_test: false,
            limits: Limits::default(),
        }
    }
}

/// Why a plan cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanError(pub String);

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid plan: {}", self.0)
    }
}

impl std::error::Error for PlanError {}

impl Plan {
    /// Parses and checks a plan from JSON text.
    pub fn from_json(text: &str) -> Result<Self, PlanError> {
        let plan: Plan = serde_json::from_str(text).map_err(|e| PlanError(e.to_string()))?;
        plan.check()?;
        Ok(plan)
    }

    /// The plan as pretty JSON (every field, defaults included).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks values that serde cannot: ranges, references between metrics.
    pub fn check(&self) -> Result<(), PlanError> {
        let fail = |msg: String| Err(PlanError(msg));
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return fail(format!("alpha must be between 0 and 1, got {}", self.alpha));
        }
        if !(self.srm_threshold > 0.0 && self.srm_threshold < 1.0) {
            return fail(format!(
                "srm_threshold must be between 0 and 1, got {}",
                self.srm_threshold
            ));
        }
        if self.window.seconds() < 0 || self.cuped.pre_window.seconds() < 0 {
            return fail("window and cuped.pre_window must not be negative".into());
        }
        if self.bootstrap.resamples > 1_000_000 {
            return fail("bootstrap.resamples must be at most 1000000".into());
        }
        if self.control.is_empty() {
            return fail("control must name a variant".into());
        }
        if let Some(split) = &self.expected_split {
            if split
                .iter()
                .any(|s| !(s.share > 0.0 && s.share.is_finite()))
            {
                return fail("expected_split shares must be positive numbers".into());
            }
        }
        self.check_methods().map_err(PlanError)?;
        self.check_metrics()
    }

    fn check_metrics(&self) -> Result<(), PlanError> {
        if self.metrics.is_empty() {
            return Err(PlanError("metrics must list at least one metric".into()));
        }
        for (i, m) in self.metrics.iter().enumerate() {
            if self.metrics.iter().take(i).any(|o| o.name == m.name) {
                return Err(PlanError(format!("metric name {:?} is used twice", m.name)));
            }
            if let MetricKind::Ratio {
                numerator,
                denominator,
            } = &m.kind
            {
                for part in [numerator, denominator] {
                    let target = self.metrics.iter().find(|o| &o.name == part);
                    match target {
                        None => {
                            return Err(PlanError(format!(
                                "ratio metric {:?} refers to unknown metric {:?}",
                                m.name, part
                            )))
                        }
                        Some(t) if matches!(t.kind, MetricKind::Ratio { .. }) => {
                            return Err(PlanError(format!(
                                "ratio metric {:?} cannot refer to ratio metric {:?}",
                                m.name, part
                            )))
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        Ok(())
    }

    /// The metric with this name.
    pub fn metric(&self, name: &str) -> Option<&MetricSpec> {
        self.metrics.iter().find(|m| m.name == name)
    }
}

/// Header names of the exposures file's columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExposureColumns {
    /// The user (randomisation unit) id; read as a string.
    pub user_id: String,
    /// The assigned variant.
    pub variant: String,
    /// When the user was exposed.
    pub timestamp: String,
    /// Optional bot/test flag column (`1`, `true`, `yes`, `y` mean excluded).
    pub bot_flag: Option<String>,
    /// Optional segment columns (country, device, …), carried per user.
    pub segments: Vec<String>,
}

impl Default for ExposureColumns {
    fn default() -> Self {
        Self {
            user_id: "user_id".into(),
            variant: "variant".into(),
            timestamp: "exposure_ts".into(),
            bot_flag: None,
            segments: Vec::new(),
        }
    }
}

/// Header names of the events file's columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventColumns {
    /// The user id, matched against the exposures' ids.
    pub user_id: String,
    /// The event name (`view`, `purchase`, …).
    pub event: String,
    /// The event's value (revenue); empty cells count as missing and as 0.
    pub amount: String,
    /// When the event happened.
    pub timestamp: String,
    /// Optional bot/test flag column.
    pub bot_flag: Option<String>,
}

impl Default for EventColumns {
    fn default() -> Self {
        Self {
            user_id: "user_id".into(),
            event: "event".into(),
            amount: "amount".into(),
            timestamp: "event_ts".into(),
            bot_flag: None,
        }
    }
}

/// How timestamps are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimestampFormat {
    /// Detect per value: date-times, ISO 8601, plain dates, epoch seconds or milliseconds.
    #[default]
    Auto,
    /// `YYYY-MM-DD HH:MM:SS` or ISO 8601 (`T`, fractions, `Z` or an offset).
    Datetime,
    /// `YYYY-MM-DD` (midnight UTC).
    Date,
    /// Seconds since 1970-01-01 UTC (fractions allowed).
    EpochSeconds,
    /// Milliseconds since 1970-01-01 UTC.
    EpochMillis,
}

/// What to do with a row that cannot be read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnBadRow {
    /// Stop at the first bad row with an error naming file, line and column.
    #[default]
    Stop,
    /// Skip it, count it and list it in the report.
    Skip,
}

/// What to do with users exposed to more than one variant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultiVariantPolicy {
    /// Keep the first exposure (the course's behaviour).
    #[default]
    First,
    /// Exclude such users from the analysis.
    Exclude,
}

/// One variant's expected share of users.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantShare {
    /// Variant name.
    pub variant: String,
    /// Relative share (normalised over all variants listed).
    pub share: f64,
}

/// Bootstrap settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BootstrapPlan {
    /// Number of resamples (0 turns the bootstrap off).
    pub resamples: u32,
    /// Seed of the ChaCha generator.
    pub seed: u64,
}

impl Default for BootstrapPlan {
    fn default() -> Self {
        Self {
            resamples: 5000,
            seed: 7,
        }
    }
}

/// CUPED settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CupedPlan {
    /// Whether to report CUPED-adjusted effects (mean and ratio metrics).
    pub enabled: bool,
    /// Pre-period `[exposure_ts − pre_window, exposure_ts)` for the covariate.
    pub pre_window: Span,
}

impl Default for CupedPlan {
    fn default() -> Self {
        Self {
            enabled: false,
            pre_window: Span::days(7),
        }
    }
}

#[cfg(test)]
mod tests;
