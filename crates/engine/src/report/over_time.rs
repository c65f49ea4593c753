//! Relative lift over time, for novelty/primacy and stability checks.

use serde::{Deserialize, Serialize};

/// What the points of a series are indexed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeAxis {
    /// Calendar day; each point uses users exposed by that day and their events up to it.
    CumulativeByDate,
    /// Calendar day; each point uses users exposed by that day and their events on it.
    DailyByDate,
    /// Days since each user's exposure day (0 = the exposure's own UTC day), among
    /// users observed that long.
    DaysSinceExposure,
}

/// One metric's lift over time for one variant against the control.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiftOverTime {
    /// Metric name.
    pub metric: String,
    /// Variant compared with the control.
    pub variant: String,
    /// The axis.
    pub axis: TimeAxis,
    /// One point per day.
    pub points: Vec<LiftPoint>,
}

/// Welch relative lift at one point in time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiftPoint {
    /// `YYYY-MM-DD` for dates, the day number for days since exposure.
    pub label: String,
    /// Users in the comparison (both arms).
    pub users: u64,
    /// Relative lift (`null` when undefined).
    pub lift: Option<f64>,
    /// Its `1 − alpha` interval (`null` when undefined).
    pub ci: Option<[f64; 2]>,
}
