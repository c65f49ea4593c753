//! Per-segment results: users per variant, SRM within the segment, and the primary
//! metric's lift with its p-value and family-adjusted p-value.

use crate::format::{opt, p_value, percent};
use crate::state::SharedReport;
use leptos::prelude::*;
use splitscope_engine::plan::Role;
use splitscope_engine::report::{Report, SegmentResult};

/// The segment columns of `report`, in order of first appearance.
pub fn segment_columns(report: &Report) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in &report.segments {
        if !out.contains(&s.column) {
            out.push(s.column.clone());
        }
    }
    out
}

/// The metric whose lift the segment tables show: the first primary one, else the first.
pub fn primary_metric(report: &Report) -> Option<String> {
    report
        .metrics
        .iter()
        .find(|m| m.role == Role::Primary)
        .or_else(|| report.metrics.first())
        .map(|m| m.name.clone())
}

/// One cell per comparison of `metric` in `segment`, joined (`variant: value`) when
/// there are several treatments.
fn per_comparison(
    segment: &SegmentResult,
    metric: &str,
    f: impl Fn(&splitscope_engine::report::Comparison) -> String,
) -> String {
    let Some(m) = segment.metrics.iter().find(|m| m.name == metric) else {
        return "—".into();
    };
    match m.comparisons.as_slice() {
        [] => "—".into(),
        [c] => f(c),
        many => many
            .iter()
            .map(|c| format!("{}: {}", c.variant, f(c)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The "Segments" section.
#[component]
pub fn Segments(report: SharedReport) -> impl IntoView {
    let r = &report.0;
    let columns = segment_columns(r);
    let variants: Vec<String> = r.variants.iter().map(|v| v.name.clone()).collect();
    let metric = primary_metric(r).unwrap_or_default();
    let body = if columns.is_empty() {
        view! {
            <p class="hint" data-testid="segments-empty">
                "No segment columns in this analysis. Name exposure columns such as country or device under "
                "“Segment columns” in the plan to see results per segment."
            </p>
        }
        .into_any()
    } else {
        columns
            .into_iter()
            .map(|column| {
                let rows: Vec<SegmentResult> = r
                    .segments
                    .iter()
                    .filter(|s| s.column == column)
                    .cloned()
                    .collect();
                let variants = variants.clone();
                let metric = metric.clone();
                view! {
                    <h4>"By " {column.clone()}</h4>
                    <table data-segment-column=column.clone()>
                        <thead><tr>
                            <th>{column.clone()}</th>
                            {variants.iter().map(|v| view! { <th>"Users: " {v.clone()}</th> }).collect_view()}
                            <th>"SRM"</th>
                            <th>{format!("Lift ({metric})")}</th>
                            <th>"p"</th>
                            <th>"Adjusted p"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|s| {
                                let users: Vec<String> = variants.iter().map(|v| {
                                    s.variants.iter().find(|x| &x.name == v).map_or("0".to_string(), |x| x.users.to_string())
                                }).collect();
                                let flagged = s.srm.flagged;
                                let lift = per_comparison(&s, &metric, |c| opt(c.relative_lift, percent));
                                let p = per_comparison(&s, &metric, |c| opt(c.p_value, p_value));
                                let adj = per_comparison(&s, &metric, |c| opt(c.adjusted_p_value, p_value));
                                view! {
                                    <tr data-segment=s.value.clone() class:srm-flagged=flagged>
                                        <td>{s.value.clone()}</td>
                                        {users.into_iter().map(|u| view! { <td>{u}</td> }).collect_view()}
                                        <td class="srm-cell">{if flagged {
                                            format!("⚠ mismatch (p = {})", opt(s.srm.p_value, p_value))
                                        } else {
                                            "ok".to_string()
                                        }}</td>
                                        <td>{lift}</td>
                                        <td>{p}</td>
                                        <td>{adj}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="panel segments" data-testid="segments">
            <h3>"Segments"</h3>
            {body}
        </section>
    }
}
