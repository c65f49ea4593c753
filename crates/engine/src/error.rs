//! The one error type of an analysis.

use crate::memory::MemoryError;
use crate::plan::PlanError;
use crate::validate::BadRow;

/// Why an analysis could not finish.
#[derive(Clone, Debug, PartialEq)]
pub enum AnalysisError {
    /// The plan is not usable.
    Plan(PlanError),
    /// A row could not be read (under `on_bad_row: "stop"`).
    BadRow(BadRow),
    /// The file's header lacks a column the plan needs.
    MissingColumn {
        /// File name.
        file: String,
        /// The column the plan names.
        column: String,
        /// What the plan field is for.
        role: String,
        /// The headers found.
        found: Vec<String>,
    },
    /// The file has no header line at all.
    EmptyFile {
        /// File name.
        file: String,
    },
    /// Reading failed below the CSV level.
    Io {
        /// File name.
        file: String,
        /// The reader's message.
        message: String,
    },
    /// The data cannot be analysed as planned (no users, no control, …).
    Data(String),
    /// The analysis would need more memory than `limits.max_memory_mb`.
    Memory(MemoryError),
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Plan(e) => write!(f, "{e}"),
            Self::BadRow(row) => write!(f, "{row}"),
            Self::MissingColumn {
                file,
                column,
                role,
                found,
            } => write!(
                f,
                "{file}: no column {column:?} ({role}); the header has: {}",
                found
                    .iter()
                    .map(|h| format!("{h:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::EmptyFile { file } => {
                write!(f, "{file}: the file is empty (expected a header line)")
            }
            Self::Io { file, message } => write!(f, "{file}: could not read: {message}"),
            Self::Data(message) => write!(f, "{message}"),
            Self::Memory(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for AnalysisError {}

impl From<PlanError> for AnalysisError {
    fn from(e: PlanError) -> Self {
        Self::Plan(e)
    }
}
