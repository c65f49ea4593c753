//! Stage 5b — aggregate: per-user values grouped by arm (capped when the plan says
//! so), the course's summary table and the cumulative timeline.

use crate::clean::{Assignments, UserState};
use crate::infer::{winsor_bounds, winsorize, CoMoments, Moments, QuadMoments};
use crate::join::Joined;
use crate::metrics::{Fold, UserMetrics};
use crate::plan::{Capping, MetricKind, MetricSpec, Plan};
use crate::report::{CapBounds, MetricSummary, VariantSummary};

mod timeline;

pub(crate) use timeline::format_day;
pub use timeline::timeline;

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
    /// A ratio-of-sums metric, with its pre-period numerator and denominator when
    /// CUPED is on.
    Ratio {
        /// Numerator per user.
        numerator: Vec<f64>,
        /// Denominator per user.
        denominator: Vec<f64>,
        /// Pre-period `(numerator, denominator)` per user (same order), when CUPED
        /// is enabled.
        pre: Option<(Vec<f64>, Vec<f64>)>,
    },
    /// A mean-of-users metric known only by its sufficient statistics (the
    /// warehouse path, see [`crate::warehouse`]): closed-form tests only.
    Summary {
        /// Moments of the per-user values in the window.
        y: Moments,
        /// Joint moments of the per-user values (`y`) and their pre-period covariate
        /// (`x`), when CUPED is enabled.
        pre: Option<CoMoments>,
    },
    /// A ratio-of-sums metric known only by its sufficient statistics.
    RatioSummary {
        /// Joint moments of the per-user numerator (`y`) and denominator (`x`).
        post: CoMoments,
        /// Joint moments of the numerator, denominator, pre-period numerator and
        /// pre-period denominator, when CUPED is enabled.
        pre: Option<QuadMoments>,
    },
}

/// A metric's samples per arm (arm order of [`Assignments::arms`]).
#[derive(Clone, Debug, PartialEq)]
pub struct MetricSamples {
    /// The metric's definition.
    pub spec: MetricSpec,
    /// One sample per arm.
    pub arms: Vec<ArmSample>,
    /// Winsorizing cut points applied, when the metric asks for capping.
    pub capping: Option<CapBounds>,
}

/// Groups every metric's per-user values by arm, in user-id order, for the users
/// `keep` accepts, and applies the plan's capping.
pub fn samples(
    assignments: &Assignments,
    metrics: &UserMetrics,
    plan: &Plan,
    keep: impl Fn(usize) -> bool,
) -> Vec<MetricSamples> {
    let arms_of_users: Vec<(usize, usize)> = assignments
        .state
        .iter()
        .enumerate()
        .filter_map(|(user, s)| match s {
            UserState::Analysed { arm, .. } if keep(user) => Some((user, usize::from(*arm))),
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
                    let (num, den) = (metrics.get(numerator)?, metrics.get(denominator)?);
                    // Both parts have a pre-period exactly when CUPED is on.
                    let pre = (!num.pre.is_empty() && !den.pre.is_empty())
                        .then(|| (split(&num.pre), split(&den.pre)));
                    split(&num.values)
                        .into_iter()
                        .zip(split(&den.values))
                        .enumerate()
                        .map(|(arm, (numerator, denominator))| ArmSample::Ratio {
                            numerator,
                            denominator,
                            pre: pre.as_ref().and_then(|(pn, pd)| {
                                Some((pn.get(arm)?.clone(), pd.get(arm)?.clone()))
                            }),
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
            let mut samples = MetricSamples {
                spec: spec.clone(),
                arms,
                capping: None,
            };
            if let Some(capping) = spec.capping {
                samples.capping = apply_capping(&mut samples.arms, capping);
            }
            Some(samples)
        })
        .collect()
}

/// Winsorizes every arm (and the CUPED covariate, at its own pooled cut points) at
/// cut points computed on all arms pooled. Ratio metrics are left as they are (their
/// pre-period parts too): their parts are sums over users, and capping them
/// separately would change the ratio.
fn apply_capping(arms: &mut [ArmSample], capping: Capping) -> Option<CapBounds> {
    let pct = |q: Option<f64>| q.map(|q| q * 100.0);
    let (lower, upper) = (pct(capping.lower), pct(capping.upper));
    let pooled = |pick: fn(&ArmSample) -> Option<&Vec<f64>>| -> Vec<f64> {
        arms.iter().filter_map(pick).flatten().copied().collect()
    };
    let values = pooled(|a| match a {
        ArmSample::Mean { values, .. } => Some(values),
        _ => None,
    });
    let bounds = winsor_bounds(&values, lower, upper)?;
    let pre = pooled(|a| match a {
        ArmSample::Mean { pre, .. } => pre.as_ref(),
        _ => None,
    });
    let pre_bounds = winsor_bounds(&pre, lower, upper);
    for arm in arms.iter_mut() {
        if let ArmSample::Mean { values, pre } = arm {
            winsorize(values, bounds);
            if let (Some(pre), Some(b)) = (pre.as_mut(), pre_bounds) {
                winsorize(pre, b);
            }
        }
    }
    Some(CapBounds {
        lower_quantile: capping.lower,
        upper_quantile: capping.upper,
        lower: bounds.0,
        upper: bounds.1,
    })
}

/// The course's summary table: one row per arm, with `users[arm]` users.
pub fn summarize(
    assignments: &Assignments,
    users: &[u64],
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

/// One arm's row of a metric in the summary table.
pub(crate) fn summary_of(samples: &MetricSamples, arm: usize) -> Option<MetricSummary> {
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
            ..
        } => {
            let (num, den): (f64, f64) = (numerator.iter().sum(), denominator.iter().sum());
            MetricSummary {
                name,
                mean: if den == 0.0 { 0.0 } else { num / den },
                variance: None,
                total: num,
            }
        }
        ArmSample::Summary { y, .. } => {
            let variance = y.variance();
            MetricSummary {
                name,
                mean: y.mean,
                variance: variance.is_finite().then_some(variance),
                total: y.sum(),
            }
        }
        ArmSample::RatioSummary { post: m, .. } => {
            let (num, den) = (m.y.sum(), m.x.sum());
            MetricSummary {
                name,
                mean: if den == 0.0 { 0.0 } else { num / den },
                variance: None,
                total: num,
            }
        }
    })
}
