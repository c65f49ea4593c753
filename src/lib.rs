//! Splitscope's web app: a Leptos CSR page plus an analysis Web Worker.
//!
//! The page ([`app`]) collects files and a plan and draws the report; the worker
//! ([`worker`]) streams the files through `splitscope_engine`. They talk through
//! [`protocol`].

pub mod app;
pub mod chunked;
pub mod components;
pub mod download;
pub mod format;
pub mod plan_url;
pub mod protocol;
pub mod run;
pub mod state;
pub mod worker;
pub mod worker_host;

/// The engine version shown on the page.
pub fn engine_version() -> &'static str {
    splitscope_engine::ENGINE_VERSION
}
