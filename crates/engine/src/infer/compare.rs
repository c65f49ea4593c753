//! Every variant against the control on every metric: Welch (or the delta method for
//! ratios), the seeded bootstrap, CUPED (for means and ratios), and the optional
//! sequential and Bayesian read-outs (for means and ratios) and distribution test
//! (means), as the plan asks.

use super::{
    bayes_lift, bayes_lift_of, bootstrap_mean_diff, confidence_sequence, confidence_sequence_of,
    cuped, cuped_ratio, mann_whitney, ratio_moments, welch, welch_ratio, CoMoments, EffectEstimate,
    Moments, QuadMoments,
};
use crate::aggregate::{ArmSample, MetricSamples};
use crate::plan::{MetricKind, Plan};
use crate::progress::{Observer, Stage};
use crate::report::{Comparison, MetricResult};

/// Name of the comparison of all non-control arms pooled against the control.
pub const POOLED_ARMS: &str = "(all variants pooled)";

/// Compares each non-control arm with arm 0 (the control) on each metric, plus all
/// treatment arms pooled when the plan asks and there are several.
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
            let control = metric.arms.first();
            let control_name = arms.first().cloned().unwrap_or_default();
            let mut comparisons: Vec<Comparison> = (1..arms.len())
                .filter_map(|arm| {
                    observer.stage(Stage::Bootstrapping, done as f64 / total as f64);
                    done += 1;
                    let names = (arms.get(arm)?.clone(), control_name.clone());
                    Some(compare(metric.arms.get(arm)?, control?, names, plan))
                })
                .collect();
            if plan.pool_arms && arms.len() > 2 {
                if let (Some(pooled), Some(control)) = (pool(metric.arms.get(1..)), control) {
                    let names = (POOLED_ARMS.to_string(), control_name.clone());
                    comparisons.push(compare(&pooled, control, names, plan));
                }
            }
            MetricResult {
                name: metric.spec.name.clone(),
                kind: kind_name(&metric.spec.kind).into(),
                role: metric.spec.role,
                good_direction: metric.spec.good_direction,
                capping: metric.capping.clone(),
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

/// All given arms as one sample: raw values concatenated, summaries merged (Chan et
/// al.'s parallel update), so the raw and the warehouse path pool alike.
fn pool(arms: Option<&[ArmSample]>) -> Option<ArmSample> {
    let arms = arms?;
    let concat = |pick: &dyn Fn(&ArmSample) -> Option<&Vec<f64>>| -> Option<Vec<f64>> {
        let parts: Option<Vec<&Vec<f64>>> = arms.iter().map(pick).collect();
        parts.map(|p| p.into_iter().flatten().copied().collect())
    };
    let merge = |pick: &dyn Fn(&ArmSample) -> Option<CoMoments>| -> Option<CoMoments> {
        arms.iter()
            .try_fold(CoMoments::default(), |acc, a| Some(acc.merge(&pick(a)?)))
    };
    // A mean's moments as the `y` of joint moments (`x` left empty) for merging.
    let alone = |y: &Moments| CoMoments {
        y: *y,
        ..CoMoments::default()
    };
    match arms.first()? {
        ArmSample::Mean { pre, .. } => Some(ArmSample::Mean {
            values: concat(&|a| match a {
                ArmSample::Mean { values, .. } => Some(values),
                _ => None,
            })?,
            pre: pre.as_ref().and_then(|_| {
                concat(&|a| match a {
                    ArmSample::Mean { pre, .. } => pre.as_ref(),
                    _ => None,
                })
            }),
        }),
        ArmSample::Ratio { pre, .. } => Some(ArmSample::Ratio {
            numerator: concat(&|a| match a {
                ArmSample::Ratio { numerator, .. } => Some(numerator),
                _ => None,
            })?,
            denominator: concat(&|a| match a {
                ArmSample::Ratio { denominator, .. } => Some(denominator),
                _ => None,
            })?,
            pre: pre.as_ref().and_then(|_| {
                let part = |second: bool| {
                    concat(&|a| match a {
                        ArmSample::Ratio { pre: Some(p), .. } => {
                            Some(if second { &p.1 } else { &p.0 })
                        }
                        _ => None,
                    })
                };
                Some((part(false)?, part(true)?))
            }),
        }),
        ArmSample::Summary { pre, .. } => Some(ArmSample::Summary {
            y: merge(&|a| match a {
                ArmSample::Summary { y, .. } => Some(alone(y)),
                _ => None,
            })?
            .y,
            pre: pre.as_ref().and_then(|_| {
                merge(&|a| match a {
                    ArmSample::Summary { pre, .. } => *pre,
                    _ => None,
                })
            }),
        }),
        ArmSample::RatioSummary { pre, .. } => Some(ArmSample::RatioSummary {
            post: merge(&|a| match a {
                ArmSample::RatioSummary { post, .. } => Some(*post),
                _ => None,
            })?,
            pre: pre.as_ref().and_then(|_| {
                arms.iter()
                    .try_fold(QuadMoments::default(), |acc, a| match a {
                        ArmSample::RatioSummary { pre: Some(q), .. } => Some(acc.merge(q)),
                        _ => None,
                    })
            }),
        }),
    }
}

/// A ratio arm's ratio of sums (0 when the denominator mean is 0).
fn ratio_of(m: &CoMoments) -> f64 {
    if m.x.mean == 0.0 {
        0.0
    } else {
        ratio_moments(m).ratio
    }
}

/// One treatment arm against the control.
pub fn compare(
    treatment: &ArmSample,
    control: &ArmSample,
    (variant, control_name): (String, String),
    plan: &Plan,
) -> Comparison {
    let alpha = plan.alpha;
    let mut out = Comparison {
        variant,
        control: control_name,
        control_mean: 0.0,
        variant_mean: 0.0,
        diff: 0.0,
        relative_lift: None,
        welch: None,
        bootstrap: None,
        cuped: None,
        sequential: None,
        bayes: None,
        mann_whitney: None,
        p_value: None,
        adjusted_p_value: None,
        significant: false,
    };
    match (treatment, control) {
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
            (out.variant_mean, out.control_mean) = (mt.mean, mc.mean);
            out.welch = welch(&mt, &mc, alpha);
            let boot = &plan.bootstrap;
            if boot.resamples > 0 {
                out.bootstrap = bootstrap_mean_diff(t, c, boot.resamples, boot.seed, alpha);
            }
            if let (Some(tp), Some(cp)) = (t_pre, c_pre) {
                if plan.cuped.enabled {
                    let (ct, cc) = (CoMoments::from_values(t, tp), CoMoments::from_values(c, cp));
                    out.cuped = cuped(&ct, &cc, alpha);
                }
            }
            if plan.sequential.enabled {
                out.sequential = confidence_sequence(&mt, &mc, alpha, plan.sequential.tuning_n);
            }
            if plan.bayesian.enabled {
                out.bayes = bayes_lift(&mt, &mc, &plan.bayesian.prior, alpha);
            }
            if plan.distribution_test {
                out.mann_whitney = mann_whitney(t, c);
            }
        }
        (
            ArmSample::Ratio {
                numerator: tn,
                denominator: td,
                pre: t_pre,
            },
            ArmSample::Ratio {
                numerator: cn,
                denominator: cd,
                pre: c_pre,
            },
        ) => {
            let (t, c) = (
                CoMoments::from_values(tn, td),
                CoMoments::from_values(cn, cd),
            );
            (out.variant_mean, out.control_mean) = (ratio_of(&t), ratio_of(&c));
            out.welch = welch_ratio(&t, &c, alpha);
            ratio_readouts(&mut out, &t, &c, plan);
            if let (Some((tx, te)), Some((cx, ce))) = (t_pre, c_pre) {
                if plan.cuped.enabled {
                    let qt = QuadMoments::from_values(tn, td, tx, te);
                    let qc = QuadMoments::from_values(cn, cd, cx, ce);
                    out.cuped = cuped_ratio(&qt, &qc, alpha);
                }
            }
        }
        (ArmSample::Summary { y: mt, pre: t_pre }, ArmSample::Summary { y: mc, pre: c_pre }) => {
            // The same closed forms as `Mean`; the bootstrap and Mann–Whitney need rows.
            (out.variant_mean, out.control_mean) = (mt.mean, mc.mean);
            out.welch = welch(mt, mc, alpha);
            if let (Some(ct), Some(cc)) = (t_pre, c_pre) {
                if plan.cuped.enabled {
                    out.cuped = cuped(ct, cc, alpha);
                }
            }
            if plan.sequential.enabled {
                out.sequential = confidence_sequence(mt, mc, alpha, plan.sequential.tuning_n);
            }
            if plan.bayesian.enabled {
                out.bayes = bayes_lift(mt, mc, &plan.bayesian.prior, alpha);
            }
        }
        (
            ArmSample::RatioSummary {
                post: t,
                pre: t_pre,
            },
            ArmSample::RatioSummary {
                post: c,
                pre: c_pre,
            },
        ) => {
            (out.variant_mean, out.control_mean) = (ratio_of(t), ratio_of(c));
            out.welch = welch_ratio(t, c, alpha);
            ratio_readouts(&mut out, t, c, plan);
            if let (Some(qt), Some(qc)) = (t_pre, c_pre) {
                if plan.cuped.enabled {
                    out.cuped = cuped_ratio(qt, qc, alpha);
                }
            }
        }
        _ => {}
    }
    out.diff = out.variant_mean - out.control_mean;
    out.relative_lift = (out.control_mean != 0.0).then(|| out.diff / out.control_mean);
    out.p_value = out
        .cuped
        .as_ref()
        .map(|c| c.p_value)
        .or(out.welch.as_ref().map(|w| w.p_value));
    out.significant = out.p_value.is_some_and(|p| p < alpha);
    out
}

/// The sequential and Bayesian read-outs of a ratio metric, on the delta-method
/// difference of ratios (the same estimate as [`welch_ratio`]), when the plan asks.
fn ratio_readouts(out: &mut Comparison, t: &CoMoments, c: &CoMoments, plan: &Plan) {
    let Some(effect) = EffectEstimate::of_ratios(t, c) else {
        return;
    };
    if plan.sequential.enabled {
        out.sequential = confidence_sequence_of(&effect, plan.alpha, plan.sequential.tuning_n);
    }
    if plan.bayesian.enabled {
        out.bayes = bayes_lift_of(&effect, &plan.bayesian.prior, plan.alpha);
    }
}
