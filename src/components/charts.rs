//! Charts (plotters SVG from `splitscope_charts`, drawn here on the main thread): forest
//! plot of lifts, bootstrap distributions, cumulative conversion and revenue, SRM.
//! Each chart can be saved as an SVG file.

use crate::download::save_text;
use crate::state::SharedReport;
use leptos::prelude::*;
use splitscope_charts::{
    bootstrap_histogram, forest_plot, srm_chart, timeline_chart, TimelineMetric,
};

/// A titled chart: SVG from the charts crate (which escapes all text) and a download button.
#[component]
fn Chart(title: String, file: String, svg: String) -> impl IntoView {
    let download_svg = svg.clone();
    let chart_id = file.clone();
    view! {
        <figure class="chart panel" data-chart=chart_id>
            <figcaption>{title}</figcaption>
            <div inner_html=svg></div>
            <button class="secondary" on:click=move |_| { let _ = save_text(&file, "image/svg+xml", &download_svg); }>
                "Download SVG"
            </button>
        </figure>
    }
}

/// Every chart of a report, in reading order.
pub fn chart_list(report: &splitscope_engine::report::Report) -> Vec<(String, String, String)> {
    let mut charts = vec![
        (
            "Lift per metric with confidence intervals".to_string(),
            "forest.svg".to_string(),
            forest_plot(report),
        ),
        (
            "Users per variant: observed vs expected".into(),
            "srm.svg".into(),
            srm_chart(report),
        ),
        (
            "Cumulative conversion rate".into(),
            "cumulative-conversion.svg".into(),
            timeline_chart(report, TimelineMetric::ConversionRate),
        ),
        (
            "Cumulative revenue per user".into(),
            "cumulative-revenue.svg".into(),
            timeline_chart(report, TimelineMetric::RevenuePerUser),
        ),
    ];
    for m in &report.metrics {
        for c in &m.comparisons {
            if let Some(svg) = bootstrap_histogram(report, &m.name, &c.variant) {
                let safe: String = format!("bootstrap-{}-{}.svg", m.name, c.variant)
                    .chars()
                    .map(|ch| {
                        if ch.is_ascii_alphanumeric() || ".-".contains(ch) {
                            ch
                        } else {
                            '_'
                        }
                    })
                    .collect();
                charts.push((
                    format!(
                        "Bootstrap distribution: {} ({} − {})",
                        m.name, c.variant, c.control
                    ),
                    safe,
                    svg,
                ));
            }
        }
    }
    charts
}

/// The charts section.
#[component]
pub fn Charts(report: SharedReport) -> impl IntoView {
    let charts = chart_list(&report.0);
    view! {
        <section class="charts" data-testid="charts">
            {charts.into_iter().map(|(title, file, svg)| view! { <Chart title file svg /> }).collect_view()}
        </section>
    }
}
