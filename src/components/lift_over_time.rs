//! Lift over time: each metric's relative lift with its interval band, by calendar
//! day (cumulative or daily) or by days since exposure, with an axis switch.

use crate::download::save_text;
use crate::state::SharedReport;
use leptos::prelude::*;
use splitscope_charts::{axis_label, lift_over_time_chart, TimeAxis};

/// The axes offered by the switch, with their button labels.
pub const AXES: [(TimeAxis, &str, &str); 3] = [
    (
        TimeAxis::CumulativeByDate,
        "Cumulative by day",
        "cumulative",
    ),
    (TimeAxis::DailyByDate, "Daily", "daily"),
    (
        TimeAxis::DaysSinceExposure,
        "Days since exposure",
        "since-exposure",
    ),
];

/// The charts of `report` on `axis`: `(title, file name, svg)` per metric that has a series.
pub fn lift_charts(
    report: &splitscope_engine::report::Report,
    axis: TimeAxis,
) -> Vec<(String, String, String)> {
    let slug = AXES.iter().find(|a| a.0 == axis).map_or("", |a| a.2);
    report
        .metrics
        .iter()
        .filter_map(|m| {
            let svg = lift_over_time_chart(report, &m.name, axis)?;
            let file: String = format!("lift-{}-{slug}.svg", m.name)
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || ".-".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            Some((
                format!("{} — lift {}", m.name, axis_label(axis).0),
                file,
                svg,
            ))
        })
        .collect()
}

/// The "Lift over time" section.
#[component]
pub fn LiftOverTime(report: SharedReport) -> impl IntoView {
    let axis = RwSignal::new(TimeAxis::CumulativeByDate);
    let has_any = !report.0.lift_over_time.is_empty();
    let charts = move || {
        lift_charts(&report.0, axis.get())
            .into_iter()
            .map(|(title, file, svg)| {
                let download = svg.clone();
                let name = file.clone();
                view! {
                    <figure class="chart" data-chart=file>
                        <figcaption>{title}</figcaption>
                        <div inner_html=svg></div>
                        <button class="secondary" on:click=move |_| { let _ = save_text(&name, "image/svg+xml", &download); }>
                            "Download SVG"
                        </button>
                    </figure>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel lift-over-time" data-testid="lift-over-time">
            <h3>"Lift over time"</h3>
            {if has_any {
                view! {
                    <div class="axis-switch" role="group" aria-label="Time axis">
                        {AXES.into_iter().map(|(a, label, slug)| view! {
                            <button
                                class=move || if axis.get() == a { "toggle active" } else { "toggle" }
                                aria-pressed=move || (axis.get() == a).to_string()
                                data-axis=slug
                                on:click=move |_| axis.set(a)
                            >{label}</button>
                        }).collect_view()}
                    </div>
                    <p class="hint">"Relative lift against the control with its interval as a band. A lift that fades by days since exposure suggests novelty; one that grows, primacy."</p>
                    <div class="lift-charts">{charts}</div>
                }.into_any()
            } else {
                view! { <p class="hint">"No lift over time in this report."</p> }.into_any()
            }}
        </section>
    }
}
