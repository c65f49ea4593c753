//! The events file: what one human user does before, in and after the window
//! (views, orders, errors), the rows of never-exposed users, and the rows
//! themselves, written block by block in time order.

use std::io::{self, Write};

use rand::RngExt;

use super::dist::{pick, poisson, sample_count, standard_normal};
use super::generator::{Generator, ACTIVITY_SIGMA, AFTER_WINDOW_PURCHASE};
use super::text::{push_cents, push_u64, Counting};
use super::DAY;

/// Event kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    View,
    Cart,
    Purchase,
    Error,
}

impl Kind {
    /// The name in the `event` column.
    fn name(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Cart => "add_to_cart",
            Self::Purchase => "purchase",
            Self::Error => "error",
        }
    }
}

/// One pending event row of the current block.
#[derive(Clone, Copy, Debug)]
pub(super) struct Row {
    ts: i64,
    user: u64,
    kind: Kind,
    cents: u64,
}

impl Generator<'_> {
    /// `user_id,event,amount,event_ts`.
    pub(super) fn write_event_header<V: Write>(&mut self, evt: &mut Counting<V>) -> io::Result<()> {
        evt.put(b"user_id,event,amount,event_ts\n")
    }

    /// Writes the block's rows in time order (ties keep the order they were drawn in).
    pub(super) fn write_events<V: Write>(&mut self, evt: &mut Counting<V>) -> io::Result<()> {
        let mut rows = std::mem::take(&mut self.rows);
        rows.sort_by_key(|r| r.ts);
        let res = rows.iter().try_for_each(|r| self.write_event(r, evt));
        self.rows = rows; // keep the allocation
        res
    }

    fn write_event<V: Write>(&mut self, r: &Row, evt: &mut Counting<V>) -> io::Result<()> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        push_u64(&mut line, r.user);
        line.push(b',');
        line.extend_from_slice(r.kind.name().as_bytes());
        line.push(b',');
        push_cents(&mut line, r.cents);
        line.push(b',');
        self.timestamps.push(&mut line, r.ts);
        line.push(b'\n');
        let res = evt.put(&line);
        self.line = line;
        self.counts.event_rows += 1;
        res
    }

    pub(super) fn push_row(&mut self, ts: i64, user: u64, kind: Kind, cents: u64) {
        self.rows.push(Row {
            ts,
            user,
            kind,
            cents,
        });
    }

    /// The events of a human user exposed to `arm` at `ts`: pre-period, window and
    /// after the window.
    pub(super) fn human_events(&mut self, id: u64, arm: usize, ts: i64) {
        let cfg = self.config;
        let z: f64 = standard_normal(&mut self.rng);
        let basket_z: f64 = standard_normal(&mut self.rng);
        let s = cfg.order_value_sigma;
        let basket = libm::exp(s * basket_z - 0.5 * s * s);
        let activity = libm::exp(ACTIVITY_SIGMA * z - 0.5 * ACTIVITY_SIGMA * ACTIVITY_SIGMA);
        let window = i64::from(cfg.window_days) * DAY;
        let pre = i64::from(cfg.pre_days) * DAY;
        let before = self.rows.len();

        // Pre-period: [ts − pre, ts − 1].
        if pre > 0 {
            let e_pre: f64 = standard_normal(&mut self.rng);
            if self.loading * z + self.noise * e_pre < self.pre_threshold {
                self.orders(id, ts - pre, ts - 1, basket, 1.0);
            }
            let n = sample_count(poisson(self.views[0] * activity).as_ref(), &mut self.rng);
            for _ in 0..n {
                let t = self.uniform_offset(ts - pre, ts - 1);
                self.push_row(t, id, Kind::View, 0);
            }
            let n = sample_count(self.pre_errors.as_ref(), &mut self.rng);
            for _ in 0..n {
                let t = self.uniform_offset(ts - pre, ts - 1);
                self.push_row(t, id, Kind::Error, 0);
            }
        }
        let pre_rows = (self.rows.len() - before) as u64;

        // The window: [ts, ts + window], inclusive.
        let (threshold, multiplier, errors) = match self.arms.get(arm) {
            Some(a) => (a.threshold, a.order_multiplier, a.errors),
            None => (f64::NEG_INFINITY, 1.0, None),
        };
        let e_win: f64 = standard_normal(&mut self.rng);
        if self.loading * z + self.noise * e_win < threshold {
            self.orders(id, ts, ts + window, basket, multiplier);
        }
        let n = sample_count(poisson(self.views[1] * activity).as_ref(), &mut self.rng);
        for _ in 0..n {
            let t = self.uniform_offset(ts, ts + window);
            self.push_row(t, id, Kind::View, 0);
        }
        let n = sample_count(errors.as_ref(), &mut self.rng);
        for _ in 0..n {
            let t = self.uniform_offset(ts, ts + window);
            self.push_row(t, id, Kind::Error, 0);
        }
        let window_rows = (self.rows.len() - before) as u64 - pre_rows;

        // After the window: (ts + window, ts + window + 7 days].
        let (from, to) = (ts + window + 1, ts + window + 7 * DAY);
        if self.rng.random::<f64>() < AFTER_WINDOW_PURCHASE * cfg.conversion_rate {
            let price = self.price();
            let cents = (price * basket * 100.0).round() as u64;
            let t = self.uniform_offset(from + 1800, to);
            let cart = t - self.rng.random_range(30..1800);
            self.push_row(cart, id, Kind::Cart, 0);
            self.push_row(t, id, Kind::Purchase, cents);
        }
        let n = sample_count(poisson(self.views[2] * activity).as_ref(), &mut self.rng);
        for _ in 0..n {
            let t = self.uniform_offset(from, to);
            self.push_row(t, id, Kind::View, 0);
        }
        let total = (self.rows.len() - before) as u64;
        self.counts.pre_period_events += pre_rows;
        self.counts.in_window_events += window_rows;
        self.counts.after_window_events += total - pre_rows - window_rows;
    }

    /// `1 + Poisson(repeat)` orders in `[from, to]`, each an `add_to_cart` then a
    /// `purchase`, both inside the range. Orders lean towards the start.
    fn orders(&mut self, id: u64, from: i64, to: i64, basket: f64, multiplier: f64) {
        let n = 1 + sample_count(self.repeat.as_ref(), &mut self.rng);
        for _ in 0..n {
            let u: f64 = self.rng.random();
            let t = from + (u * u * (to - from + 1) as f64) as i64;
            let cart = (t - self.rng.random_range(30..1800)).max(from);
            let price = self.price();
            let cents = (price * basket * multiplier * 100.0).round() as u64;
            self.push_row(cart, id, Kind::Cart, 0);
            self.push_row(t, id, Kind::Purchase, cents);
        }
    }

    /// A catalogue price.
    fn price(&mut self) -> f64 {
        let i = pick(&self.price_cdf, self.rng.random());
        self.config.prices.get(i).copied().unwrap_or_default()
    }

    /// Rows of never-exposed users, a share of the block's rows.
    pub(super) fn unknown_users(&mut self) {
        let share = self.config.unknown_user_share;
        if share <= 0.0 || self.rows.is_empty() {
            return;
        }
        let expected = self.rows.len() as f64 * share / (1.0 - share);
        let n = sample_count(poisson(expected).as_ref(), &mut self.rng);
        let (lo, hi) = self.rows.iter().fold((i64::MAX, i64::MIN), |(lo, hi), r| {
            (lo.min(r.ts), hi.max(r.ts))
        });
        let users = self.config.users;
        for _ in 0..n {
            let id = users + 1 + self.rng.random_range(0..users.div_ceil(10));
            let t = self.uniform_offset(lo, hi);
            self.push_row(t, id, Kind::View, 0);
        }
        self.counts.unknown_user_events += n;
    }
}
