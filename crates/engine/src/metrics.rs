//! Stage 5 — metrics: per-user values from the events joined in the window (and the
//! pre-period covariate for CUPED). Users without events keep 0, as the course's
//! left join does.

use crate::plan::{MetricKind, Plan};

/// How a directly computed (non-ratio) metric folds a user's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    /// 1 if any event.
    Any,
    /// Sum of amounts.
    Sum,
    /// Number of events.
    Count,
}

/// One non-ratio metric's value per user id.
#[derive(Clone, Debug)]
pub struct BaseMetric {
    /// Metric name.
    pub name: String,
    /// How events fold into the value.
    pub fold: Fold,
    /// Value per user id, from events inside the window.
    pub values: Vec<f64>,
    /// Value per user id from the pre-period (empty unless CUPED is enabled).
    pub pre: Vec<f64>,
}

/// All per-user metric values, filled event by event.
#[derive(Clone, Debug)]
pub struct UserMetrics {
    /// The plan's non-ratio metrics, in plan order.
    pub base: Vec<BaseMetric>,
    /// Event name → the base metrics it feeds; a handful of names, so a scan beats hashing.
    targets: Vec<(String, Vec<usize>)>,
}

impl UserMetrics {
    /// Zeroed values for `users` user ids.
    pub fn new(plan: &Plan, users: usize) -> Self {
        let mut base = Vec::new();
        let mut targets: Vec<(String, Vec<usize>)> = Vec::new();
        for spec in &plan.metrics {
            let (fold, event) = match &spec.kind {
                MetricKind::Conversion { event } => (Fold::Any, event),
                MetricKind::Sum { event } => (Fold::Sum, event),
                MetricKind::Count { event } => (Fold::Count, event),
                MetricKind::Ratio { .. } => continue,
            };
            match targets.iter_mut().find(|(name, _)| name == event) {
                Some((_, list)) => list.push(base.len()),
                None => targets.push((event.clone(), vec![base.len()])),
            }
            base.push(BaseMetric {
                name: spec.name.clone(),
                fold,
                values: vec![0.0; users],
                pre: if plan.cuped.enabled {
                    vec![0.0; users]
                } else {
                    Vec::new()
                },
            });
        }
        Self { base, targets }
    }

    /// Indices of the base metrics fed by `event`.
    pub fn targets(&self, event: &str) -> &[usize] {
        self.targets
            .iter()
            .find(|(name, _)| name == event)
            .map_or(&[], |(_, list)| list.as_slice())
    }

    /// Folds one event of `user` into every metric it feeds, in the window or the
    /// pre-period.
    pub fn add_event(&mut self, event: &str, user: usize, amount: f64, pre_period: bool) {
        let Some((_, targets)) = self.targets.iter().find(|(name, _)| name == event) else {
            return;
        };
        for &metric in targets {
            if let Some(m) = self.base.get_mut(metric) {
                fold_into(m, user, amount, pre_period);
            }
        }
    }

    /// The base metric named `name`.
    pub fn get(&self, name: &str) -> Option<&BaseMetric> {
        self.base.iter().find(|m| m.name == name)
    }
}

fn fold_into(m: &mut BaseMetric, user: usize, amount: f64, pre_period: bool) {
    let slot = if pre_period {
        m.pre.get_mut(user)
    } else {
        m.values.get_mut(user)
    };
    if let Some(value) = slot {
        match m.fold {
            Fold::Any => *value = 1.0,
            Fold::Sum => *value += amount,
            Fold::Count => *value += 1.0,
        }
    }
}
