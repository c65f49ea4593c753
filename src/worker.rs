//! The analysis Web Worker: receives [`Request`]s, streams the two `File`s through the
//! engine and posts [`Response`]s back. Runs in a `DedicatedWorkerGlobalScope`.

use crate::chunked::{ChunkedReader, RangeSource, DEFAULT_CHUNK};
use crate::protocol::{Request, Response, EVENTS_KEY, EXPOSURES_KEY, MSG_KEY};
use std::io;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent};

/// A `Blob` read synchronously in ranges (`Blob.slice` + `FileReaderSync`, workers only).
pub struct BlobSource {
    blob: Blob,
    reader: FileReaderSync,
}

impl BlobSource {
    /// Wraps a blob; fails outside a worker, where `FileReaderSync` does not exist.
    pub fn new(blob: Blob) -> Result<Self, JsValue> {
        Ok(Self {
            blob,
            reader: FileReaderSync::new()?,
        })
    }
}

fn js_err(e: JsValue) -> io::Error {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"));
    io::Error::other(format!("could not read the file: {text}"))
}

impl RangeSource for BlobSource {
    fn size(&self) -> u64 {
        self.blob.size() as u64
    }

    fn read_range(&mut self, start: u64, end: u64, out: &mut Vec<u8>) -> io::Result<()> {
        let part = self
            .blob
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(js_err)?;
        let buffer = self.reader.read_as_array_buffer(&part).map_err(js_err)?;
        let bytes = js_sys::Uint8Array::new(&buffer);
        let old = out.len();
        out.resize(old + bytes.length() as usize, 0);
        bytes.copy_to(&mut out[old..]);
        Ok(())
    }
}

/// A chunked `std::io::Read` over a browser `File`.
pub fn file_reader(file: &File) -> Result<ChunkedReader<BlobSource>, JsValue> {
    let blob: Blob = file.clone().into();
    Ok(ChunkedReader::new(BlobSource::new(blob)?, DEFAULT_CHUNK))
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts one response to the page.
pub fn post(response: &Response) {
    let obj = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&obj, &MSG_KEY.into(), &response.to_json().into());
    if let Err(e) = scope().post_message(&obj) {
        web_sys::console::error_2(&"splitscope worker: postMessage failed".into(), &e);
    }
}

/// Installs the panic hook and message handler, then announces `Ready`.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&Response::Failed {
            message: format!("internal error in the analysis worker: {info}"),
            location: None,
            fatal: true,
        });
    }));
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(&Response::Ready {
        engine_version: crate::engine_version().to_string(),
    });
}

fn on_message(event: MessageEvent) {
    let data = event.data();
    let text = js_sys::Reflect::get(&data, &MSG_KEY.into())
        .ok()
        .and_then(|v| v.as_string());
    let request = match text.as_deref().map(Request::from_json) {
        Some(Ok(r)) => r,
        Some(Err(e)) => return post(&failed(e.to_string())),
        None => return post(&failed("bad worker message: no payload".into())),
    };
    match request {
        Request::Crash => panic!("crash requested by the page (test hook)"),
        Request::Analyze {
            plan_json,
            exposures_name,
            events_name,
        } => {
            let file = |key: &str| -> Option<File> {
                js_sys::Reflect::get(&data, &key.into())
                    .ok()?
                    .dyn_into::<File>()
                    .ok()
            };
            let (Some(exposures), Some(events)) = (file(EXPOSURES_KEY), file(EVENTS_KEY)) else {
                return post(&failed(
                    "both an exposures and an events file are needed".into(),
                ));
            };
            let response = crate::run::analyze(
                &plan_json,
                (&exposures_name, &exposures),
                (&events_name, &events),
                &mut |r| post(&r),
            );
            post(&response);
        }
    }
}

fn failed(message: String) -> Response {
    Response::Failed {
        message,
        location: None,
        fatal: false,
    }
}
