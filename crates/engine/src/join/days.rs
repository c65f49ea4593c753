//! Per-user values by day since exposure, for the lift-over-time analysis.
//!
//! Offset `k` is the UTC calendar day of the event minus that of the exposure, so
//! `exposure_day + k` is the event's calendar day. Conversion days are bits of one
//! `u64` per user; the sum metric keeps `days` values per user.

/// Milliseconds in a day.
pub(crate) const DAY_MS: i64 = 86_400_000;

/// Day-offset values of the timeline metrics, filled during the join.
#[derive(Clone, Debug, Default)]
pub struct DayOffsets {
    /// Number of offsets tracked (`0..days`).
    pub days: usize,
    /// Bit `k` set when the user had a conversion event on offset `k`.
    pub conversion_bits: Vec<u64>,
    /// `days` values per user: the sum metric's amount on each offset.
    pub sums: Vec<f64>,
    /// Last UTC day (days since 1970) with an in-window event or an exposure.
    pub last_day: i64,
}

impl DayOffsets {
    /// Tracker for `users` users, a window of `window_ms`, at most `max_days` offsets
    /// (and at most 64, the bits of a `u64`).
    pub fn new(users: usize, window_ms: i64, max_days: usize, conversion: bool, sum: bool) -> Self {
        let days = Self::tracked(window_ms, max_days);
        Self {
            days,
            conversion_bits: if conversion {
                vec![0; users]
            } else {
                Vec::new()
            },
            sums: if sum {
                vec![0.0; users * days]
            } else {
                Vec::new()
            },
            last_day: i64::MIN,
        }
    }

    /// Number of offsets tracked for a window of `window_ms` and at most `max_days`.
    pub fn tracked(window_ms: i64, max_days: usize) -> usize {
        let window_days = usize::try_from(window_ms / DAY_MS).unwrap_or(0);
        (window_days + 2).min(max_days).clamp(1, 64)
    }

    /// The offset of an event at `ts` for a user exposed at `exposed_at`, if tracked.
    pub fn offset(&mut self, exposed_at: i64, ts: i64) -> Option<usize> {
        let day = ts.div_euclid(DAY_MS);
        self.last_day = self.last_day.max(day);
        let k = usize::try_from(day - exposed_at.div_euclid(DAY_MS)).ok()?;
        (k < self.days).then_some(k)
    }

    /// Marks a conversion of `user` on offset `k`.
    pub fn convert(&mut self, user: usize, k: usize) {
        if let Some(bits) = self.conversion_bits.get_mut(user) {
            *bits |= 1 << k;
        }
    }

    /// Adds `amount` to `user`'s sum on offset `k`.
    pub fn add(&mut self, user: usize, k: usize, amount: f64) {
        if let Some(cell) = self.sums.get_mut(user * self.days + k) {
            *cell += amount;
        }
    }
}
