//! Exports: the report JSON (the CLI's schema), a self-contained HTML report (tables and
//! inline SVG charts, opens offline) and the summary CSV. Charts export from their panel.

use crate::download::save_text;
use crate::state::{AppState, RunState, SharedReport};
use leptos::prelude::*;
use splitscope_charts::{html_report, summary_csv};

/// Download buttons for the current report.
#[component]
pub fn Exports(report: SharedReport) -> impl IntoView {
    let state = expect_context::<AppState>();
    let report_json = report.clone();
    let report_html = report.clone();
    let save = move |name: &str, mime: &str, text: &str| {
        if let Err(e) = save_text(name, mime, text) {
            state.run.set(RunState::Failed(e));
        }
    };
    view! {
        <section class="panel" data-testid="exports">
            <h3>"Export"</h3>
            <div class="buttons">
                <button class="secondary" data-testid="export-json"
                    on:click=move |_| save("splitscope-report.json", "application/json", &report_json.1)>
                    "Report JSON"
                </button>
                <button class="secondary" data-testid="export-html"
                    on:click=move |_| save("splitscope-report.html", "text/html", &html_report(&report_html.0))>
                    "HTML report"
                </button>
                <button class="secondary" data-testid="export-csv"
                    on:click=move |_| save("splitscope-summary.csv", "text/csv", &summary_csv(&report.0))>
                    "Summary CSV"
                </button>
            </div>
        </section>
    }
}
