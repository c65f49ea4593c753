//! The page's handle on the analysis worker: spawn, send, cancel (terminate + respawn).

use crate::protocol::{Request, Response, EVENTS_KEY, EXPOSURES_KEY, MSG_KEY};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, File, MessageEvent, Worker};

/// File name of the worker's loader script in `dist/` (Trunk's `data-loader-shim`).
pub const WORKER_SCRIPT: &str = "worker_loader.js";

/// What the worker reported.
#[derive(Debug, Clone)]
pub enum HostEvent {
    /// A protocol message.
    Message(Response),
    /// The worker died (uncaught error, failed load); it must be replaced.
    Crashed(String),
}

/// A running worker and its event handlers; dropping it terminates the worker.
pub struct WorkerHost {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

/// The worker script's URL, resolved against `document.baseURI` so the app works
/// under any sub-path.
pub fn worker_url() -> Result<String, String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let base = document
        .base_uri()
        .map_err(|e| format!("{e:?}"))?
        .ok_or("document has no base URI")?;
    let url = web_sys::Url::new_with_base(WORKER_SCRIPT, &base).map_err(|e| format!("{e:?}"))?;
    Ok(url.href())
}

/// Text of an `ErrorEvent`, with its source position when the browser gives one.
fn describe_error(e: &ErrorEvent) -> String {
    let message = e.message();
    let message = if message.is_empty() {
        "the worker failed to load or crashed".into()
    } else {
        message
    };
    if e.lineno() > 0 {
        format!("{message} ({}:{}:{})", e.filename(), e.lineno(), e.colno())
    } else {
        message
    }
}

impl WorkerHost {
    /// Starts a worker; `on_event` gets every message and crash.
    pub fn spawn(on_event: impl Fn(HostEvent) + 'static) -> Result<Self, String> {
        let worker =
            Worker::new(&worker_url()?).map_err(|e| format!("cannot start worker: {e:?}"))?;
        let on_event = std::rc::Rc::new(on_event);
        let sink = on_event.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let text = js_sys::Reflect::get(&ev.data(), &MSG_KEY.into())
                .ok()
                .and_then(|v| v.as_string());
            match text.as_deref().map(Response::from_json) {
                Some(Ok(r)) => sink(HostEvent::Message(r)),
                Some(Err(e)) => sink(HostEvent::Crashed(e.to_string())),
                None => sink(HostEvent::Crashed("bad worker message: no payload".into())),
            }
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
            ev.prevent_default();
            on_event(HostEvent::Crashed(describe_error(&ev)));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends a request; an analyze request carries the two files by reference.
    pub fn send(&self, request: &Request, files: Option<(&File, &File)>) -> Result<(), String> {
        let obj = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&obj, &k.into(), v).map(|_| ());
        set(MSG_KEY, &request.to_json().into()).map_err(|e| format!("{e:?}"))?;
        if let Some((exposures, events)) = files {
            set(EXPOSURES_KEY, exposures).map_err(|e| format!("{e:?}"))?;
            set(EVENTS_KEY, events).map_err(|e| format!("{e:?}"))?;
        }
        self.worker
            .post_message(&obj)
            .map_err(|e| format!("cannot reach the worker: {e:?}"))
    }
}

impl Drop for WorkerHost {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
