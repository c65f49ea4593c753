//! Per-metric comparisons: difference, relative lift, Welch CI and p, the p-value
//! adjusted over the family, bootstrap CI, CUPED, and — when the plan asks for them —
//! the sequential (always-valid) interval, the Bayesian read-out and the
//! Mann–Whitney distribution test; capping cut points above the metric's table.

use crate::format::{interval, mean, opt, p_value, percent};
use crate::state::SharedReport;
use leptos::prelude::*;
use splitscope_engine::infer::Correction;
use splitscope_engine::report::{CapBounds, FamilyCorrection};

/// The sentence naming the multiple-testing correction.
pub fn correction_line(c: &FamilyCorrection) -> String {
    let tests = if c.family_size == 1 { "test" } else { "tests" };
    match c.method {
        Correction::None => format!(
            "No multiple-testing correction (family of {} primary {tests}): adjusted p equals p.",
            c.family_size
        ),
        Correction::Holm => format!(
            "Adjusted p: Holm (family-wise error rate) over a family of {} primary {tests}.",
            c.family_size
        ),
        Correction::BenjaminiHochberg => format!(
            "Adjusted p: Benjamini–Hochberg (false discovery rate) over a family of {} primary {tests}.",
            c.family_size
        ),
    }
}

/// The sentence giving capping cut points.
pub fn capping_line(c: &CapBounds) -> String {
    let side = |q: Option<f64>, v: Option<f64>, word: &str| {
        q.map(|q| {
            format!(
                "{word} at the {} percentile = {}",
                mean(q * 100.0),
                opt(v, mean)
            )
        })
    };
    let parts: Vec<String> = [
        side(c.lower_quantile, c.lower, "raised"),
        side(c.upper_quantile, c.upper, "lowered"),
    ]
    .into_iter()
    .flatten()
    .collect();
    format!("Capped (both arms pooled): values {}.", parts.join(", "))
}

/// One table per metric, one row per non-control variant.
#[component]
pub fn MetricComparisons(report: SharedReport) -> impl IntoView {
    let metrics = report.0.metrics.clone();
    let alpha = report.0.plan.alpha;
    let level = format!("{:.0}%", (1.0 - alpha) * 100.0);
    let correction = correction_line(&report.0.correction);
    view! {
        <section class="panel" data-testid="comparisons">
            <h3>"Metric comparisons (" {level} " intervals)"</h3>
            <p class="hint" data-testid="correction">{correction}</p>
            {metrics.into_iter().map(|m| {
                let seq = m.comparisons.iter().any(|c| c.sequential.is_some());
                let bayes = m.comparisons.iter().any(|c| c.bayes.is_some());
                let mw = m.comparisons.iter().any(|c| c.mann_whitney.is_some());
                view! {
                <h4>{m.name.clone()} <span class="muted">{format!(" · {} · {:?}", m.kind, m.role).to_lowercase()}</span></h4>
                {m.capping.as_ref().map(|c| view! { <p class="hint" data-testid="capping">{capping_line(c)}</p> })}
                <table data-metric=m.name.clone()>
                    <thead><tr>
                        <th>"Variant"</th><th>"Control mean"</th><th>"Variant mean"</th><th>"Difference"</th>
                        <th>"Lift"</th><th>"Welch CI"</th><th>"Welch p"</th><th title="the p-value the decision uses (CUPED when enabled)">"p"</th><th>"Adjusted p"</th><th>"Bootstrap CI"</th>
                        <th>"CUPED diff"</th><th>"CUPED CI"</th>
                        {seq.then(|| view! { <th title="always valid: may be read every day">"Sequential CI"</th> })}
                        {bayes.then(|| view! { <th>"Chance to beat control"</th><th>"Expected loss"</th> })}
                        {mw.then(|| view! { <th>"Mann–Whitney p (distribution test, not means)"</th> })}
                        <th>"Significant"</th>
                    </tr></thead>
                    <tbody>
                        {m.comparisons.into_iter().map(|c| view! {
                            <tr data-variant=c.variant.clone()>
                                <td>{c.variant.clone()}</td>
                                <td>{mean(c.control_mean)}</td>
                                <td>{mean(c.variant_mean)}</td>
                                <td class="diff" data-value=c.diff.to_string()>{mean(c.diff)}</td>
                                <td>{opt(c.relative_lift, percent)}</td>
                                <td>{opt(c.welch.as_ref().map(|w| w.ci), interval)}</td>
                                <td>{opt(c.welch.as_ref().map(|w| w.p_value), p_value)}</td>
                                <td class="p">{opt(c.p_value, p_value)}</td>
                                <td class="adjusted-p">{opt(c.adjusted_p_value, p_value)}</td>
                                <td>{opt(c.bootstrap.as_ref().map(|b| b.ci), interval)}</td>
                                <td>{opt(c.cuped.as_ref().map(|x| x.diff), mean)}</td>
                                <td>{opt(c.cuped.as_ref().map(|x| x.ci), interval)}</td>
                                {seq.then(|| view! { <td class="sequential-ci">{opt(c.sequential.as_ref().map(|s| s.ci), interval)}</td> })}
                                {bayes.then(|| view! {
                                    <td class="chance-to-beat">{opt(c.bayes.as_ref().map(|b| b.chance_to_beat_control), |x| format!("{:.1}%", x * 100.0))}</td>
                                    <td class="expected-loss">{opt(c.bayes.as_ref().map(|b| b.expected_loss_variant), |x| format!("{:.2}%", x * 100.0))}</td>
                                })}
                                {mw.then(|| view! { <td class="mann-whitney-p">{opt(c.mann_whitney.as_ref().map(|x| x.p_value), p_value)}</td> })}
                                <td>{if c.significant { "yes" } else { "no" }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }}).collect_view()}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_correction_and_the_cut_points() {
        let c = FamilyCorrection {
            method: Correction::Holm,
            family_size: 4,
        };
        assert!(correction_line(&c).contains("Holm"));
        assert!(correction_line(&c).contains("family of 4"));
        let cap = CapBounds {
            lower_quantile: None,
            upper_quantile: Some(0.99),
            lower: None,
            upper: Some(120.5),
        };
        assert_eq!(
            capping_line(&cap),
            "Capped (both arms pooled): values lowered at the 99.0 percentile = 120.5."
        );
    }
}
