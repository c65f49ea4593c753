//! Stage 5b — aggregate: per-user values grouped by arm, the course's summary table
//! and the cumulative timeline.

use chrono::DateTime;

use crate::clean::{Assignments, UserState};
use crate::infer::Moments;
use crate::join::Joined;
use crate::metrics::{Fold, UserMetrics};
use crate::plan::{MetricKind, MetricSpec, Plan};
use crate::report::{MetricSummary, Timeline, TimelineSeries, VariantSummary};

const DAY_MS: i64 = 86_400_000;
/// Longest timeline drawn; longer spans keep their last days.
const MAX_TIMELINE_DAYS: usize = 3660;

/// One metric's per-user values in one arm.
#[derive(Clone, Debug, PartialEq)]
pub enum ArmSample {
    /// A mean-of-users metric, with its pre-period covariate when CUPED is on.
    Mean {
        /// Values per user in the window.
        values: Vec<f64>,
        /// Pre-period values per user (same order), when CUPED is enabled.
        pre: Option<Vec<f64>>,
    },
    /// A ratio-of-sums metric.
    Ratio {
        /// Numerator per user.
        numerator: Vec<f64>,
        /// Denominator per user.
        denominator: Vec<f64>,
    },
}

/// A metric's samples per arm (arm order of [`Assignments::arms`]).
#[derive(Clone, Debug, PartialEq)]
pub struct MetricSamples {
    /// The metric's definition.
    pub spec: MetricSpec,
    /// One sample per arm.
    pub arms: Vec<ArmSample>,
}

/// Groups every metric's per-user values by arm, in user-id order.
pub fn samples(
    assignments: &Assignments,
    metrics: &UserMetrics,
    plan: &Plan,
) -> Vec<MetricSamples> {
    let arms_of_users: Vec<(usize, usize)> = assignments
        .state
        .iter()
        .enumerate()
        .filter_map(|(user, s)| match s {
            UserState::Analysed { arm, .. } => Some((user, usize::from(*arm))),
            _ => None,
        })
        .collect();
    let split = |values: &[f64]| -> Vec<Vec<f64>> {
        let mut per_arm = vec![Vec::new(); assignments.arms.len()];
        for &(user, arm) in &arms_of_users {
            if let (Some(bucket), Some(v)) = (per_arm.get_mut(arm), values.get(user)) {
                bucket.push(*v);
            }
        }
        per_arm
    };
    plan.metrics
        .iter()
        .filter_map(|spec| {
            let arms = match &spec.kind {
                MetricKind::Ratio {
                    numerator,
                    denominator,
                } => {
                    let num = split(&metrics.get(numerator)?.values);
                    let den = split(&metrics.get(denominator)?.values);
                    num.into_iter()
                        .zip(den)
                        .map(|(numerator, denominator)| ArmSample::Ratio {
                            numerator,
                            denominator,
                        })
                        .collect()
                }
                _ => {
                    let base = metrics.get(&spec.name)?;
                    let pre = (!base.pre.is_empty()).then(|| split(&base.pre));
                    split(&base.values)
                        .into_iter()
                        .enumerate()
                        .map(|(arm, values)| ArmSample::Mean {
                            values,
                            pre: pre.as_ref().and_then(|p| p.get(arm).cloned()),
                        })
                        .collect()
                }
            };
            Some(MetricSamples {
                spec: spec.clone(),
                arms,
            })
        })
        .collect()
}

/// The course's summary table: one row per arm.
pub fn summarize(
    assignments: &Assignments,
    samples: &[MetricSamples],
    joined: &Joined,
) -> Vec<VariantSummary> {
    let first_of = |fold: Fold| {
        joined
            .metrics
            .base
            .iter()
            .find(|m| m.fold == fold)
            .map(|m| m.name.clone())
    };
    let conversion = first_of(Fold::Any);
    let revenue = first_of(Fold::Sum);
    let users = assignments.users_per_arm();
    assignments
        .arms
        .iter()
        .enumerate()
        .map(|(arm, name)| {
            let metrics: Vec<MetricSummary> =
                samples.iter().filter_map(|s| summary_of(s, arm)).collect();
            let find =
                |metric: &Option<String>| metrics.iter().find(|m| Some(&m.name) == metric.as_ref());
            let n = users.get(arm).copied().unwrap_or(0);
            let conversions = find(&conversion).map(|m| m.total.round() as u64);
            VariantSummary {
                name: name.clone(),
                users: n,
                conversions,
                conversion_rate: conversions.filter(|_| n > 0).map(|c| c as f64 / n as f64),
                revenue_per_user: find(&revenue).filter(|_| n > 0).map(|m| m.mean),
                metrics,
            }
        })
        .collect()
}

fn summary_of(samples: &MetricSamples, arm: usize) -> Option<MetricSummary> {
    let name = samples.spec.name.clone();
    Some(match samples.arms.get(arm)? {
        ArmSample::Mean { values, .. } => {
            let m = Moments::from_values(values);
            let variance = m.variance();
            MetricSummary {
                name,
                mean: m.mean,
                variance: variance.is_finite().then_some(variance),
                total: values.iter().sum(),
            }
        }
        ArmSample::Ratio {
            numerator,
            denominator,
        } => {
            let (num, den): (f64, f64) = (numerator.iter().sum(), denominator.iter().sum());
            MetricSummary {
                name,
                mean: if den == 0.0 { 0.0 } else { num / den },
                variance: None,
                total: num,
            }
        }
    })
}

/// Cumulative users, conversions and revenue per arm at the end of each UTC day.
pub fn timeline(assignments: &Assignments, joined: &Joined) -> Timeline {
    let arms = assignments.arms.len();
    let mut exposures: Vec<(i64, usize, i64)> = Vec::new();
    for (user, state) in assignments.state.iter().enumerate() {
        if let UserState::Analysed { arm, exposed_at } = state {
            let converted = joined
                .first_conversion
                .get(user)
                .copied()
                .unwrap_or(i64::MAX);
            exposures.push((exposed_at.div_euclid(DAY_MS), usize::from(*arm), converted));
        }
    }
    let Some(first_day) = exposures.iter().map(|e| e.0).min() else {
        return Timeline::default();
    };
    let last_exposure = exposures.iter().map(|e| e.0).max().unwrap_or(first_day);
    let last_event = joined
        .revenue_by_day
        .keys()
        .next_back()
        .copied()
        .unwrap_or(first_day);
    let last_conversion = exposures
        .iter()
        .filter(|e| e.2 != i64::MAX)
        .map(|e| e.2.div_euclid(DAY_MS))
        .max()
        .unwrap_or(first_day);
    let last_day = last_exposure.max(last_event).max(last_conversion);
    let first_day = first_day.max(last_day - MAX_TIMELINE_DAYS as i64 + 1);
    let days = (last_day - first_day + 1) as usize;
    let clamp = |day: i64| (day.max(first_day) - first_day) as usize;
    let mut users = vec![vec![0u64; days]; arms];
    let mut conversions = vec![vec![0u64; days]; arms];
    let mut revenue = vec![vec![0.0f64; days]; arms];
    for &(day, arm, converted) in &exposures {
        bump(&mut users, arm, clamp(day), 1);
        if converted != i64::MAX {
            bump(
                &mut conversions,
                arm,
                clamp(converted.div_euclid(DAY_MS)),
                1,
            );
        }
    }
    for (day, totals) in &joined.revenue_by_day {
        for (arm, total) in totals.iter().enumerate() {
            if let Some(cell) = revenue.get_mut(arm).and_then(|r| r.get_mut(clamp(*day))) {
                *cell += total;
            }
        }
    }
    let series = assignments
        .arms
        .iter()
        .enumerate()
        .map(|(arm, name)| TimelineSeries {
            variant: name.clone(),
            users: cumulative(users.get(arm)),
            conversions: cumulative(conversions.get(arm)),
            revenue: cumulative_f64(revenue.get(arm)),
        })
        .collect();
    let days = (0..days as i64)
        .map(|d| format_day(first_day + d))
        .collect();
    Timeline { days, series }
}

fn bump(table: &mut [Vec<u64>], arm: usize, day: usize, by: u64) {
    if let Some(cell) = table.get_mut(arm).and_then(|row| row.get_mut(day)) {
        *cell += by;
    }
}

fn cumulative(daily: Option<&Vec<u64>>) -> Vec<u64> {
    daily
        .map(|d| {
            d.iter()
                .scan(0, |acc, x| {
                    *acc += x;
                    Some(*acc)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn cumulative_f64(daily: Option<&Vec<f64>>) -> Vec<f64> {
    daily
        .map(|d| {
            d.iter()
                .scan(0.0, |acc, x| {
                    *acc += x;
                    Some(*acc)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn format_day(day: i64) -> String {
    DateTime::from_timestamp(day * 86_400, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| format!("day {day}"))
}
