//! Relative lift over time: cumulative and daily by calendar date, and by days since
//! exposure (novelty or primacy effects), each point a Welch comparison.
//!
//! Users are grouped by (arm, exposure day, day offset) first, so each point costs
//! one pass over those groups rather than over all users.

use super::{welch, Moments};
use crate::clean::{Assignments, UserState};
use crate::join::{DayOffsets, Joined};
use crate::metrics::Fold;
use crate::plan::Plan;
use crate::report::{LiftOverTime, LiftPoint, TimeAxis};

const DAY_MS: i64 = 86_400_000;
/// Largest arms × exposure days × offsets grid kept; beyond it the series are skipped.
const MAX_GRID: usize = 4_000_000;

/// Sums of one group: users, Σv, Σv².
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    n: u64,
    sum: f64,
    sum_sq: f64,
}

impl Sums {
    fn add(&mut self, v: f64) {
        self.n += 1;
        self.sum += v;
        self.sum_sq += v * v;
    }

    /// Same counts and bit-identical sums.
    fn same(&self, o: &Sums) -> bool {
        self.n == o.n
            && self.sum.to_bits() == o.sum.to_bits()
            && self.sum_sq.to_bits() == o.sum_sq.to_bits()
    }

    fn merge(&mut self, o: &Sums) {
        self.n += o.n;
        self.sum += o.sum;
        self.sum_sq += o.sum_sq;
    }
}

/// Per (arm, exposure day, offset): daily value sums and cumulative value sums.
///
/// Only the days on which someone was exposed get a row: a day without exposures
/// would hold empty sums, and merging an empty group changes no bit of a total (its
/// sums are +0.0, and a total that starts at +0.0 never becomes −0.0). So the grid
/// grows with the data, not with the span between the first and last exposure.
struct Grid {
    /// The UTC days (since 1970) with at least one exposure, ascending; row `e` of
    /// the grid is day `days[e]`.
    days: Vec<i64>,
    exposure_days: usize,
    offsets: usize,
    daily: Vec<Sums>,
    cumulative: Vec<Sums>,
    /// Per arm, running totals over exposure days `0..=e` of `cumulative` at the
    /// last offset, merged in the same order as a loop over `e` would.
    settled: Vec<Sums>,
}

impl Grid {
    fn index(&self, arm: usize, e: usize, k: usize) -> usize {
        (arm * self.exposure_days + e) * self.offsets + k
    }

    /// Number of rows whose exposure day is before `day`.
    fn rows_before(&self, day: i64) -> usize {
        self.days.partition_point(|&d| d < day)
    }
}

/// Lift series for the first conversion metric and the first sum metric.
pub fn lift_over_time(
    assignments: &Assignments,
    joined: &Joined,
    plan: &Plan,
) -> Vec<LiftOverTime> {
    let days = &joined.days;
    let exposures: Vec<(usize, usize, i64)> = assignments
        .state
        .iter()
        .enumerate()
        .filter_map(|(u, s)| match s {
            UserState::Analysed { arm, exposed_at } => {
                Some((u, usize::from(*arm), exposed_at.div_euclid(DAY_MS)))
            }
            _ => None,
        })
        .collect();
    let (Some(first_day), Some(last_exposure)) = (
        exposures.iter().map(|e| e.2).min(),
        exposures.iter().map(|e| e.2).max(),
    ) else {
        return Vec::new();
    };
    let last_day = days.last_day.max(last_exposure);
    let mut out = Vec::new();
    for m in &joined.metrics.base {
        let value: Box<dyn Fn(usize, usize) -> f64> = match m.fold {
            Fold::Any
                if !days.conversion_bits.is_empty()
                    && Some(&m.name) == first_named(joined, Fold::Any) =>
            {
                Box::new(|u, k| {
                    f64::from(u8::from(
                        days.conversion_bits.get(u).is_some_and(|b| b >> k & 1 == 1),
                    ))
                })
            }
            Fold::Sum
                if !days.sums.is_empty() && Some(&m.name) == first_named(joined, Fold::Sum) =>
            {
                Box::new(|u, k| days.sums.get(u * days.days + k).copied().unwrap_or(0.0))
            }
            _ => continue,
        };
        let cumulate = m.fold == Fold::Sum;
        let Some(grid) = build_grid(
            assignments,
            days,
            &exposures,
            first_day,
            last_exposure,
            &*value,
            cumulate,
        ) else {
            continue;
        };
        for arm in 1..assignments.arms.len() {
            let variant = assignments.arms.get(arm).cloned().unwrap_or_default();
            for axis in [
                TimeAxis::CumulativeByDate,
                TimeAxis::DailyByDate,
                TimeAxis::DaysSinceExposure,
            ] {
                let points = series(&grid, arm, axis, last_day, plan.alpha);
                out.push(LiftOverTime {
                    metric: m.name.clone(),
                    variant: variant.clone(),
                    axis,
                    points,
                });
            }
        }
    }
    out
}

/// Bytes [`lift_over_time`] allocates at its peak (the user list and one grid), by
/// the model of [`crate::memory`], and the grid's shape in words.
pub(crate) fn grid_bytes(assignments: &Assignments, joined: &Joined) -> (u64, String) {
    let days = &joined.days;
    if days.conversion_bits.is_empty() && days.sums.is_empty() {
        return (0, String::new());
    }
    let (mut users, mut first, mut last) = (0u64, i64::MAX, i64::MIN);
    for state in &assignments.state {
        if let UserState::Analysed { exposed_at, .. } = state {
            users += 1;
            first = first.min(exposed_at.div_euclid(DAY_MS));
            last = last.max(exposed_at.div_euclid(DAY_MS));
        }
    }
    let exposure_days = u64::try_from(last.saturating_sub(first)).map_or(0, |d| d + 1);
    let (arms, offsets) = (assignments.arms.len() as u64, days.days as u64);
    let size = arms * exposure_days * offsets;
    if users == 0 || size > MAX_GRID as u64 {
        return (0, String::new());
    }
    // Two cells of `Sums` (24 bytes) per group, the settled totals, the user list.
    let bytes = size * 48 + arms * exposure_days * 24 + users * 24;
    let shape =
        format!("{arms} arms × {exposure_days} exposure days × {offsets} days since exposure");
    (bytes, shape)
}

fn first_named(joined: &Joined, fold: Fold) -> Option<&String> {
    joined
        .metrics
        .base
        .iter()
        .find(|m| m.fold == fold)
        .map(|m| &m.name)
}

fn build_grid(
    assignments: &Assignments,
    days: &DayOffsets,
    exposures: &[(usize, usize, i64)],
    first_day: i64,
    last_exposure: i64,
    value: &dyn Fn(usize, usize) -> f64,
    cumulate_sum: bool,
) -> Option<Grid> {
    let span = usize::try_from(last_exposure - first_day + 1).ok()?;
    let (arms, offsets) = (assignments.arms.len(), days.days);
    // The limit is on the span of exposure days, as when every day had a row, so the
    // series are given (or skipped) for the same data as before.
    if arms.checked_mul(span)?.checked_mul(offsets)? > MAX_GRID {
        return None;
    }
    let mut exposure_day_list: Vec<i64> = exposures.iter().map(|e| e.2).collect();
    exposure_day_list.sort_unstable();
    exposure_day_list.dedup();
    let exposure_days = exposure_day_list.len();
    let size = arms * exposure_days * offsets;
    let mut grid = Grid {
        days: exposure_day_list,
        exposure_days,
        offsets,
        daily: vec![Sums::default(); size],
        cumulative: vec![Sums::default(); size],
        settled: Vec::new(),
    };
    for &(user, arm, day) in exposures {
        let e = grid.days.binary_search(&day).ok()?;
        let mut running = 0.0;
        for k in 0..offsets {
            let v = value(user, k);
            // Conversion as of offset k is "any so far"; a sum accumulates.
            running = if cumulate_sum {
                running + v
            } else {
                running.max(v)
            };
            let i = grid.index(arm, e, k);
            if let Some(d) = grid.daily.get_mut(i) {
                d.add(v);
            }
            if let Some(c) = grid.cumulative.get_mut(i) {
                c.add(running);
            }
        }
    }
    grid.settled = settled_totals(&grid, arms);
    Some(grid)
}

/// [`Grid::settled`]: for each arm, the running merge over exposure days of the
/// cumulative sums at the last offset.
fn settled_totals(grid: &Grid, arms: usize) -> Vec<Sums> {
    let last = grid.offsets.saturating_sub(1);
    let mut out = Vec::with_capacity(arms * grid.exposure_days);
    for arm in 0..arms {
        let mut running = Sums::default();
        for e in 0..grid.exposure_days {
            if let Some(s) = grid.cumulative.get(grid.index(arm, e, last)) {
                running.merge(s);
            }
            out.push(running);
        }
    }
    out
}

/// Pools the groups that make up one point of `axis` at `step` for one arm.
///
/// A calendar day `step` only sees the exposure days within `offsets` of it (older
/// ones are settled at the last offset and come from [`Grid::settled`]), so a point
/// costs O(offsets) rather than O(exposure days). The groups are merged in the same
/// order as a plain loop over exposure days, so the sums are bit-identical to it.
fn pooled(grid: &Grid, arm: usize, axis: TimeAxis, step: i64, last_day: i64) -> Sums {
    let mut total = Sums::default();
    let last_offset = grid.offsets.saturating_sub(1);
    match axis {
        TimeAxis::CumulativeByDate | TimeAxis::DailyByDate => {
            // Rows exposed on or before `step`, and the first of them still within
            // `offsets` of it (the ones before are at offset >= last_offset).
            let newest = grid.rows_before(step.saturating_add(1));
            let oldest = grid
                .rows_before(step.saturating_sub(last_offset as i64))
                .min(newest);
            if axis == TimeAxis::CumulativeByDate && oldest > 0 {
                if let Some(s) = grid.settled.get(arm * grid.exposure_days + oldest - 1) {
                    total.merge(s);
                }
            }
            for e in oldest..newest {
                let day = grid.days.get(e).copied().unwrap_or(step);
                let k = usize::try_from(step - day).unwrap_or(0).min(last_offset);
                let cells = match axis {
                    TimeAxis::CumulativeByDate => &grid.cumulative,
                    _ => &grid.daily,
                };
                if let Some(s) = cells.get(grid.index(arm, e, k)) {
                    total.merge(s);
                }
            }
        }
        TimeAxis::DaysSinceExposure => {
            // `step` is an offset; steps are 0..offsets, so this is O(grid) in all.
            let k = usize::try_from(step).unwrap_or(0);
            for (e, &day) in grid.days.iter().enumerate() {
                if day + step > last_day {
                    break;
                }
                if let Some(s) = grid.daily.get(grid.index(arm, e, k)) {
                    total.merge(s);
                }
            }
        }
    }
    total
}

fn series(grid: &Grid, arm: usize, axis: TimeAxis, last_day: i64, alpha: f64) -> Vec<LiftPoint> {
    let steps = match axis {
        TimeAxis::DaysSinceExposure => 0..grid.offsets as i64,
        _ => {
            let first_day = grid.days.first().copied().unwrap_or(last_day);
            first_day..last_day.max(first_day - 1).min(first_day + 3659) + 1
        }
    };
    let label = |step: i64| match axis {
        TimeAxis::DaysSinceExposure => step.to_string(),
        _ => crate::aggregate::format_day(step),
    };
    let moments = |s: Sums| Moments::from_sums(s.n, s.sum, s.sum_sq);
    // Consecutive points often pool the very same groups (a cumulative series after
    // the last exposure); their comparison is then the same, so it is reused.
    let mut last: Option<(Sums, Sums, Option<super::Welch>)> = None;
    let mut points = Vec::new();
    for step in steps {
        let t = pooled(grid, arm, axis, step, last_day);
        let c = pooled(grid, 0, axis, step, last_day);
        if t.n + c.n == 0 {
            continue;
        }
        let w = match &last {
            Some((lt, lc, w)) if lt.same(&t) && lc.same(&c) => w.clone(),
            _ => welch(&moments(t), &moments(c), alpha),
        };
        points.push(LiftPoint {
            label: label(step),
            users: t.n + c.n,
            lift: w.as_ref().and_then(|w| w.relative_lift),
            ci: w.as_ref().and_then(|w| w.relative_ci),
        });
        last = Some((t, c, w));
    }
    points
}
