//! Stage 2 — ingest: exposures and events CSVs, mapped by header name through the
//! plan, read in one streaming pass into compact columns.
//!
//! Any column order, any header names (via the plan), UTF-8 BOM, CRLF, quoted
//! fields and blank trailing lines are accepted. Every unreadable row is an error
//! naming file, line and column, or — under `on_bad_row: "skip"` — counted and listed.

mod blocks;
mod events;
mod exposures;
mod interner;
mod mapping;
mod source;
mod table;
mod timestamp;

pub use events::{read_events, EventRow};
pub use exposures::{read_exposures, ExposureRow, ExposureRows, SegmentColumn};
pub use interner::Interner;
pub use mapping::{preview, suggest_mapping, Preview};
pub use source::Input;
pub use table::BadRowLog;
pub use timestamp::{expected_timestamp, parse_timestamp};

/// Reads a bot/test flag cell: `1/true/yes/y/t` → true, `0/false/no/n/f/empty` → false.
///
/// ```
/// use splitscope_engine::ingest::parse_bot_flag;
/// assert_eq!(parse_bot_flag(" TRUE "), Some(true));
/// assert_eq!(parse_bot_flag(""), Some(false));
/// assert_eq!(parse_bot_flag("maybe"), None);
/// ```
pub fn parse_bot_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "y" | "t" => Some(true),
        "0" | "false" | "no" | "n" | "f" | "" => Some(false),
        _ => None,
    }
}
