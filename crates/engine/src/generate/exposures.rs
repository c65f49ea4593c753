//! The exposures file: its header, its rows (with the optional `is_bot`,
//! `country` and `device` columns) and the later exposures that wait in a
//! min-heap until their time comes, so the file stays in time order.

use std::cmp::Reverse;
use std::io::{self, Write};

use rand::RngExt;

use super::generator::Generator;
use super::text::{push_u64, Counting};
use super::DAY;

/// Countries of the optional `country` column, with their shares.
pub(super) const COUNTRIES: [(&str, f64); 8] = [
    ("US", 0.35),
    ("IN", 0.15),
    ("GB", 0.10),
    ("DE", 0.10),
    ("BR", 0.10),
    ("FR", 0.08),
    ("JP", 0.07),
    ("CA", 0.05),
];

/// Devices of the optional `device` column, with their shares.
pub(super) const DEVICES: [(&str, f64); 3] =
    [("mobile", 0.58), ("desktop", 0.36), ("tablet", 0.06)];

/// An exposure row; later exposures wait for their time in a min-heap (by time,
/// then by the order they were drawn in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Pending {
    pub(super) ts: i64,
    pub(super) seq: u64,
    pub(super) user: u64,
    pub(super) arm: usize,
    pub(super) country: usize,
    pub(super) device: usize,
}

impl Generator<'_> {
    /// `user_id,variant,exposure_ts[,is_bot][,country,device]`.
    pub(super) fn write_exposure_header<E: Write>(
        &mut self,
        exp: &mut Counting<E>,
    ) -> io::Result<()> {
        let mut header = String::from("user_id,variant,exposure_ts");
        if self.bot_column {
            header.push_str(",is_bot");
        }
        if self.config.segments {
            header.push_str(",country,device");
        }
        header.push('\n');
        exp.put(header.as_bytes())
    }

    /// One exposure row.
    pub(super) fn write_exposure<E: Write>(
        &mut self,
        row: &Pending,
        bot: bool,
        exp: &mut Counting<E>,
    ) -> io::Result<()> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        push_u64(&mut line, row.user);
        line.push(b',');
        let variant = self.config.variants.get(row.arm);
        line.extend_from_slice(variant.map_or("", |v| v.name.as_str()).as_bytes());
        line.push(b',');
        self.timestamps.push(&mut line, row.ts);
        if self.bot_column {
            line.extend_from_slice(if bot { b",1" } else { b",0" });
        }
        if self.config.segments {
            let country = COUNTRIES.get(row.country).map_or("", |c| c.0);
            let device = DEVICES.get(row.device).map_or("", |d| d.0);
            line.push(b',');
            line.extend_from_slice(country.as_bytes());
            line.push(b',');
            line.extend_from_slice(device.as_bytes());
        }
        line.push(b'\n');
        let res = exp.put(&line);
        self.line = line;
        self.counts.exposure_rows += 1;
        res
    }

    /// Writes the waiting exposures due at or before `until`.
    pub(super) fn write_pending<E: Write>(
        &mut self,
        until: i64,
        exp: &mut Counting<E>,
    ) -> io::Result<()> {
        while let Some(Reverse(p)) = self.pending.peek().copied() {
            if p.ts > until {
                break;
            }
            self.pending.pop();
            self.write_exposure(&p, false, exp)?;
        }
        Ok(())
    }

    /// Maybe queues a second exposure of a human user, 1 hour to 3 days after the
    /// first, to the same arm or (more rarely) another one.
    pub(super) fn second_exposure(&mut self, first: &Pending) {
        let cfg = self.config;
        let u: f64 = self.rng.random();
        let second_arm = if u < cfg.duplicate_share {
            self.counts.repeat_exposures += 1;
            first.arm
        } else if u < cfg.duplicate_share + cfg.multi_variant_share {
            self.counts.multi_variant_users += 1;
            let other = self.rng.random_range(0..cfg.variants.len() - 1);
            if other >= first.arm {
                other + 1
            } else {
                other
            }
        } else {
            return;
        };
        let later = self.uniform_offset(3600, 3 * DAY);
        self.seq += 1;
        self.pending.push(Reverse(Pending {
            ts: first.ts + later,
            seq: self.seq,
            arm: second_arm,
            ..*first
        }));
    }
}
