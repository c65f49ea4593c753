//! Progress reporting: the pipeline tells an observer which stage it is in.

use serde::{Deserialize, Serialize};

/// A stage of the pipeline, as shown on a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading the exposures file.
    ReadingExposures,
    /// First exposure per user, bots, multi-variant users.
    Cleaning,
    /// Reading events and joining them to exposures inside the window.
    Joining,
    /// Per-user metrics and per-variant aggregates.
    Aggregating,
    /// SRM and consistency checks.
    Validating,
    /// Closed-form tests (Welch, delta method, CUPED).
    Inferring,
    /// Bootstrap resampling.
    Bootstrapping,
    /// Writing the report.
    Reporting,
}

impl Stage {
    /// A short human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::ReadingExposures => "reading exposures",
            Self::Cleaning => "cleaning",
            Self::Joining => "reading and joining events",
            Self::Aggregating => "aggregating",
            Self::Validating => "validating",
            Self::Inferring => "inferring",
            Self::Bootstrapping => "bootstrapping",
            Self::Reporting => "reporting",
        }
    }
}

/// Receives progress: the stage and the fraction of it done (0 to 1).
pub trait Observer {
    /// Called at the start of each stage and periodically within long ones.
    fn stage(&mut self, stage: Stage, fraction: f64);
}

/// An observer that ignores progress.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Observer for NoProgress {
    fn stage(&mut self, _stage: Stage, _fraction: f64) {}
}
