//! The page's shared state (provided as context) and the worker lifecycle.

use crate::protocol::{Location, Request, Response};
use crate::worker_host::{HostEvent, WorkerHost};
use leptos::prelude::*;
use splitscope_engine::plan::Plan;
use splitscope_engine::report::Report;
use std::sync::Arc;
use web_sys::File;

/// Where the analysis run is.
#[derive(Clone, Debug, PartialEq)]
pub enum RunState {
    /// The worker is loading.
    Starting,
    /// The worker is ready and nothing is running.
    Idle,
    /// A run is in progress: stage label and overall fraction (0..=1).
    Running {
        /// Human stage label.
        label: String,
        /// Progress, 0..=1.
        fraction: f64,
    },
    /// The last run finished in this many milliseconds.
    Done(f64),
    /// The last run (or the worker) failed with this message.
    Failed(String),
    /// The user cancelled the last run.
    Cancelled,
}

impl RunState {
    /// Whether a run is in progress.
    pub fn is_running(&self) -> bool {
        matches!(self, RunState::Running { .. })
    }
}

/// A file chosen by the user (or the course example), kept as a browser `File`.
#[derive(Clone, Debug)]
pub struct ChosenFile {
    /// The file itself; read only in chunks (preview slice, worker).
    pub file: File,
}

impl ChosenFile {
    /// The file's name.
    pub fn name(&self) -> String {
        self.file.name()
    }

    /// The file's size in bytes.
    pub fn size(&self) -> f64 {
        self.file.size()
    }
}

/// Handles on everything the components share; `Copy`, provided as context.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The analysis plan being edited.
    pub plan: RwSignal<Plan>,
    /// The exposures file.
    pub exposures: RwSignal<Option<ChosenFile>, LocalStorage>,
    /// The events file.
    pub events: RwSignal<Option<ChosenFile>, LocalStorage>,
    /// The run's progress.
    pub run: RwSignal<RunState>,
    /// The last report, parsed, with its JSON text as the worker produced it.
    pub report: RwSignal<Option<SharedReport>>,
    /// The engine version the worker announced.
    pub engine_version: RwSignal<String>,
    /// Where the last failure happened, when it was a bad row (offers "skip bad rows").
    pub failure_location: RwSignal<Option<Location>>,
    /// Header cells of the exposures file (from its preview).
    pub exposures_headers: RwSignal<Vec<String>>,
    /// Header cells of the events file (from its preview).
    pub events_headers: RwSignal<Vec<String>>,
    /// Whether the current worker has announced `Ready` (messages before that are lost).
    pub worker_ready: RwSignal<bool>,
    host: StoredValue<Option<WorkerHost>, LocalStorage>,
    pending: StoredValue<Option<Pending>, LocalStorage>,
}

/// A request waiting for the worker's `Ready`.
type Pending = (Request, Option<(File, File)>);

impl AppState {
    /// Creates the state and starts the worker.
    pub fn new(plan: Plan) -> Self {
        let state = Self {
            plan: RwSignal::new(plan),
            exposures: RwSignal::new_local(None),
            events: RwSignal::new_local(None),
            run: RwSignal::new(RunState::Starting),
            report: RwSignal::new(None),
            engine_version: RwSignal::new(String::new()),
            worker_ready: RwSignal::new(false),
            failure_location: RwSignal::new(None),
            exposures_headers: RwSignal::new(Vec::new()),
            events_headers: RwSignal::new(Vec::new()),
            host: StoredValue::new_local(None),
            pending: StoredValue::new_local(None),
        };
        state.restart_worker();
        state
    }

    /// Terminates the current worker (if any) and starts a fresh one.
    pub fn restart_worker(self) {
        self.host.set_value(None);
        self.worker_ready.set(false);
        match WorkerHost::spawn(move |event| self.on_worker_event(event)) {
            Ok(host) => self.host.set_value(Some(host)),
            Err(e) => self.run.set(RunState::Failed(e)),
        }
    }

    fn on_worker_event(self, event: HostEvent) {
        match event {
            HostEvent::Message(Response::Ready { engine_version }) => {
                self.engine_version.set(engine_version);
                self.worker_ready.set(true);
                if let Some((request, files)) =
                    self.pending.try_update_value(Option::take).flatten()
                {
                    self.send(&request, files.as_ref().map(|(a, b)| (a, b)));
                }
                if self.run.get_untracked() == RunState::Starting {
                    self.run.set(RunState::Idle);
                }
            }
            HostEvent::Message(Response::Progress {
                label, fraction, ..
            }) => {
                if self.run.get_untracked().is_running() {
                    self.run.set(RunState::Running { label, fraction });
                }
            }
            HostEvent::Message(Response::Done {
                report_json,
                elapsed_ms,
            }) => match serde_json::from_str::<Report>(&report_json) {
                Ok(report) => {
                    self.report.set(Some(Arc::new((report, report_json))));
                    self.run.set(RunState::Done(elapsed_ms));
                }
                Err(e) => self
                    .run
                    .set(RunState::Failed(format!("unreadable report: {e}"))),
            },
            HostEvent::Message(Response::Failed {
                message,
                fatal,
                location,
            }) => {
                self.failure_location
                    .set(location.filter(|l| l.line.is_some()));
                self.run.set(RunState::Failed(message));
                if fatal {
                    self.restart_worker();
                }
            }
            HostEvent::Crashed(message) => {
                self.run.set(RunState::Failed(format!(
                    "the analysis worker crashed: {message}"
                )));
                self.restart_worker();
            }
        }
    }

    /// Starts an analysis of the chosen files with the current plan.
    pub fn start_run(self) {
        let (Some(exposures), Some(events)) =
            (self.exposures.get_untracked(), self.events.get_untracked())
        else {
            self.run.set(RunState::Failed(
                "choose an exposures file and an events file first".into(),
            ));
            return;
        };
        let request = Request::Analyze {
            plan_json: self.plan.with_untracked(|p| p.to_json_pretty()),
            exposures_name: exposures.name(),
            events_name: events.name(),
        };
        self.failure_location.set(None);
        self.run.set(RunState::Running {
            label: "Starting".into(),
            fraction: 0.0,
        });
        self.send(&request, Some((&exposures.file, &events.file)));
    }

    /// Asks the worker to panic (test hook for crash recovery).
    pub fn crash_worker(self) {
        self.run.set(RunState::Running {
            label: "Crash test".into(),
            fraction: 0.0,
        });
        self.send(&Request::Crash, None);
    }

    fn send(self, request: &Request, files: Option<(&File, &File)>) {
        if !self.worker_ready.get_untracked() {
            let owned = files.map(|(a, b)| (a.clone(), b.clone()));
            self.pending.set_value(Some((request.clone(), owned)));
            return;
        }
        let result = self.host.with_value(|h| match h {
            Some(host) => host.send(request, files),
            None => Err("the analysis worker is not running".into()),
        });
        if let Err(e) = result {
            self.run.set(RunState::Failed(e));
            self.restart_worker();
        }
    }

    /// Cancels a run: the worker is terminated and replaced by a fresh one.
    pub fn cancel(self) {
        self.pending.set_value(None);
        self.restart_worker();
        self.run.set(RunState::Cancelled);
    }
}

/// The last report, parsed, with the JSON text the worker produced.
pub type SharedReport = Arc<(Report, String)>;
