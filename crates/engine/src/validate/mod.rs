//! Stage 6 — validate: sample-ratio mismatch and data-quality checks.

mod diagnostics;
mod srm_report;

pub use diagnostics::{
    BadRow, Check, Diagnostics, EventCounts, ExposureCounts, MAX_LISTED_BAD_ROWS,
};
pub use srm_report::{Srm, SrmArm};

mod srm;

pub use srm::{chi_square, SrmTest};
