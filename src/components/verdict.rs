//! The verdict line: ship / don't ship / blocked / invalid / inconclusive, with its reason.

use crate::state::SharedReport;
use leptos::prelude::*;
use splitscope_engine::report::Verdict;

/// CSS class of a verdict.
pub fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Ship => "verdict ship",
        Verdict::DontShip => "verdict dont-ship",
        Verdict::Blocked => "verdict blocked",
        Verdict::Invalid => "verdict invalid",
        Verdict::Inconclusive => "verdict inconclusive",
    }
}

/// The one-line recommendation, first thing in the results.
#[component]
pub fn VerdictLine(report: SharedReport) -> impl IntoView {
    let d = &report.0.decision;
    view! {
        <p class=verdict_class(d.verdict) data-testid="verdict">
            <strong>{format!("Verdict: {}", d.verdict.label())}</strong>
            " — "
            <span>{d.reason.clone()}</span>
        </p>
    }
}
