//! The memory budget, `limits.max_memory_mb`: the analysis counts its large
//! allocations as it goes and stops with a message before it would hold more.
//!
//! Events are streamed, so what grows with the data is what is kept per exposure row
//! and per user: the exposure rows and interned ids while the exposures are read,
//! the per-user metric vectors (and their copies grouped by arm), and the
//! lift-over-time grid. Each is counted by a fixed model of its size, checked:
//!
//! 1. before reading, against the exposures file's size when it is known
//!    ([`check_file_size`]);
//! 2. every [`CHECK_EVERY`] exposure rows, against the rows and ids held so far,
//!    including the buffer a growing vector or hash table would allocate before the
//!    next check (old and new buffers coexist while it grows);
//! 3. before cleaning allocates what it learns per user;
//! 4. after cleaning, before the per-user metric vectors are allocated (so before
//!    the events are read);
//! 5. before the lift-over-time grid.
//!
//! The model uses the sizes of a 64-bit target (a `Box<str>` is 16 bytes) on every
//! target, so the CLI and the browser (wasm32, where pointers are half as wide)
//! refuse the same inputs with the same message; on wasm32 it overestimates a little.
//! It does not count the allocator's own overhead, the report, or the fixed cost of
//! a run (code, the events reader's blocks: tens of MB natively, with a block per
//! thread), so the budget should leave some room (`docs/plan.md` has figures).

use std::fmt;

use crate::error::AnalysisError;
use crate::plan::Plan;

/// One megabyte as the plan counts it: 2^20 bytes.
pub const MB: u64 = 1 << 20;

/// Bytes of an exposure row as held ([`crate::ingest::ExposureRow`]).
pub const EXPOSURE_ROW_BYTES: u64 = 24;

/// The longest average exposure row (in the file) [`check_file_size`] assumes:
/// three short columns and a few segments take well under 100 bytes.
pub const MAX_ASSUMED_ROW_BYTES: u64 = 256;

/// Why the analysis stopped: it would need more memory than the plan allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryError {
    /// The file being read, or the last one read.
    pub file: String,
    /// The line of `file` reached, when the check happened while reading it.
    pub line: Option<u64>,
    /// How far the analysis got, when not at a line: `"not read"`, `"all 12 rows read"`.
    pub progress: String,
    /// What would need the memory.
    pub what: String,
    /// The memory it would need, in MB (rounded up).
    pub needed_mb: u64,
    /// The plan's `limits.max_memory_mb`.
    pub budget_mb: u64,
}

impl fmt::Display for MemoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}, line {line}", self.file)?,
            None => write!(f, "{} ({})", self.file, self.progress)?,
        }
        write!(
            f,
            ": {} would need about {} MB of memory, more than limits.max_memory_mb = {}. \
             Raise limits.max_memory_mb in the plan, or aggregate in your warehouse instead: \
             `splitscope sql` writes the query for a summary CSV that `splitscope stats \
             --summary` (or the app's summary upload) analyses.",
            self.what, self.needed_mb, self.budget_mb
        )
    }
}

/// The plan's memory budget in bytes.
pub(crate) fn budget_bytes(plan: &Plan) -> u64 {
    plan.limits.max_memory_mb.saturating_mul(MB)
}

/// Megabytes, rounded up.
fn mb(bytes: u64) -> u64 {
    bytes.div_ceil(MB)
}

/// `Ok` when `bytes` fit the plan's budget, else the error `at` describes: `(file,
/// line, progress, what)`.
pub(crate) fn check(
    plan: &Plan,
    bytes: u64,
    at: impl FnOnce() -> (String, Option<u64>, String, String),
) -> Result<(), AnalysisError> {
    if bytes <= budget_bytes(plan) {
        return Ok(());
    }
    let (file, line, progress, what) = at();
    Err(AnalysisError::Memory(MemoryError {
        file,
        line,
        progress,
        what,
        needed_mb: mb(bytes),
        budget_mb: plan.limits.max_memory_mb,
    }))
}

/// Refuses an exposures file that clearly cannot fit, before reading a byte of it:
/// every row is held ([`EXPOSURE_ROW_BYTES`] each), and a file of `size` bytes has
/// at least one row per [`MAX_ASSUMED_ROW_BYTES`] unless its rows are unusually long.
///
/// ```
/// use splitscope_engine::{memory::check_file_size, plan::Plan};
/// let mut plan = Plan::default();
/// plan.limits.max_memory_mb = 1;
/// assert!(check_file_size("e.csv", 10 << 20, &plan).is_ok());
/// let e = check_file_size("e.csv", 12 << 20, &plan).unwrap_err();
/// assert!(e.to_string().starts_with("e.csv (12 MB, not read): its rows (at least one"));
/// ```
pub fn check_file_size(file: &str, size: u64, plan: &Plan) -> Result<(), AnalysisError> {
    let bytes = (size / MAX_ASSUMED_ROW_BYTES).saturating_mul(EXPOSURE_ROW_BYTES);
    check(plan, bytes, || {
        (
            file.to_string(),
            None,
            format!("{} MB, not read", mb(size)),
            format!(
                "its rows (at least one per {MAX_ASSUMED_ROW_BYTES} bytes of the file, \
                 {EXPOSURE_ROW_BYTES} bytes each)"
            ),
        )
    })
}

/// Rows between two checks while the exposures are read: each check counts the
/// buffers that would grow within the next this many rows, so none grows unchecked.
pub const CHECK_EVERY: u64 = 64;

/// Bytes of a growable buffer of `len` items in `cap` slots of `size` bytes each,
/// plus the buffer it allocates if `ahead` more items do not fit (twice as large,
/// alive together with the old one while the items move).
pub(crate) fn growing(len: usize, cap: usize, size: u64, ahead: usize) -> u64 {
    let cap = cap as u64;
    let held = cap.saturating_mul(size);
    if (len.saturating_add(ahead)) as u64 > cap {
        held.saturating_add(cap.max(4).saturating_mul(2).saturating_mul(size))
    } else {
        held
    }
}

/// Bytes held by the cleaned users: ids, states and segment values.
pub(crate) fn assignments_bytes(a: &crate::clean::Assignments) -> u64 {
    let segments: u64 = a
        .segments
        .iter()
        .map(|s| s.per_user.capacity() as u64 * 4 + s.values.memory_bytes(0))
        .sum();
    a.user_ids.memory_bytes(0) + a.state.capacity() as u64 * 16 + segments
}

/// Bytes per user of what cleaning allocates: what it learns per user (40 bytes),
/// the user's state (16) and one segment value per segment column (4 each).
pub(crate) fn cleaning_bytes_per_user(plan: &Plan) -> u64 {
    56 + 4 * plan.exposures.segments.len() as u64
}

/// Bytes per user of the metric stage at its peak: the per-user metric vectors
/// filled by the join (8 bytes per non-ratio metric, twice with CUPED), the
/// timeline's per-user values (first conversion, conversion days, and the sum
/// metric per day since exposure), the same values grouped by arm for the tests
/// (8 per mean metric, twice with CUPED; 16 per ratio metric; 16 of bookkeeping),
/// and the bootstrap's sorted copy of an arm (16).
pub(crate) fn metrics_bytes_per_user(plan: &Plan, timeline_days: usize) -> u64 {
    use crate::plan::MetricKind;
    let cuped = if plan.cuped.enabled { 2 } else { 1 };
    let (mut base, mut grouped, mut conversion, mut sum) = (0u64, 16u64, false, false);
    for m in &plan.metrics {
        match m.kind {
            MetricKind::Ratio { .. } => grouped += 16,
            MetricKind::Conversion { .. } => {
                (base, grouped, conversion) = (base + 8 * cuped, grouped + 8 * cuped, true)
            }
            MetricKind::Sum { .. } => {
                (base, grouped, sum) = (base + 8 * cuped, grouped + 8 * cuped, true)
            }
            MetricKind::Count { .. } => (base, grouped) = (base + 8 * cuped, grouped + 8 * cuped),
        }
    }
    let conversion_days = if conversion { 16 } else { 0 };
    let sum_days = if sum { 8 * timeline_days as u64 } else { 0 };
    let timeline = conversion_days + sum_days;
    let bootstrap = if plan.bootstrap.resamples > 0 { 16 } else { 0 };
    base + timeline + grouped + bootstrap
}

/// Bytes held by the join's per-user values.
pub(crate) fn joined_bytes(j: &crate::join::Joined) -> u64 {
    let metrics: u64 = j
        .metrics
        .base
        .iter()
        .map(|m| (m.values.capacity() + m.pre.capacity()) as u64 * 8)
        .sum();
    let days = (j.days.conversion_bits.capacity() + j.days.sums.capacity()) as u64 * 8;
    metrics + days + j.first_conversion.capacity() as u64 * 8
}

#[cfg(test)]
mod tests;
