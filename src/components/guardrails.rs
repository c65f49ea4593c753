//! Guardrail status per guardrail metric and variant.

use crate::state::SharedReport;
use leptos::prelude::*;
use splitscope_engine::report::GuardrailStatus;

fn status_label(s: GuardrailStatus) -> (&'static str, &'static str) {
    match s {
        GuardrailStatus::Pass => ("pass", "✓ pass"),
        GuardrailStatus::Warn => ("warn", "! warn"),
        GuardrailStatus::Fail => ("fail", "✗ fail"),
    }
}

/// Pass / warn / fail with the reason, or a note when the plan has no guardrails.
#[component]
pub fn Guardrails(report: SharedReport) -> impl IntoView {
    let rows = report.0.guardrails.clone();
    view! {
        <section class="panel" data-testid="guardrails">
            <h3>"Guardrails"</h3>
            {if rows.is_empty() {
                view! { <p class="muted">"The plan has no guardrail metrics."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr><th>"Metric"</th><th>"Variant"</th><th>"Status"</th><th>"Why"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|g| {
                                let (class, label) = status_label(g.status);
                                view! { <tr><td>{g.metric}</td><td>{g.variant}</td><td class=class>{label}</td><td>{g.reason}</td></tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
