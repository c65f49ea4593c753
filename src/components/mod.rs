//! UI components, named after what the user sees.

pub mod charts;
pub mod column_mapping;
pub mod diagnostics;
pub mod example_button;
pub mod exports;
pub mod file_drop;
pub mod guardrails;
pub mod lift_over_time;
pub mod metric_comparisons;
pub mod plan_editor;
pub mod power;
pub mod preview;
pub mod run_panel;
pub mod segments;
pub mod srm_panel;
pub mod variant_table;
pub mod verdict;
