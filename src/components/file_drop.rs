//! A file input with drag-and-drop for the exposures or the events CSV.

use crate::format::bytes;
use crate::state::{AppState, ChosenFile};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, HtmlInputElement};

/// Which input file a [`FileDrop`] sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// Who saw which variant, when.
    Exposures,
    /// What users did, when.
    Events,
}

impl Which {
    fn title(self) -> &'static str {
        match self {
            Which::Exposures => "Exposures CSV",
            Which::Events => "Events CSV",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Which::Exposures => "user_id, variant, exposure_ts",
            Which::Events => "user_id, event, amount, event_ts",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Which::Exposures => "exposures",
            Which::Events => "events",
        }
    }
}

/// Drop zone plus file input; keeps the chosen `File` (never its bytes) in the state.
#[component]
pub fn FileDrop(which: Which) -> impl IntoView {
    let state = expect_context::<AppState>();
    let slot = match which {
        Which::Exposures => state.exposures,
        Which::Events => state.events,
    };
    let headers = match which {
        Which::Exposures => state.exposures_headers,
        Which::Events => state.events_headers,
    };
    let (hover, set_hover) = signal(false);
    let choose = move |file: Option<File>| {
        if let Some(file) = file {
            slot.set(Some(ChosenFile { file }));
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
        choose(input.and_then(|i| i.files()).and_then(|f| f.get(0)));
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        set_hover.set(false);
        choose(
            ev.data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0)),
        );
    };
    let input_id = format!("file-{}", which.id());
    view! {
        <div
            class="drop"
            class:hover=move || hover.get()
            data-testid=format!("drop-{}", which.id())
            on:dragover=move |ev: DragEvent| { ev.prevent_default(); set_hover.set(true); }
            on:dragleave=move |_| set_hover.set(false)
            on:drop=on_drop
        >
            <label for=input_id.clone()>{which.title()}</label>
            <input id=input_id type="file" accept=".csv,text/csv" on:change=on_change />
            <p class="hint">"Drop a file here or choose one. Columns: " {which.hint()}</p>
            <p class="chosen" data-testid=format!("chosen-{}", which.id())>
                {move || slot.with(|f| f.as_ref().map(|f| format!("{} ({})", f.name(), bytes(f.size()))))}
            </p>
            {move || slot.get().map(|f| view! { <crate::components::preview::Preview file=f.file headers /> })}
        </div>
    }
}
