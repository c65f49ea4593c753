//! Every variant against the control on every metric: Welch (or the delta method for
//! ratios), the seeded bootstrap and CUPED, as the plan asks.

use super::{bootstrap_mean_diff, cuped, ratio_moments, welch, welch_ratio, CoMoments, Moments};
use crate::aggregate::{ArmSample, MetricSamples};
use crate::plan::{MetricKind, Plan};
use crate::progress::{Observer, Stage};
use crate::report::{Comparison, MetricResult};

/// Compares each non-control arm with arm 0 (the control) on each metric.
pub fn compare_all(
    samples: &[MetricSamples],
    arms: &[String],
    plan: &Plan,
    observer: &mut dyn Observer,
) -> Vec<MetricResult> {
    let total = (samples.len() * arms.len().saturating_sub(1)).max(1);
    let mut done = 0;
    samples
        .iter()
        .map(|metric| {
            let comparisons = (1..arms.len())
                .filter_map(|arm| {
                    observer.stage(Stage::Bootstrapping, done as f64 / total as f64);
                    done += 1;
                    let treatment = metric.arms.get(arm)?;
                    let control = metric.arms.first()?;
                    let names = (arms.get(arm)?.clone(), arms.first()?.clone());
                    Some(compare(treatment, control, names, plan))
                })
                .collect();
            MetricResult {
                name: metric.spec.name.clone(),
                kind: kind_name(&metric.spec.kind).into(),
                role: metric.spec.role,
                good_direction: metric.spec.good_direction,
                comparisons,
            }
        })
        .collect()
}

fn kind_name(kind: &MetricKind) -> &'static str {
    match kind {
        MetricKind::Conversion { .. } => "conversion",
        MetricKind::Sum { .. } => "sum",
        MetricKind::Count { .. } => "count",
        MetricKind::Ratio { .. } => "ratio",
    }
}

fn compare(
    treatment: &ArmSample,
    control: &ArmSample,
    (variant, control_name): (String, String),
    plan: &Plan,
) -> Comparison {
    let alpha = plan.alpha;
    let (variant_mean, control_mean, welch, bootstrap, cuped) = match (treatment, control) {
        (
            ArmSample::Mean {
                values: t,
                pre: t_pre,
            },
            ArmSample::Mean {
                values: c,
                pre: c_pre,
            },
        ) => {
            let (mt, mc) = (Moments::from_values(t), Moments::from_values(c));
            let boot = (plan.bootstrap.resamples > 0)
                .then(|| {
                    bootstrap_mean_diff(t, c, plan.bootstrap.resamples, plan.bootstrap.seed, alpha)
                })
                .flatten();
            let adjusted = match (t_pre, c_pre) {
                (Some(tp), Some(cp)) if plan.cuped.enabled => cuped(
                    &CoMoments::from_values(t, tp),
                    &CoMoments::from_values(c, cp),
                    alpha,
                ),
                _ => None,
            };
            (mt.mean, mc.mean, welch(&mt, &mc, alpha), boot, adjusted)
        }
        (
            ArmSample::Ratio {
                numerator: tn,
                denominator: td,
            },
            ArmSample::Ratio {
                numerator: cn,
                denominator: cd,
            },
        ) => {
            let (t, c) = (
                CoMoments::from_values(tn, td),
                CoMoments::from_values(cn, cd),
            );
            let ratio = |m: &CoMoments| {
                if m.x.mean == 0.0 {
                    0.0
                } else {
                    ratio_moments(m).ratio
                }
            };
            (ratio(&t), ratio(&c), welch_ratio(&t, &c, alpha), None, None)
        }
        _ => (0.0, 0.0, None, None, None),
    };
    let diff = variant_mean - control_mean;
    let deciding_p = cuped
        .as_ref()
        .map(|c| c.p_value)
        .or(welch.as_ref().map(|w| w.p_value));
    Comparison {
        variant,
        control: control_name,
        control_mean,
        variant_mean,
        diff,
        relative_lift: (control_mean != 0.0).then(|| diff / control_mean),
        significant: deciding_p.is_some_and(|p| p < alpha),
        welch,
        bootstrap,
        cuped,
    }
}
