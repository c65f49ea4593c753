//! Splitscope's charts and exportable reports.
//!
//! Every chart is an SVG string drawn with [plotters](https://docs.rs/plotters)'
//! SVG backend, the same natively (tests, CLI export) and on wasm32 (the app, on the
//! browser's main thread; labels are measured by an estimate, never through the
//! DOM, so a strict Content-Security-Policy sees no inline style). Text, axes
//! and reference lines use `currentColor`, so a chart takes the colour of the text
//! around it and stays readable in dark mode; data use the Okabe–Ito palette. All
//! strings from the data are escaped. See `docs/charts.md`.
#![warn(missing_docs)]

mod day_axis;
mod forest;
mod histogram;
mod html;
mod html_tables;
mod lift;
mod srm;
mod style;
mod summary;
mod timeline;

pub use forest::forest_plot;
pub use histogram::bootstrap_histogram;
pub use html::html_report;
pub use lift::{axis_label, lift_over_time_chart};
pub use splitscope_engine::report::TimeAxis;
pub use srm::srm_chart;
pub use style::escape;
pub use summary::{neutralise, summary_csv, SUMMARY_COLUMNS};
pub use timeline::{timeline_chart, TimelineMetric};
