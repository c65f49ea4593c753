//! Guardrails and the verdict: invalid (SRM) → blocked (guardrail) → ship /
//! don't ship / inconclusive on the primary metrics.

use super::{Comparison, Decision, GuardrailResult, GuardrailStatus, MetricResult, Verdict};
use crate::plan::{Direction, Plan, Role};
use crate::validate::Srm;

/// The estimate a decision reads: CUPED when present, else Welch.
struct Estimate {
    diff: f64,
    p_value: f64,
    relative_lift: Option<f64>,
    relative_ci: Option<[f64; 2]>,
}

/// The deciding estimate; its p-value is the family-adjusted one for primary metrics.
fn estimate(c: &Comparison) -> Option<Estimate> {
    if let Some(cu) = &c.cuped {
        return Some(Estimate {
            diff: cu.diff,
            p_value: c.adjusted_p_value.unwrap_or(cu.p_value),
            relative_lift: cu.relative_lift,
            relative_ci: cu.relative_ci,
        });
    }
    c.welch.as_ref().map(|w| Estimate {
        diff: w.diff,
        p_value: c.adjusted_p_value.unwrap_or(w.p_value),
        relative_lift: w.relative_lift,
        relative_ci: w.relative_ci,
    })
}

fn percent(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{:+.2}%", v * 100.0))
}

/// Checks every guardrail metric for every variant.
///
/// A guardrail fails when its change is significant (p < alpha) in the harmful
/// direction, and warns when the harmful end of its relative interval reaches past
/// the tolerated `margin` (or when it cannot be tested).
pub fn guardrail_status(metrics: &[MetricResult], plan: &Plan) -> Vec<GuardrailResult> {
    let mut out = Vec::new();
    for metric in metrics.iter().filter(|m| m.role == Role::Guardrail) {
        let margin = plan.metric(&metric.name).and_then(|s| s.margin);
        for c in &metric.comparisons {
            let (status, reason) = judge(metric, c, margin, plan.alpha);
            out.push(GuardrailResult {
                metric: metric.name.clone(),
                variant: c.variant.clone(),
                status,
                reason,
            });
        }
    }
    out
}

fn judge(
    metric: &MetricResult,
    c: &Comparison,
    margin: Option<f64>,
    alpha: f64,
) -> (GuardrailStatus, String) {
    let Some(e) = estimate(c) else {
        return (
            GuardrailStatus::Warn,
            format!(
                "{} could not be tested for {} (too few users or no variance).",
                metric.name, c.variant
            ),
        );
    };
    let harmful = e.diff * metric.good_direction.sign() < 0.0;
    let lift = percent(e.relative_lift);
    if harmful && e.p_value < alpha {
        return (
            GuardrailStatus::Fail,
            format!(
                "{} got significantly worse in {} ({lift}, p = {:.4}).",
                metric.name, c.variant, e.p_value
            ),
        );
    }
    if let (Some(margin), Some([low, high])) = (margin, e.relative_ci) {
        let worst = match metric.good_direction {
            Direction::Increase => -low,
            Direction::Decrease => high,
        };
        if worst > margin {
            return (
                GuardrailStatus::Warn,
                format!(
                    "{} in {} is not significantly worse ({lift}, p = {:.4}), but its interval reaches {:.2}% past the tolerated {:.2}%.",
                    metric.name, c.variant, e.p_value, worst * 100.0, margin * 100.0
                ),
            );
        }
    }
    (
        GuardrailStatus::Pass,
        format!(
            "{} holds in {} ({lift}, p = {:.4}).",
            metric.name, c.variant, e.p_value
        ),
    )
}

/// The verdict with its reason.
pub fn decide(
    srm: &Srm,
    guardrails: &[GuardrailResult],
    metrics: &[MetricResult],
    plan: &Plan,
) -> Decision {
    let decision = |verdict, reason: String| Decision { verdict, reason };
    if srm.flagged {
        let p = srm.p_value.map_or("n/a".into(), |p| format!("{p:.2e}"));
        return decision(
            Verdict::Invalid,
            format!(
                "Sample ratio mismatch (p = {p} < {}): users per variant do not match the planned split, so no metric can be trusted; check assignment, logging and filters first.",
                srm.threshold
            ),
        );
    }
    if let Some(failed) = guardrails
        .iter()
        .find(|g| g.status == GuardrailStatus::Fail)
    {
        return decision(
            Verdict::Blocked,
            format!("Blocked by a guardrail: {}", failed.reason),
        );
    }
    let primaries: Vec<&MetricResult> =
        metrics.iter().filter(|m| m.role == Role::Primary).collect();
    if primaries.is_empty() {
        return decision(
            Verdict::Inconclusive,
            "The plan names no primary metric to decide on.".into(),
        );
    }
    let level = format!("{:.0}%", (1.0 - plan.alpha) * 100.0);
    let mut best: Option<(f64, String)> = None;
    let mut loss: Option<String> = None;
    let variants: Vec<&str> = primaries
        .iter()
        .take(1)
        .flat_map(|m| m.comparisons.iter())
        .map(|c| c.variant.as_str())
        .collect();
    for variant in variants {
        let mut wins = Vec::new();
        let mut lost = false;
        for m in &primaries {
            let Some(c) = m.comparisons.iter().find(|c| c.variant == variant) else {
                continue;
            };
            let Some(e) = estimate(c).filter(|e| e.p_value < plan.alpha) else {
                continue;
            };
            let good = e.diff * m.good_direction.sign() > 0.0;
            let ci = e.relative_ci.map_or(String::new(), |[l, h]| {
                format!(", {level} CI {} to {}", percent(Some(l)), percent(Some(h)))
            });
            let line = format!(
                "{} {} by {}{ci}, p = {:.4}",
                m.name,
                if good { "improved" } else { "got worse" },
                percent(e.relative_lift),
                e.p_value
            );
            if good {
                wins.push((e.relative_lift.unwrap_or(0.0).abs(), line));
            } else {
                lost = true;
                loss.get_or_insert(format!("In {variant}, {line}."));
            }
        }
        if !lost {
            if let Some((lift, line)) = wins.into_iter().max_by(|a, b| a.0.total_cmp(&b.0)) {
                if best.as_ref().is_none_or(|b| lift > b.0) {
                    best = Some((
                        lift,
                        format!("Ship {variant}: {line}, and no guardrail failed."),
                    ));
                }
            }
        }
    }
    if let Some((_, reason)) = best {
        return decision(Verdict::Ship, reason);
    }
    if let Some(reason) = loss {
        return decision(Verdict::DontShip, format!("Don't ship: {reason}"));
    }
    let summary: Vec<String> = primaries
        .iter()
        .flat_map(|m| m.comparisons.iter().map(move |c| (m, c)))
        .map(|(m, c)| match estimate(c) {
            Some(e) => format!(
                "{} in {}: {}, p = {:.3}",
                m.name,
                c.variant,
                percent(e.relative_lift),
                e.p_value
            ),
            None => format!("{} in {}: not testable", m.name, c.variant),
        })
        .collect();
    decision(
        Verdict::Inconclusive,
        format!("No primary metric moved significantly at alpha = {} ({}); the data cannot tell the variants apart yet.", plan.alpha, summary.join("; ")),
    )
}
