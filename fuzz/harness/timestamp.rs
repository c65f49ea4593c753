//! The `timestamp` fuzz target's checks (shared with the regression tests).
//!
//! `parse_timestamp` under every `TimestampFormat` on arbitrary UTF-8, with
//! properties checked against chrono. Any panic or failed assertion is a finding.
use chrono::{DateTime, NaiveDateTime};
use splitscope_engine::ingest::parse_timestamp;
use splitscope_engine::plan::TimestampFormat;

const FORMATS: [TimestampFormat; 5] = [
    TimestampFormat::Auto,
    TimestampFormat::Datetime,
    TimestampFormat::Date,
    TimestampFormat::EpochSeconds,
    TimestampFormat::EpochMillis,
];

/// The engine refuses epoch values beyond this many milliseconds (about ±year 200000);
/// calendar values have four-digit years, so every accepted value is within it.
const MAX_MILLIS: i64 = 6_300_000_000_000_000;

/// `YYYY-MM-DD HH:MM:SS` exactly: digits and separators at fixed positions.
fn is_plain_datetime(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        })
}

fn check_text(text: &str) {
    let results = FORMATS.map(|f| parse_timestamp(text, f));
    let [auto, datetime, date, seconds, millis] = results;

    for r in results.iter().flatten() {
        assert!(r.abs() <= MAX_MILLIS, "{text:?} gave {r}, out of range");
    }

    // Deterministic, also after another date went through the per-thread cache.
    let _ = parse_timestamp("1999-12-31", TimestampFormat::Date);
    for (f, r) in FORMATS.iter().zip(&results) {
        assert_eq!(parse_timestamp(text, *f), *r, "{text:?} as {f:?} changed");
    }

    // Auto accepts whatever the explicit calendar formats accept, with the same value.
    if let Ok(v) = datetime {
        assert_eq!(auto, Ok(v), "{text:?}: datetime {v} but auto {auto:?}");
    }
    if let Ok(v) = date {
        assert_eq!(auto, Ok(v), "{text:?}: date {v} but auto {auto:?}");
        assert_eq!(
            v.rem_euclid(86_400_000),
            0,
            "{text:?}: a date is not midnight"
        );
    }

    // Integers in epoch units are exact.
    if let Ok(n) = text.trim().parse::<i64>() {
        if n.abs() <= MAX_MILLIS {
            assert_eq!(millis, Ok(n), "{text:?} as epoch millis");
        }
        if n.abs() <= MAX_MILLIS / 1000 {
            assert_eq!(seconds, Ok(n * 1000), "{text:?} as epoch seconds");
        }
    }

    // Round trip: a parsed value re-formatted by chrono parses to the same value.
    for v in [datetime, date].into_iter().flatten() {
        let Some(dt) = DateTime::from_timestamp_millis(v) else {
            panic!("{text:?} gave {v}, which chrono cannot represent");
        };
        let year = dt.format("%Y").to_string();
        if year.len() != 4 || year.starts_with(['-', '+']) {
            continue; // the offset moved it out of 0000..=9999: not writable as YYYY
        }
        let full = dt.format("%Y-%m-%d %H:%M:%S%.3f").to_string();
        assert_eq!(
            parse_timestamp(&full, TimestampFormat::Datetime),
            Ok(v),
            "{full:?}"
        );
        let iso = dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
        assert_eq!(
            parse_timestamp(&iso, TimestampFormat::Auto),
            Ok(v),
            "{iso:?}"
        );
        if v.rem_euclid(86_400_000) == 0 {
            let day = dt.format("%Y-%m-%d").to_string();
            assert_eq!(
                parse_timestamp(&day, TimestampFormat::Date),
                Ok(v),
                "{day:?}"
            );
        }
    }

    // The course's `YYYY-MM-DD HH:MM:SS` agrees with chrono both ways (leap seconds
    // aside: the engine folds :60 into the next second, chrono keeps it apart).
    if is_plain_datetime(text) && !text.ends_with(":60") {
        let chrono = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
            .ok()
            .map(|t| t.and_utc().timestamp_millis());
        assert_eq!(datetime.ok(), chrono, "{text:?}: engine vs chrono");
    }
}

/// Runs one fuzz input; panics on a finding.
pub fn check(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        check_text(text);
    }
}
