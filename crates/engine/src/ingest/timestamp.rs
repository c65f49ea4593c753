//! Timestamps to UTC milliseconds since 1970: date-times, ISO 8601, plain dates and
//! epoch seconds or milliseconds. Times without a zone are read as UTC.

use chrono::NaiveDate;

use crate::plan::TimestampFormat;

/// Epoch numbers at or above this magnitude are milliseconds (year 5138 in seconds).
const MILLIS_THRESHOLD: f64 = 1e11;

/// Parses one timestamp cell; the error says what was expected.
///
/// ```
/// use splitscope_engine::ingest::parse_timestamp;
/// use splitscope_engine::plan::TimestampFormat::Auto;
/// let a = parse_timestamp("2023-01-01 10:00:00", Auto).unwrap();
/// assert_eq!(parse_timestamp("2023-01-01T12:00:00+02:00", Auto), Ok(a));
/// assert_eq!(parse_timestamp("2023-01-01T10:00:00.000Z", Auto), Ok(a));
/// assert_eq!(parse_timestamp("1672567200", Auto), Ok(a));
/// assert_eq!(parse_timestamp("1672567200000", Auto), Ok(a));
/// assert!(parse_timestamp("2023-02-30", Auto).is_err());
/// ```
pub fn parse_timestamp(text: &str, format: TimestampFormat) -> Result<i64, &'static str> {
    let text = text.trim();
    match format {
        TimestampFormat::Auto => {
            if looks_numeric(text) {
                parse_epoch(text, None)
            } else {
                parse_calendar(text, true, true)
            }
        }
        TimestampFormat::Datetime => parse_calendar(text, false, true),
        TimestampFormat::Date => parse_calendar(text, true, false),
        TimestampFormat::EpochSeconds => parse_epoch(text, Some(1000.0)),
        TimestampFormat::EpochMillis => parse_epoch(text, Some(1.0)),
    }
}

/// What a timestamp cell should look like, for error messages.
pub fn expected_timestamp(format: TimestampFormat) -> &'static str {
    match format {
        TimestampFormat::Auto => {
            "a timestamp (YYYY-MM-DD HH:MM:SS, ISO 8601, YYYY-MM-DD or epoch seconds/milliseconds)"
        }
        TimestampFormat::Datetime => "a date-time (YYYY-MM-DD HH:MM:SS or ISO 8601)",
        TimestampFormat::Date => "a date (YYYY-MM-DD)",
        TimestampFormat::EpochSeconds => "epoch seconds",
        TimestampFormat::EpochMillis => "epoch milliseconds",
    }
}

fn looks_numeric(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

fn parse_epoch(text: &str, scale_to_millis: Option<f64>) -> Result<i64, &'static str> {
    const WHY: &str = "epoch seconds or milliseconds";
    let value: f64 = text.parse().map_err(|_| WHY)?;
    if !value.is_finite() {
        return Err(WHY);
    }
    let scale = scale_to_millis.unwrap_or(if value.abs() >= MILLIS_THRESHOLD {
        1.0
    } else {
        1000.0
    });
    let millis = (value * scale).round();
    // Beyond ±year 200000 the value cannot be a real event time.
    if millis.abs() > 6.3e15 {
        return Err(WHY);
    }
    Ok(millis as i64)
}

/// `YYYY-MM-DD`, then optionally `[T ]HH:MM[:SS[.fff]]` and `Z`/`±HH[:MM]`.
fn parse_calendar(text: &str, allow_date: bool, allow_time: bool) -> Result<i64, &'static str> {
    const WHY: &str = "YYYY-MM-DD with an optional HH:MM:SS time and zone";
    let b = text.as_bytes();
    let date = parse_date(b).ok_or(WHY)?;
    let day_millis = days_since_epoch(date).ok_or(WHY)? * 86_400_000;
    let rest = b.get(10..).unwrap_or_default();
    if rest.is_empty() {
        return if allow_date { Ok(day_millis) } else { Err(WHY) };
    }
    if !allow_time || !matches!(rest.first(), Some(b'T' | b't' | b' ')) {
        return Err(WHY);
    }
    let (time_millis, zone) = parse_time(rest.get(1..).unwrap_or_default()).ok_or(WHY)?;
    let offset_millis = parse_zone(zone).ok_or(WHY)?;
    Ok(day_millis + time_millis - offset_millis)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

fn parse_date(b: &[u8]) -> Option<(i32, u32, u32)> {
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let year = digits(b.get(0..4)?)? as i32;
    let month = digits(b.get(5..7)?)?;
    let day = digits(b.get(8..10)?)?;
    Some((year, month, day))
}

fn days_since_epoch((year, month, day): (i32, u32, u32)) -> Option<i64> {
    // Dates repeat row after row; remember the last one (one per thread).
    thread_local! {
        static LAST: std::cell::Cell<(i32, u32, u32, i64)> = const { std::cell::Cell::new((0, 0, 0, 0)) };
    }
    let (y, m, d, days) = LAST.get();
    if (y, m, d) == (year, month, day) && m != 0 {
        return Some(days);
    }
    let days = civil_days(year, month, day)?;
    LAST.set((year, month, day, days));
    Some(days)
}

fn civil_days(year: i32, month: u32, day: u32) -> Option<i64> {
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    Some((date - epoch).num_days())
}

/// `HH:MM[:SS[.fff…]]`, returning the milliseconds into the day and what follows.
fn parse_time(b: &[u8]) -> Option<(i64, &[u8])> {
    let hour = digits(b.get(0..2)?)?;
    if b.get(2) != Some(&b':') {
        return None;
    }
    let minute = digits(b.get(3..5)?)?;
    let mut rest = b.get(5..)?;
    let mut second = 0;
    let mut millis = 0;
    if rest.first() == Some(&b':') {
        second = digits(rest.get(1..3)?)?;
        rest = rest.get(3..)?;
        if matches!(rest.first(), Some(b'.' | b',')) {
            let frac_len = rest
                .iter()
                .skip(1)
                .take_while(|c| c.is_ascii_digit())
                .count();
            let frac = rest.get(1..1 + frac_len)?;
            let first_three: Vec<u8> = frac.iter().copied().chain(*b"000").take(3).collect();
            millis = digits(&first_three)?;
            rest = rest.get(1 + frac_len..)?;
        }
    }
    // 24:00:00 is not accepted; a leap second 60 is folded into the next second.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let total = ((i64::from(hour) * 60 + i64::from(minute)) * 60 + i64::from(second)) * 1000
        + i64::from(millis);
    Some((total, rest))
}

/// `""`, `Z`, `+HH`, `+HHMM` or `+HH:MM` (also ` UTC`), as milliseconds east of UTC.
fn parse_zone(b: &[u8]) -> Option<i64> {
    let b = b.strip_prefix(b" ").unwrap_or(b);
    match b {
        [] | b"Z" | b"z" | b"UTC" | b"GMT" => return Some(0),
        _ => {}
    }
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = b.get(1..)?;
    let (hours, minutes) = match body.len() {
        2 => (digits(body)?, 0),
        4 => (digits(body.get(0..2)?)?, digits(body.get(2..4)?)?),
        5 if body.get(2) == Some(&b':') => (digits(body.get(0..2)?)?, digits(body.get(3..5)?)?),
        _ => return None,
    };
    if hours > 18 || minutes > 59 {
        return None;
    }
    Some(sign * (i64::from(hours) * 60 + i64::from(minutes)) * 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use TimestampFormat::*;

    const BASE: i64 = 1_672_567_200_000; // 2023-01-01 10:00:00 UTC

    #[test]
    fn reads_every_documented_shape() {
        for text in [
            "2023-01-01 10:00:00",
            "2023-01-01T10:00:00",
            "2023-01-01T10:00",
            "2023-01-01T10:00:00Z",
            "2023-01-01T10:00:00.000Z",
            "2023-01-01T11:00:00+01:00",
            "2023-01-01T11:00:00+0100",
            "2023-01-01T05:00:00-05",
            "2023-01-01 10:00:00 UTC",
            " 2023-01-01 10:00:00 ",
            "1672567200",
            "1672567200.0",
            "1672567200000",
        ] {
            assert_eq!(parse_timestamp(text, Auto), Ok(BASE), "{text}");
        }
    }

    #[test]
    fn keeps_fractions_to_the_millisecond() {
        assert_eq!(
            parse_timestamp("2023-01-01 10:00:00.25", Auto),
            Ok(BASE + 250)
        );
        assert_eq!(
            parse_timestamp("2023-01-01 10:00:00.123456", Auto),
            Ok(BASE + 123)
        );
    }

    #[test]
    fn plain_dates_are_midnight() {
        assert_eq!(
            parse_timestamp("2023-01-01", Auto),
            Ok(BASE - 10 * 3_600_000)
        );
        assert_eq!(parse_timestamp("1970-01-01", Date), Ok(0));
        assert!(parse_timestamp("1970-01-01 00:00:00", Date).is_err());
        assert!(parse_timestamp("1970-01-01", Datetime).is_err());
    }

    #[test]
    fn explicit_epoch_units() {
        assert_eq!(parse_timestamp("1672567200", EpochSeconds), Ok(BASE));
        assert_eq!(parse_timestamp("1672567200000", EpochMillis), Ok(BASE));
        assert_eq!(parse_timestamp("-1", EpochSeconds), Ok(-1000));
    }

    #[test]
    fn rejects_impossible_values() {
        for text in [
            "",
            "yesterday",
            "2023-13-01",
            "2023-02-29",
            "2023-01-01 25:00:00",
            "2023-01-01 10:61:00",
            "2023-01-01X10:00:00",
            "2023-01-01 10:00:00+25:00",
            "2023-1-1",
            "NaN",
            "1e400",
            "١٢٣",
        ] {
            assert!(parse_timestamp(text, Auto).is_err(), "{text:?} should fail");
        }
    }
}
