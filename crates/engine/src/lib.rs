//! Splitscope's analysis engine: the course's experiment pipeline as pure Rust.
//!
//! The modules follow the course's conveyor belt: [`plan`] (specify) → [`ingest`] →
//! [`clean`] → [`join`] → [`metrics`] → [`aggregate`] → [`validate`] → [`infer`] →
//! [`report`]. [`analyze`] runs them all.
//!
//! ```
//! use splitscope_engine::{analyze, example, plan::Plan, Input, NoProgress};
//! let report = analyze(
//!     Input::new("exposures.csv", example::EXPOSURES_CSV.as_bytes()),
//!     Input::new("events.csv", example::EVENTS_CSV.as_bytes()),
//!     &Plan::default(),
//!     &mut NoProgress,
//! ).unwrap();
//! assert_eq!(report.variants[0].users, 3);
//! assert_eq!(report.variants[1].revenue_per_user, Some(25.0));
//! ```
#![warn(missing_docs)]
// User data must never panic the engine: no unwrap, expect or unchecked indexing
// outside tests (checked by `cargo clippy`).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod aggregate;
pub mod clean;
mod error;
pub mod example;
pub mod generate;
pub mod infer;
pub mod ingest;
pub mod join;
pub mod memory;
pub mod metrics;
mod pipeline;
pub mod plan;
mod progress;
pub mod report;
pub mod validate;
pub mod warehouse;

pub use error::AnalysisError;
pub use ingest::Input;
pub use pipeline::analyze;
pub use progress::{NoProgress, Observer, Stage};

/// This engine's version, written into every report.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
