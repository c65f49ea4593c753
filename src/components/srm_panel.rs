//! Sample-ratio-mismatch panel, with an unmissable warning when flagged.

use crate::format::{mean, opt, p_value, rate};
use crate::state::SharedReport;
use leptos::prelude::*;

/// Observed vs expected users per variant and the chi-square test.
#[component]
pub fn SrmPanel(report: SharedReport) -> impl IntoView {
    let srm = report.0.srm.clone();
    view! {
        <section class="panel srm" data-testid="srm">
            <h3>"Sample ratio check"</h3>
            {srm.flagged.then(|| view! {
                <p class="alarm" role="alert" data-testid="srm-warning">
                    "⚠ Sample ratio mismatch: the split of users differs from the plan (p = "
                    {opt(srm.p_value, p_value)}
                    "). Assignment or logging is broken; do not read the metrics."
                </p>
            })}
            <p>
                "χ² p-value " {opt(srm.p_value, p_value)} " (flagged below " {srm.threshold} ", df " {srm.df} ")"
            </p>
            <table>
                <thead><tr><th>"Variant"</th><th>"Observed"</th><th>"Expected"</th><th>"Expected share"</th></tr></thead>
                <tbody>
                    {srm.arms.into_iter().map(|a| view! {
                        <tr><td>{a.variant}</td><td>{a.observed}</td><td>{mean(a.expected)}</td><td>{rate(a.expected_share)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
