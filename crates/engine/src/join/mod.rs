//! Stage 4 — join: each event meets its user's first exposure. It counts when
//! `exposure_ts <= event_ts <= exposure_ts + window` (inclusive, as the course's code);
//! events in `[exposure_ts − pre_window, exposure_ts)` feed only the CUPED covariate.

use std::collections::BTreeMap;

use crate::clean::{Assignments, UserState};
use crate::ingest::EventRow;
use crate::metrics::{Fold, UserMetrics};
use crate::plan::Plan;
use crate::validate::EventCounts;

mod days;

pub use days::DayOffsets;
use days::DAY_MS;

/// Folds events into per-user metrics as they stream past.
pub struct Joiner<'a> {
    assignments: &'a Assignments,
    window_ms: i64,
    pre_ms: i64,
    cuped: bool,
    metrics: UserMetrics,
    counts: EventCounts,
    timeline_conversion: Option<usize>,
    timeline_revenue: Option<usize>,
    first_conversion: Vec<i64>,
    revenue_by_day: BTreeMap<i64, Vec<f64>>,
    days: DayOffsets,
}

/// What the join produced.
#[derive(Clone, Debug)]
pub struct Joined {
    /// Per-user metric values.
    pub metrics: UserMetrics,
    /// The events' fate (bad rows are added by the pipeline).
    pub counts: EventCounts,
    /// First in-window conversion time per user id (`i64::MAX` when none), for the timeline.
    pub first_conversion: Vec<i64>,
    /// In-window revenue per UTC day (days since 1970) and arm, for the timeline.
    pub revenue_by_day: BTreeMap<i64, Vec<f64>>,
    /// The timeline metrics per user by day since exposure.
    pub days: DayOffsets,
}

impl<'a> Joiner<'a> {
    /// A joiner for the cleaned users under `plan`.
    pub fn new(assignments: &'a Assignments, plan: &Plan) -> Self {
        let users = assignments.state.len();
        let metrics = UserMetrics::new(plan, users);
        let first_of = |fold: Fold| metrics.base.iter().position(|m| m.fold == fold);
        let days = DayOffsets::new(
            users,
            plan.window.millis(),
            plan.limits.max_timeline_days,
            first_of(Fold::Any).is_some(),
            first_of(Fold::Sum).is_some(),
        );
        Self {
            assignments,
            window_ms: plan.window.millis(),
            pre_ms: plan.cuped.pre_window.millis(),
            cuped: plan.cuped.enabled,
            timeline_conversion: first_of(Fold::Any),
            timeline_revenue: first_of(Fold::Sum),
            metrics,
            counts: EventCounts::default(),
            first_conversion: vec![i64::MAX; users],
            revenue_by_day: BTreeMap::new(),
            days,
        }
    }

    /// Classifies one event and folds it into the metrics when it counts.
    pub fn push(&mut self, row: EventRow<'_>) {
        let c = &mut self.counts;
        c.rows_read += 1;
        c.missing_amount += u64::from(row.amount.is_none());
        if row.bot {
            c.bot_rows += 1;
            return;
        }
        let Some(user) = self.assignments.user_ids.get(row.user) else {
            c.unknown_user += 1;
            return;
        };
        let user = user as usize;
        let (arm, exposed_at) = match self.assignments.state.get(user) {
            Some(UserState::Analysed { arm, exposed_at }) => (usize::from(*arm), *exposed_at),
            Some(UserState::Bot) => {
                c.bot_user += 1;
                return;
            }
            _ => {
                c.excluded_user += 1;
                return;
            }
        };
        let amount = row.amount.unwrap_or(0.0);
        if row.ts < exposed_at {
            c.before_exposure += 1;
            if row.ts >= exposed_at.saturating_sub(self.pre_ms) {
                c.in_pre_period += 1;
                if self.cuped {
                    self.metrics.add_event(row.event, user, amount, true);
                }
            }
            return;
        }
        if row.ts > exposed_at.saturating_add(self.window_ms) {
            c.after_window += 1;
            return;
        }
        c.in_window += 1;
        let offset = self.days.offset(exposed_at, row.ts);
        for &metric in self.metrics.targets(row.event) {
            if Some(metric) == self.timeline_conversion {
                if let Some(first) = self.first_conversion.get_mut(user) {
                    *first = (*first).min(row.ts);
                }
                if let Some(k) = offset {
                    self.days.convert(user, k);
                }
            }
            if Some(metric) == self.timeline_revenue {
                if let Some(k) = offset {
                    self.days.add(user, k, amount);
                }
                let arms = self.assignments.arms.len();
                let day = self
                    .revenue_by_day
                    .entry(row.ts.div_euclid(DAY_MS))
                    .or_insert_with(|| vec![0.0; arms]);
                if let Some(total) = day.get_mut(arm) {
                    *total += amount;
                }
            }
        }
        self.metrics.add_event(row.event, user, amount, false);
    }

    /// Ends the join.
    pub fn finish(self) -> Joined {
        Joined {
            metrics: self.metrics,
            counts: self.counts,
            first_conversion: self.first_conversion,
            revenue_by_day: self.revenue_by_day,
            days: self.days,
        }
    }
}
