//! Per-metric comparisons: difference, relative lift, Welch CI and p, bootstrap CI, CUPED.

use crate::format::{interval, mean, opt, p_value, percent};
use crate::state::SharedReport;
use leptos::prelude::*;

/// One table per metric, one row per non-control variant.
#[component]
pub fn MetricComparisons(report: SharedReport) -> impl IntoView {
    let metrics = report.0.metrics.clone();
    let alpha = report.0.plan.alpha;
    let level = format!("{:.0}%", (1.0 - alpha) * 100.0);
    view! {
        <section class="panel" data-testid="comparisons">
            <h3>"Metric comparisons (" {level} " intervals)"</h3>
            {metrics.into_iter().map(|m| view! {
                <h4>{m.name.clone()} <span class="muted">{format!(" · {} · {:?}", m.kind, m.role).to_lowercase()}</span></h4>
                <table data-metric=m.name.clone()>
                    <thead><tr>
                        <th>"Variant"</th><th>"Control mean"</th><th>"Variant mean"</th><th>"Difference"</th>
                        <th>"Lift"</th><th>"Welch CI"</th><th>"Welch p"</th><th>"Bootstrap CI"</th>
                        <th>"CUPED diff"</th><th>"CUPED CI"</th><th>"Significant"</th>
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
                                <td>{opt(c.bootstrap.as_ref().map(|b| b.ci), interval)}</td>
                                <td>{opt(c.cuped.as_ref().map(|x| x.diff), mean)}</td>
                                <td>{opt(c.cuped.as_ref().map(|x| x.ci), interval)}</td>
                                <td>{if c.significant { "yes" } else { "no" }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }).collect_view()}
        </section>
    }
}
