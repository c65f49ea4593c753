//! File previews and column mapping suggested from header names (for the app's
//! mapping dropdowns and for friendlier errors).

use std::io::Read;

use crate::error::AnalysisError;
use crate::plan::{EventColumns, ExposureColumns};

/// The first rows of a file, as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Preview {
    /// Header cells.
    pub headers: Vec<String>,
    /// Up to `max_rows` data rows (invalid UTF-8 shown with replacement characters).
    pub rows: Vec<Vec<String>>,
}

/// Reads the header and the first `max_rows` rows of a CSV.
///
/// ```
/// use splitscope_engine::ingest::preview;
/// let p = preview("events.csv", "a,b\n1,2\n3,4\n".as_bytes(), 1).unwrap();
/// assert_eq!(p.headers, ["a", "b"]);
/// assert_eq!(p.rows, [["1", "2"]]);
/// ```
pub fn preview<R: Read>(file: &str, reader: R, max_rows: usize) -> Result<Preview, AnalysisError> {
    let mut csv = super::table::csv_builder().from_reader(reader);
    let mut records = csv.byte_records();
    let cells = |r: csv::ByteRecord| -> Vec<String> {
        r.iter()
            .map(|c| String::from_utf8_lossy(c.strip_suffix(b"\r").unwrap_or(c)).into_owned())
            .collect()
    };
    let io = |e: csv::Error| AnalysisError::Io {
        file: file.into(),
        message: e.to_string(),
    };
    let mut headers = match records.next() {
        None => return Err(AnalysisError::EmptyFile { file: file.into() }),
        Some(r) => cells(r.map_err(io)?),
    };
    if let Some(first) = headers.first_mut() {
        *first = first.trim_start_matches('\u{feff}').to_string();
    }
    headers.iter_mut().for_each(|h| *h = h.trim().to_string());
    let rows = records
        .take(max_rows)
        .map(|r| r.map(cells).map_err(io))
        .collect::<Result<_, _>>()?;
    Ok(Preview { headers, rows })
}

const USER: &[&str] = &[
    "user_id",
    "userid",
    "user",
    "uid",
    "visitor_id",
    "customer_id",
    "unit_id",
    "id",
];
const VARIANT: &[&str] = &[
    "variant",
    "group",
    "arm",
    "treatment",
    "bucket",
    "experiment_group",
    "cohort",
];
const EXPOSURE_TS: &[&str] = &[
    "exposure_ts",
    "exposed_at",
    "exposure_time",
    "assigned_at",
    "timestamp",
    "ts",
    "time",
    "date",
];
const EVENT: &[&str] = &[
    "event",
    "event_name",
    "event_type",
    "action",
    "name",
    "type",
];
const AMOUNT: &[&str] = &["amount", "value", "revenue", "price", "total"];
const EVENT_TS: &[&str] = &[
    "event_ts",
    "event_time",
    "occurred_at",
    "created_at",
    "timestamp",
    "ts",
    "time",
    "date",
];
const BOT: &[&str] = &["is_bot", "bot", "is_test", "test", "is_internal"];

fn pick(headers: &[String], candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .find_map(|c| headers.iter().find(|h| h.eq_ignore_ascii_case(c)).cloned())
}

/// Suggests the plan's column names from the headers found; unmatched roles keep
/// their defaults so the error still names what is missing.
///
/// ```
/// use splitscope_engine::ingest::suggest_mapping;
/// let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
/// let (exp, evt) = suggest_mapping(&h(&["uid", "Group", "ts", "is_bot"]), &h(&["uid", "action", "value", "ts"]));
/// assert_eq!(exp.variant, "Group");
/// assert_eq!(exp.bot_flag.as_deref(), Some("is_bot"));
/// assert_eq!(evt.amount, "value");
/// ```
pub fn suggest_mapping(
    exposure_headers: &[String],
    event_headers: &[String],
) -> (ExposureColumns, EventColumns) {
    let d_exp = ExposureColumns::default();
    let d_evt = EventColumns::default();
    let exposures = ExposureColumns {
        user_id: pick(exposure_headers, USER).unwrap_or(d_exp.user_id),
        variant: pick(exposure_headers, VARIANT).unwrap_or(d_exp.variant),
        timestamp: pick(exposure_headers, EXPOSURE_TS).unwrap_or(d_exp.timestamp),
        bot_flag: pick(exposure_headers, BOT),
        segments: Vec::new(),
    };
    let events = EventColumns {
        user_id: pick(event_headers, USER).unwrap_or(d_evt.user_id),
        event: pick(event_headers, EVENT).unwrap_or(d_evt.event),
        amount: pick(event_headers, AMOUNT).unwrap_or(d_evt.amount),
        timestamp: pick(event_headers, EVENT_TS).unwrap_or(d_evt.timestamp),
        bot_flag: pick(event_headers, BOT),
    };
    (exposures, events)
}
