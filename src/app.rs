//! The page: header, privacy line, inputs, plan, run panel and results.

use crate::components::{
    charts::Charts, diagnostics::Diagnostics, exports::Exports, file_drop::FileDrop,
    guardrails::Guardrails, metric_comparisons::MetricComparisons, plan_editor::PlanEditor,
    run_panel::RunPanel, srm_panel::SrmPanel, variant_table::VariantTable, verdict::VerdictLine,
};
use crate::plan_url;
use crate::state::AppState;
use leptos::prelude::*;

/// The whole Splitscope page.
#[component]
pub fn App() -> impl IntoView {
    let debug = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .is_some_and(|h| h.contains("debug"));
    let (plan, plan_error) = plan_url::plan_from_location();
    let state = AppState::new(plan);
    provide_context(state);
    plan_url::sync_plan_to_url(state);

    view! {
        <header class="top">
            <h1>"Splitscope"</h1>
            <p class="tagline">"A/B-test analysis in your browser."</p>
            <p class="privacy" data-testid="privacy">
                "Your files never leave this browser: they are read and analysed on this machine, and nothing is uploaded."
            </p>
        </header>
        <main>
            {plan_error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <section class="inputs">
                <h2>"1. Data"</h2>
                <div class="drops">
                    <FileDrop which=crate::components::file_drop::Which::Exposures />
                    <FileDrop which=crate::components::file_drop::Which::Events />
                </div>
                <crate::components::example_button::ExampleButton />
                <crate::components::column_mapping::ColumnMapping />
            </section>
            <PlanEditor />
            <RunPanel />
            {debug.then(|| view! {
                <button class="secondary" data-testid="crash" on:click=move |_| state.crash_worker()>
                    "Crash the worker (test)"
                </button>
            })}
            <Results />
            <crate::components::power::Power />
        </main>
        <footer>
            <span>"Engine " {move || state.engine_version.get()}</span>
        </footer>
    }
}

/// The report, once there is one.
#[component]
fn Results() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.report.get().map(|r| {
            view! {
                <section class="results" data-testid="results">
                    <h2>"3. Results"</h2>
                    <VerdictLine report=r.clone() />
                    <SrmPanel report=r.clone() />
                    <VariantTable report=r.clone() />
                    <MetricComparisons report=r.clone() />
                    <crate::components::lift_over_time::LiftOverTime report=r.clone() />
                    <crate::components::segments::Segments report=r.clone() />
                    <Charts report=r.clone() />
                    <Guardrails report=r.clone() />
                    <Diagnostics report=r.clone() />
                    <Exports report=r />
                </section>
            }
        })
    }
}
