//! Run button, progress bar with the stage name, and Cancel.

use crate::state::{AppState, RunState};
use leptos::prelude::*;
use splitscope_engine::plan::OnBadRow;

/// The run controls and status.
#[component]
pub fn RunPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let running = move || state.run.with(RunState::is_running);
    let can_run = move || {
        !running() && state.exposures.with(Option::is_some) && state.events.with(Option::is_some)
    };
    view! {
        <section class="run">
            <h2>"2. Run"</h2>
            <div class="buttons">
                <button data-testid="run" disabled=move || !can_run() on:click=move |_| state.start_run()>"Analyse"</button>
                <button class="secondary" data-testid="cancel" disabled=move || !running() on:click=move |_| state.cancel()>"Cancel"</button>
            </div>
            <div class="status" data-testid="run-status" aria-live="polite">
                {move || match state.run.get() {
                    RunState::Starting => view! { <span class="muted">"Starting the analysis worker…"</span> }.into_any(),
                    RunState::Idle => view! { <span class="muted">"Ready."</span> }.into_any(),
                    RunState::Running { label, fraction } => view! {
                        <progress data-testid="progress" max="1" value=fraction></progress>
                        <span data-testid="stage">{label} " — " {format!("{:.0}%", fraction * 100.0)}</span>
                    }.into_any(),
                    RunState::Done(ms) => view! { <span data-testid="done">{format!("Done in {:.0} ms.", ms)}</span> }.into_any(),
                    RunState::Cancelled => view! { <span data-testid="cancelled">"Cancelled."</span> }.into_any(),
                    RunState::Failed(message) => view! {
                        <p class="error" role="alert" data-testid="error">{message}</p>
                        {move || state.failure_location.get().map(|_| view! {
                            <button class="secondary" data-testid="skip-bad-rows" on:click=move |_| {
                                state.plan.update(|p| p.on_bad_row = OnBadRow::Skip);
                                state.start_run();
                            }>"Skip bad rows and run again"</button>
                        })}
                    }.into_any(),
                }}
            </div>
        </section>
    }
}
