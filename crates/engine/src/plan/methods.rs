//! Plan sections for the methods beyond the course: sequential and Bayesian
//! read-outs, and limits.

use serde::{Deserialize, Serialize};

use super::Plan;
use crate::infer::Prior;

/// Always-valid confidence sequences.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SequentialPlan {
    /// Whether to report them.
    pub enabled: bool,
    /// Total users at which the boundary is tightest (the planned sample size;
    /// 5000 by default, as GrowthBook).
    pub tuning_n: f64,
}

impl Default for SequentialPlan {
    fn default() -> Self {
        Self {
            enabled: false,
            tuning_n: 5_000.0,
        }
    }
}

/// Bayesian Gaussian approximation on the relative lift.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BayesianPlan {
    /// Whether to report it.
    pub enabled: bool,
    /// Prior on the relative lift (weak by default: mean 0, sd 0.3).
    pub prior: Prior,
}

impl Default for BayesianPlan {
    fn default() -> Self {
        Self {
            enabled: false,
            prior: Prior { mean: 0.0, sd: 0.3 },
        }
    }
}

/// Caps on what a file may contain before the analysis refuses it with a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Most distinct variants analysed.
    pub max_variants: usize,
    /// Most distinct values of one segment column.
    pub max_segment_values: usize,
    /// Most days since exposure tracked for the lift-over-time charts.
    pub max_timeline_days: usize,
    /// Memory the analysis may hold, in MB (1 MB = 2^20 bytes): the engine counts its
    /// large allocations as it goes and stops with a message before going beyond it
    /// (see [`crate::memory`]).
    pub max_memory_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_variants: 100,
            max_segment_values: 200,
            max_timeline_days: 60,
            max_memory_mb: 2048,
        }
    }
}

impl Plan {
    pub(super) fn check_methods(&self) -> Result<(), String> {
        if !(self.sequential.tuning_n >= 1.0 && self.sequential.tuning_n.is_finite()) {
            return Err("sequential.tuning_n must be a number of users, at least 1".into());
        }
        let prior = &self.bayesian.prior;
        if !prior.mean.is_finite() || prior.sd.is_nan() || prior.sd <= 0.0 {
            return Err("bayesian.prior needs a finite mean and a positive sd".into());
        }
        if self.limits.max_variants < 2 || self.limits.max_segment_values < 1 {
            return Err(
                "limits.max_variants must be at least 2 and max_segment_values at least 1".into(),
            );
        }
        if self.limits.max_memory_mb < 1 {
            return Err("limits.max_memory_mb must be at least 1".into());
        }
        for m in &self.metrics {
            if let Some(c) = &m.capping {
                c.check().map_err(|e| format!("metric {:?}: {e}", m.name))?;
            }
        }
        Ok(())
    }
}
