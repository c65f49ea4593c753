//! "Load course example": fetches the course's two CSVs shipped in `public/example/`.

use crate::state::{AppState, ChosenFile, RunState};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, Response};

/// Fetches one shipped example file (same origin, relative URL) as a `File`.
async fn fetch_file(name: &str) -> Result<File, String> {
    let window = web_sys::window().ok_or("no window")?;
    let url = format!("example/{name}");
    let resp = JsFuture::from(window.fetch_with_str(&url))
        .await
        .map_err(|e| format!("{e:?}"))?;
    let resp: Response = resp.dyn_into().map_err(|_| "not a response".to_string())?;
    if !resp.ok() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    let blob = JsFuture::from(resp.blob().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let parts = js_sys::Array::of1(&blob);
    let opts = web_sys::FilePropertyBag::new();
    opts.set_type("text/csv");
    File::new_with_blob_sequence_and_options(&JsValue::from(parts), name, &opts)
        .map_err(|e| format!("{e:?}"))
}

/// Button that loads the course example and runs it.
#[component]
pub fn ExampleButton() -> impl IntoView {
    let state = expect_context::<AppState>();
    let load = move |_| {
        leptos::task::spawn_local(async move {
            match (
                fetch_file("exposures.csv").await,
                fetch_file("events.csv").await,
            ) {
                (Ok(exposures), Ok(events)) => {
                    state.exposures.set(Some(ChosenFile { file: exposures }));
                    state.events.set(Some(ChosenFile { file: events }));
                    state.start_run();
                }
                (Err(e), _) | (_, Err(e)) => state
                    .run
                    .set(RunState::Failed(format!("cannot load the example: {e}"))),
            }
        });
    };
    view! {
        <button class="secondary" data-testid="load-example" on:click=load>
            "Load course example"
        </button>
    }
}
