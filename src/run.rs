//! One analysis run inside the worker: plan JSON + two files in, a [`Response`] out.

use crate::protocol::{Location, ProgressThrottle, Response};
use crate::worker::file_reader;
use splitscope_engine::plan::Plan;
use splitscope_engine::{analyze as engine_analyze, AnalysisError, Input, Observer, Stage};
use web_sys::File;

/// Share of the whole run each stage takes (reading and joining events dominates).
pub fn stage_span(stage: Stage) -> (f64, f64) {
    match stage {
        Stage::ReadingExposures => (0.00, 0.15),
        Stage::Cleaning => (0.15, 0.05),
        Stage::Joining => (0.20, 0.50),
        Stage::Aggregating => (0.70, 0.05),
        Stage::Validating => (0.75, 0.02),
        Stage::Inferring => (0.77, 0.03),
        Stage::Bootstrapping => (0.80, 0.18),
        Stage::Reporting => (0.98, 0.02),
    }
}

/// Progress of the whole run from a stage and the fraction of it done.
pub fn overall(stage: Stage, fraction: f64) -> f64 {
    let (start, width) = stage_span(stage);
    (start + width * fraction.clamp(0.0, 1.0)).clamp(0.0, 1.0)
}

/// Turns engine progress into throttled [`Response::Progress`] messages.
struct ProgressSink<'a> {
    throttle: ProgressThrottle,
    send: &'a mut dyn FnMut(Response),
}

impl Observer for ProgressSink<'_> {
    fn stage(&mut self, stage: Stage, fraction: f64) {
        let name = serde_json::to_value(stage)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let total = overall(stage, fraction);
        if self.throttle.should_send(&name, total) {
            (self.send)(Response::Progress {
                stage: name,
                label: stage.label().to_string(),
                fraction: total,
            });
        }
    }
}

/// The page-facing form of an engine error: its message and, for a bad row, where.
pub fn failure(e: &AnalysisError) -> Response {
    let location = match e {
        AnalysisError::BadRow(row) => Some(Location {
            file: row.file.clone(),
            line: Some(row.line),
            column: row.column.clone(),
        }),
        AnalysisError::MissingColumn { file, .. }
        | AnalysisError::EmptyFile { file }
        | AnalysisError::Io { file, .. } => Some(Location {
            file: file.clone(),
            line: None,
            column: None,
        }),
        // No line: skipping bad rows would not help (the message names it).
        AnalysisError::Memory(e) => Some(Location {
            file: e.file.clone(),
            line: None,
            column: None,
        }),
        AnalysisError::Plan(_) | AnalysisError::Data(_) => None,
    };
    Response::Failed {
        message: e.to_string(),
        location,
        fatal: false,
    }
}

fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| wasm_bindgen::JsCast::dyn_into::<web_sys::Performance>(p).ok())
        .map_or(0.0, |p| p.now())
}

/// Runs the engine on the two files with the plan, handing progress messages to
/// `progress`; bad input gives a message, not a panic.
pub fn analyze(
    plan_json: &str,
    exposures: (&str, &File),
    events: (&str, &File),
    progress: &mut dyn FnMut(Response),
) -> Response {
    let started = now_ms();
    let plan = match Plan::from_json(plan_json) {
        Ok(p) => p,
        Err(e) => return failure(&AnalysisError::Plan(e)),
    };
    let input = |(name, file): (&str, &File)| {
        file_reader(file)
            .map(|r| Input::new(name, r).with_size(file.size() as u64))
            .map_err(|e| Response::Failed {
                message: format!("{name}: cannot read the file: {e:?}"),
                location: None,
                fatal: false,
            })
    };
    let (ex, ev) = match (input(exposures), input(events)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let mut observer = ProgressSink {
        throttle: ProgressThrottle::new(0.005),
        send: progress,
    };
    match engine_analyze(ex, ev, &plan, &mut observer) {
        Ok(report) => Response::Done {
            report_json: report.to_json_pretty(),
            elapsed_ms: now_ms() - started,
        },
        Err(e) => failure(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overall_progress_is_monotonic_across_stages() {
        let stages = [
            Stage::ReadingExposures,
            Stage::Cleaning,
            Stage::Joining,
            Stage::Aggregating,
            Stage::Validating,
            Stage::Inferring,
            Stage::Bootstrapping,
            Stage::Reporting,
        ];
        let mut last = -1.0;
        for s in stages {
            for f in [0.0, 0.5, 1.0] {
                let o = overall(s, f);
                assert!(o >= last, "{s:?} {f}");
                last = o;
            }
        }
        assert_eq!(overall(Stage::Reporting, 1.0), 1.0);
        assert_eq!(overall(Stage::Joining, 7.0), 0.7);
    }

    #[test]
    fn bad_rows_keep_their_location() {
        let e = AnalysisError::Data("no users".into());
        assert!(matches!(
            failure(&e),
            Response::Failed { location: None, .. }
        ));
    }
}
