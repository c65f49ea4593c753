//! Per-segment results.

use serde::{Deserialize, Serialize};

use super::{MetricResult, VariantSummary};
use crate::validate::Srm;

/// The analysis restricted to the users of one segment value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentResult {
    /// Segment column (e.g. `country`).
    pub column: String,
    /// Segment value (e.g. `DE`), taken from each user's first exposure.
    pub value: String,
    /// The summary table within the segment.
    pub variants: Vec<VariantSummary>,
    /// SRM within the segment.
    pub srm: Srm,
    /// Comparisons within the segment (primary ones corrected with the family).
    pub metrics: Vec<MetricResult>,
}
