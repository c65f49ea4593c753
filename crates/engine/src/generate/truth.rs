//! What [`generate`](super::generate) returns and how it fails: the per-arm
//! expectations, the exact row counts and [`GenerateError`].

use std::fmt;
use std::io;

use serde::Serialize;

/// The true expectations of one arm.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantTruth {
    /// Variant name.
    pub name: String,
    /// Expected share of users.
    pub share: f64,
    /// Probability that a user converts in the window.
    pub conversion_rate: f64,
    /// Expected revenue per user in the window.
    pub revenue_per_user: f64,
    /// Expected error events per user in the window.
    pub errors_per_user: f64,
    /// Relative lift of the conversion rate over the control.
    pub conversion_lift: f64,
    /// Relative lift of revenue per user over the control.
    pub revenue_lift: f64,
    /// Relative lift of errors per user over the control.
    pub error_lift: f64,
}

/// Exact counts of what was written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Users exposed (humans and bots).
    pub users: u64,
    /// Human users per arm, in [`GeneratorConfig::variants`](super::GeneratorConfig::variants) order (by first exposure).
    pub users_per_variant: Vec<u64>,
    /// Bot users (all their events are in the window).
    pub bot_users: u64,
    /// Data rows of the exposures file.
    pub exposure_rows: u64,
    /// Second exposures to the same variant.
    pub repeat_exposures: u64,
    /// Users with a second exposure to another variant.
    pub multi_variant_users: u64,
    /// Data rows of the events file.
    pub event_rows: u64,
    /// Event rows of bot users.
    pub bot_events: u64,
    /// Event rows of users never exposed.
    pub unknown_user_events: u64,
    /// Human event rows before exposure (all inside the pre-period).
    pub pre_period_events: u64,
    /// Human event rows inside the analysis window (inclusive bounds).
    pub in_window_events: u64,
    /// Human event rows after the window.
    pub after_window_events: u64,
    /// Bytes written to the exposures writer.
    pub exposure_bytes: u64,
    /// Bytes written to the events writer.
    pub event_bytes: u64,
}

/// What [`generate`](super::generate) returns: the expectations and the counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Truth {
    /// Per-arm expectations, control first.
    pub variants: Vec<VariantTruth>,
    /// Rows written, by kind.
    pub counts: Counts,
}

/// Why data could not be generated.
#[derive(Debug)]
pub enum GenerateError {
    /// The configuration is inconsistent; the message says which field.
    Config(String),
    /// A writer failed.
    Io(io::Error),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config(msg) => write!(f, "invalid generator settings: {msg}"),
            Self::Io(e) => write!(f, "cannot write generated data: {e}"),
        }
    }
}

impl std::error::Error for GenerateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(e) => Some(e),
            Self::Config(_) => None,
        }
    }
}

impl From<io::Error> for GenerateError {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}
