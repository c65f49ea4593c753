//! CSV text without allocation or formatting machinery: integers, cents and
//! `YYYY-MM-DD HH:MM:SS` timestamps pushed onto a byte buffer, and a writer that
//! counts the bytes it passes on.

use std::io::{self, Write};

use super::DAY;

/// A writer that counts the bytes passed through.
pub(super) struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Counting<W> {
    pub(super) fn new(inner: W) -> Self {
        Self { inner, bytes: 0 }
    }

    /// Writes all of `buf`.
    pub(super) fn put(&mut self, buf: &[u8]) -> io::Result<()> {
        self.bytes += buf.len() as u64;
        self.inner.write_all(buf)
    }

    /// Flushes the writer and returns the bytes written.
    pub(super) fn finish(&mut self) -> io::Result<u64> {
        self.inner.flush()?;
        Ok(self.bytes)
    }
}

/// Writes timestamps, remembering the date of the last one (rows come in time
/// order, so most share it).
pub(super) struct Timestamps {
    day: i64,
    date: [u8; 10],
}

impl Timestamps {
    pub(super) fn new() -> Self {
        Self {
            day: i64::MIN,
            date: [0; 10],
        }
    }

    /// Pushes `YYYY-MM-DD HH:MM:SS` (UTC) of `ts`, seconds since 1970-01-01.
    pub(super) fn push(&mut self, out: &mut Vec<u8>, ts: i64) {
        let day = ts.div_euclid(DAY);
        let secs = ts.rem_euclid(DAY);
        if self.day != day {
            self.day = day;
            self.date = civil_date(day);
        }
        out.extend_from_slice(&self.date);
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        out.extend_from_slice(&[
            b' ',
            b'0' + (h / 10) as u8,
            b'0' + (h % 10) as u8,
            b':',
            b'0' + (m / 10) as u8,
            b'0' + (m % 10) as u8,
            b':',
            b'0' + (s / 10) as u8,
            b'0' + (s % 10) as u8,
        ]);
    }
}

/// `YYYY-MM-DD` of a day number since 1970-01-01 (proleptic Gregorian; H. Hinnant's
/// `civil_from_days`). Years outside 0..=9999 are clamped.
pub(crate) fn civil_date(days: i64) -> [u8; 10] {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = (yoe + era * 400 + i64::from(m <= 2)).clamp(0, 9999);
    let digit = |x: i64| b'0' + x as u8;
    [
        digit(y / 1000),
        digit(y / 100 % 10),
        digit(y / 10 % 10),
        digit(y % 10),
        b'-',
        digit(m / 10),
        digit(m % 10),
        b'-',
        digit(d / 10),
        digit(d % 10),
    ]
}

/// Pushes the decimal digits of `n`.
pub(super) fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    // u64::MAX has 20 digits; they are produced last first.
    let mut digits = [0u8; 20];
    let mut len = 0;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = digits.len() - len;
    out.extend_from_slice(digits.get(start..).unwrap_or_default());
}

/// `0` for zero, else `units.cc`.
pub(super) fn push_cents(out: &mut Vec<u8>, cents: u64) {
    if cents == 0 {
        out.push(b'0');
        return;
    }
    push_u64(out, cents / 100);
    let c = cents % 100;
    out.extend_from_slice(&[b'.', b'0' + (c / 10) as u8, b'0' + (c % 10) as u8]);
}
