//! Row counts of every stage: nothing is dropped without being counted here.

use serde::{Deserialize, Serialize};

/// How many bad rows are listed one by one; the rest are only counted.
pub const MAX_LISTED_BAD_ROWS: usize = 100;

/// Data-quality counts from every stage. The counts add up: see [`Diagnostics::checks`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Diagnostics {
    /// What happened to the exposures file's rows.
    pub exposures: ExposureCounts,
    /// What happened to the events file's rows.
    pub events: EventCounts,
    /// Users analysed (one first exposure each, multi-variant exclusions removed).
    pub users_analysed: u64,
    /// Total bad rows in both files (skipped under `on_bad_row: "skip"`).
    pub bad_rows_total: u64,
    /// The first [`MAX_LISTED_BAD_ROWS`] bad rows, in file order (exposures first).
    pub bad_rows: Vec<BadRow>,
    /// Consistency checks over the counts, each with its arithmetic.
    pub checks: Vec<Check>,
}

/// Fate of every exposures row: `rows_read = bad_rows + bot_rows + first_exposures +
/// repeat_exposures + conflicting_exposures`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureCounts {
    /// Data rows read (header excluded).
    pub rows_read: u64,
    /// Rows that could not be read.
    pub bad_rows: u64,
    /// Rows of users flagged as bot/test traffic in any exposure row.
    pub bot_rows: u64,
    /// Bot/test users excluded.
    pub bot_users: u64,
    /// The earliest exposure of each remaining user.
    pub first_exposures: u64,
    /// Later exposures of a user to the same variant (ignored).
    pub repeat_exposures: u64,
    /// Later exposures of a user to another variant (ignored or excluding the user).
    pub conflicting_exposures: u64,
    /// Users exposed to more than one variant.
    pub multi_variant_users: u64,
    /// Of those, users excluded by `multi_variant_policy: "exclude"`.
    pub multi_variant_users_excluded: u64,
}

/// Fate of every events row: `rows_read = bad_rows + bot_rows + bot_user + unknown_user +
/// excluded_user + before_exposure + in_window + after_window`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCounts {
    /// Data rows read (header excluded).
    pub rows_read: u64,
    /// Rows that could not be read.
    pub bad_rows: u64,
    /// Rows flagged as bot/test in the events file.
    pub bot_rows: u64,
    /// Rows of users excluded as bot/test traffic.
    pub bot_user: u64,
    /// Rows of users never exposed.
    pub unknown_user: u64,
    /// Rows of multi-variant users excluded by the plan.
    pub excluded_user: u64,
    /// Rows before the user's first exposure (some feed the CUPED pre-period).
    pub before_exposure: u64,
    /// Of those, rows inside the CUPED pre-period.
    pub in_pre_period: u64,
    /// Rows inside the analysis window: these feed the metrics.
    pub in_window: u64,
    /// Rows after the window.
    pub after_window: u64,
    /// Rows whose amount cell was empty (read as 0).
    pub missing_amount: u64,
}

/// One unreadable row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRow {
    /// File name.
    pub file: String,
    /// 1-based line number where the row starts (the header is line 1).
    pub line: u64,
    /// Column header, when one column is at fault.
    pub column: Option<String>,
    /// What was expected and what was found.
    pub message: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, line {}", self.file, self.line)?;
        if let Some(column) = &self.column {
            write!(f, ", column {column:?}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A consistency check over the counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// What is checked.
    pub name: String,
    /// Whether it holds.
    pub passed: bool,
    /// The arithmetic, e.g. `8 = 0 + 0 + 5 + 0 + 1`.
    pub detail: String,
}

impl Diagnostics {
    /// Recomputes [`Diagnostics::checks`] from the counts.
    pub fn compute_checks(&mut self) {
        let e = &self.exposures;
        let exposure_parts = [
            e.bad_rows,
            e.bot_rows,
            e.first_exposures,
            e.repeat_exposures,
            e.conflicting_exposures,
        ];
        let v = &self.events;
        let event_parts = [
            v.bad_rows,
            v.bot_rows,
            v.bot_user,
            v.unknown_user,
            v.excluded_user,
            v.before_exposure,
            v.in_window,
            v.after_window,
        ];
        let users = e.first_exposures - e.multi_variant_users_excluded.min(e.first_exposures);
        self.checks = vec![
            sum_check(
                "exposure rows = bad + bot + first + repeat + conflicting",
                e.rows_read,
                &exposure_parts,
            ),
            sum_check(
                "event rows = bad + bot + bot user + unknown user + excluded user + before + in window + after",
                v.rows_read,
                &event_parts,
            ),
            sum_check(
                "users analysed = first exposures − excluded multi-variant users",
                self.users_analysed,
                &[users],
            ),
        ];
    }
}

fn sum_check(name: &str, total: u64, parts: &[u64]) -> Check {
    let sum: u64 = parts.iter().sum();
    let terms: Vec<String> = parts.iter().map(u64::to_string).collect();
    Check {
        name: name.into(),
        passed: sum == total,
        detail: format!("{total} = {}", terms.join(" + ")),
    }
}
