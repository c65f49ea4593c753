//! The message protocol between the page and the analysis Web Worker.
//!
//! Every message is a JS object `{ msg: <JSON string> }`; a [`Request::Analyze`] also
//! carries the two `File`s alongside as `exposures` and `events` (files are passed by
//! reference to the worker, never copied on the main thread). The JSON part is this
//! module's serde enums, so it is tested natively.

use serde::{Deserialize, Serialize};

/// Key of the JSON payload in every posted object.
pub const MSG_KEY: &str = "msg";
/// Key of the exposures `File` in an analyze request.
pub const EXPOSURES_KEY: &str = "exposures";
/// Key of the events `File` in an analyze request.
pub const EVENTS_KEY: &str = "events";

/// What the page asks the worker to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// Analyse the two files passed alongside with this plan.
    Analyze {
        /// The plan as JSON (the engine's `Plan` schema).
        plan_json: String,
        /// Exposures file name, for messages.
        exposures_name: String,
        /// Events file name, for messages.
        events_name: String,
    },
    /// Panic on purpose: used by the tests to prove the page survives a worker panic.
    Crash,
}

/// Where in an input file an error was found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// File name as the user gave it.
    pub file: String,
    /// 1-based line number, when known.
    pub line: Option<u64>,
    /// Column name, when known.
    pub column: Option<String>,
}

/// What the worker tells the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Response {
    /// The worker's wasm is loaded and its message handler installed.
    Ready {
        /// The engine's version (shown on the page for reproducibility).
        engine_version: String,
    },
    /// The analysis reached `stage` and is `fraction` (0..=1) through it.
    Progress {
        /// Machine name of the stage (engine `Stage`, snake case).
        stage: String,
        /// Human label of the stage.
        label: String,
        /// Progress within the whole run, 0..=1.
        fraction: f64,
    },
    /// The analysis finished.
    Done {
        /// The report as pretty JSON (the CLI's schema).
        report_json: String,
        /// Milliseconds the worker spent.
        elapsed_ms: f64,
    },
    /// The analysis failed; `message` already names file, line and column when known.
    Failed {
        /// Human message.
        message: String,
        /// Structured location, when the error is tied to an input position.
        location: Option<Location>,
        /// True when the worker panicked and must be replaced.
        fatal: bool,
    },
}

/// Errors decoding a protocol message.
#[derive(Debug)]
pub struct ProtocolError(pub String);

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad worker message: {}", self.0)
    }
}

impl std::error::Error for ProtocolError {}

impl Request {
    /// Serialises to the JSON carried under [`MSG_KEY`].
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("requests always serialise")
    }

    /// Parses the JSON carried under [`MSG_KEY`].
    pub fn from_json(s: &str) -> Result<Self, ProtocolError> {
        serde_json::from_str(s).map_err(|e| ProtocolError(e.to_string()))
    }
}

impl Response {
    /// Serialises to the JSON carried under [`MSG_KEY`].
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("responses always serialise")
    }

    /// Parses the JSON carried under [`MSG_KEY`].
    pub fn from_json(s: &str) -> Result<Self, ProtocolError> {
        serde_json::from_str(s).map_err(|e| ProtocolError(e.to_string()))
    }
}

/// Drops progress updates that would not move the bar visibly, so the page is not
/// flooded with messages: a new stage always passes, otherwise a step of `min_step`.
#[derive(Debug, Clone)]
pub struct ProgressThrottle {
    last_stage: Option<String>,
    last_fraction: f64,
    min_step: f64,
}

impl ProgressThrottle {
    /// A throttle passing updates at least `min_step` apart within a stage.
    pub fn new(min_step: f64) -> Self {
        Self {
            last_stage: None,
            last_fraction: f64::NEG_INFINITY,
            min_step,
        }
    }

    /// Whether an update for `stage` at `fraction` should be sent.
    pub fn should_send(&mut self, stage: &str, fraction: f64) -> bool {
        let new_stage = self.last_stage.as_deref() != Some(stage);
        if new_stage || (fraction - self.last_fraction).abs() >= self.min_step || fraction >= 1.0 {
            if !new_stage && fraction >= 1.0 && self.last_fraction >= 1.0 {
                return false;
            }
            self.last_stage = Some(stage.to_string());
            self.last_fraction = fraction;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip() {
        let r = Request::Analyze {
            plan_json: "{}".into(),
            exposures_name: "e.csv".into(),
            events_name: "v.csv".into(),
        };
        assert_eq!(Request::from_json(&r.to_json()).unwrap(), r);
        assert_eq!(
            Request::from_json(&Request::Crash.to_json()).unwrap(),
            Request::Crash
        );
    }

    #[test]
    fn responses_round_trip() {
        let all = [
            Response::Ready {
                engine_version: "0.1.0".into(),
            },
            Response::Progress {
                stage: "reading".into(),
                label: "Reading".into(),
                fraction: 0.5,
            },
            Response::Done {
                report_json: "{}".into(),
                elapsed_ms: 1.5,
            },
            Response::Failed {
                message: "events.csv line 3, column 2: bad number".into(),
                location: Some(Location {
                    file: "events.csv".into(),
                    line: Some(3),
                    column: Some("amount".into()),
                }),
                fatal: false,
            },
        ];
        for r in all {
            assert_eq!(Response::from_json(&r.to_json()).unwrap(), r);
        }
    }

    #[test]
    fn unknown_messages_are_rejected() {
        assert!(Response::from_json(r#"{"type":"nope"}"#).is_err());
        assert!(Request::from_json(
            r#"{"type":"analyze","plan_json":"{}","exposures_name":"a","events_name":"b","x":1}"#
        )
        .is_err());
        assert!(Request::from_json("not json")
            .unwrap_err()
            .to_string()
            .contains("bad worker message"));
    }

    #[test]
    fn throttle_passes_new_stages_and_big_steps() {
        let mut t = ProgressThrottle::new(0.01);
        assert!(t.should_send("reading", 0.0));
        assert!(!t.should_send("reading", 0.005));
        assert!(t.should_send("reading", 0.02));
        assert!(t.should_send("joining", 0.021));
        assert!(t.should_send("joining", 1.0));
        assert!(!t.should_send("joining", 1.0));
    }
}
