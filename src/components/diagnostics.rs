//! Diagnostics: row counts per stage, checks, and every excluded row with its reason.

use crate::state::SharedReport;
use leptos::prelude::*;

/// Counts, checks and bad rows (file, line, column, message).
#[component]
pub fn Diagnostics(report: SharedReport) -> impl IntoView {
    let d = report.0.diagnostics.clone();
    let inputs = report.0.inputs.clone();
    let x = &d.exposures;
    let e = &d.events;
    let counts: Vec<(&str, u64)> = vec![
        ("Exposure rows read", x.rows_read),
        ("Exposure rows unreadable", x.bad_rows),
        ("Exposure rows from bots/tests", x.bot_rows),
        ("Users (first exposures)", x.first_exposures),
        ("Repeat exposures (same variant)", x.repeat_exposures),
        (
            "Conflicting exposures (other variant)",
            x.conflicting_exposures,
        ),
        ("Users seen in several variants", x.multi_variant_users),
        ("…of which excluded", x.multi_variant_users_excluded),
        ("Event rows read", e.rows_read),
        ("Event rows unreadable", e.bad_rows),
        ("Event rows from bots/tests", e.bot_rows),
        ("Events of unexposed users", e.unknown_user),
        ("Events of excluded users", e.excluded_user),
        ("Events before exposure", e.before_exposure),
        ("Events in the window", e.in_window),
        ("Events after the window", e.after_window),
        ("Users analysed", d.users_analysed),
    ];
    view! {
        <section class="panel" data-testid="diagnostics">
            <h3>"Diagnostics"</h3>
            <p class="inputs-hash" data-testid="sha256">
                {format!("{}: {} bytes, SHA-256 {}", inputs.exposures.name, inputs.exposures.bytes, inputs.exposures.sha256)}
                <br />
                {format!("{}: {} bytes, SHA-256 {}", inputs.events.name, inputs.events.bytes, inputs.events.sha256)}
            </p>
            <table class="counts">
                <tbody>{counts.into_iter().map(|(k, v)| view! { <tr><td>{k}</td><td>{v}</td></tr> }).collect_view()}</tbody>
            </table>
            <ul class="checks">
                {d.checks.into_iter().map(|c| view! {
                    <li class=if c.passed { "pass" } else { "fail" }>{if c.passed { "✓ " } else { "✗ " }} {c.name} ": " {c.detail}</li>
                }).collect_view()}
            </ul>
            {(d.bad_rows_total > 0).then(|| view! {
                <h4>{format!("Skipped rows ({} in total, first {} listed)", d.bad_rows_total, d.bad_rows.len())}</h4>
                <table data-testid="bad-rows">
                    <thead><tr><th>"File"</th><th>"Line"</th><th>"Column"</th><th>"Problem"</th></tr></thead>
                    <tbody>
                        {d.bad_rows.into_iter().map(|b| view! {
                            <tr><td>{b.file}</td><td>{b.line}</td><td>{b.column.unwrap_or_default()}</td><td>{b.message}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
