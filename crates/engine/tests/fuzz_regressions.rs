//! Findings of the cargo-fuzz targets (`fuzz/`, see `docs/fuzzing.md`), kept as
//! regression tests.
//!
//! Every file under `tests/fuzz-regressions/<target>/` is replayed through the very
//! checks the fuzz target runs (`fuzz/harness/<target>.rs`, included below), with a
//! time limit: a hang is a finding too. The named tests below state each finding's
//! expected outcome on a hand-minimised input.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use splitscope_engine::plan::Plan;
use splitscope_engine::report::TimeAxis;
use splitscope_engine::{analyze, Input, NoProgress};

#[allow(dead_code)]
#[path = "../../../fuzz/harness/ingest_csv.rs"]
mod ingest_csv_harness;
#[allow(dead_code)]
#[path = "../../../fuzz/harness/plan.rs"]
mod plan_harness;
#[allow(dead_code)]
#[path = "../../../fuzz/harness/timestamp.rs"]
mod timestamp_harness;

/// Longest one input may take (debug build, loaded machine). The findings that were
/// hangs took minutes here before their fix and take well under a second after it.
const LIMIT: Duration = Duration::from_secs(60);

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions")
}

/// Runs `f` on another thread; fails if it panics or runs longer than [`LIMIT`].
fn within_limit<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    });
    match rx.recv_timeout(LIMIT) {
        Ok(Ok(value)) => value,
        Ok(Err(_)) => panic!("{what}: panicked (message above)"),
        Err(_) => panic!("{what}: still running after {LIMIT:?}"),
    }
}

/// Replays every saved input of `target` through `check`.
fn replay(target: &str, check: fn(&[u8])) {
    let folder = dir().join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|entry| entry.map(|e| e.path()).unwrap_or_default())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no saved inputs in {}", folder.display());
    for file in files {
        let data = std::fs::read(&file).unwrap_or_default();
        within_limit(&file.display().to_string(), move || check(&data));
    }
}

#[test]
fn replays_ingest_csv_findings() {
    replay("ingest_csv", ingest_csv_harness::check);
}

#[test]
fn replays_plan_findings() {
    replay("plan", plan_harness::check);
}

#[test]
fn replays_timestamp_findings() {
    replay("timestamp", timestamp_harness::check);
}

/// Finding 1 (`plan`): a plan number changed by one unit in the last place through
/// `to_json_pretty` → `from_json`, because serde_json's default float parser is not
/// exact. Fixed by serde_json's `float_roundtrip` feature.
#[test]
fn plan_numbers_survive_a_json_round_trip() {
    let text = std::fs::read_to_string(dir().join("plan-float-roundtrip.json")).unwrap_or_default();
    let plan = Plan::from_json(&text).expect("the plan is valid");
    let back = Plan::from_json(&plan.to_json_pretty()).expect("its own JSON is valid");
    assert_eq!(
        back.bayesian.prior.mean.to_bits(),
        plan.bayesian.prior.mean.to_bits(),
        "prior mean {:e} came back as {:e}",
        plan.bayesian.prior.mean,
        back.bayesian.prior.mean
    );
    assert_eq!(back, plan);
    // Plain decimal text parses to the nearest double, like Rust's own parser.
    for literal in [
        "-1.7976931348623150e308",
        "0.1234567890123456789",
        "2.2250738585072011e-308",
    ] {
        let json = format!(r#"{{"bayesian": {{"prior": {{"mean": {literal}, "sd": 0.3}}}}}}"#);
        let plan = Plan::from_json(&json).expect("valid plan");
        let exact: f64 = literal.parse().unwrap_or_default();
        assert_eq!(
            plan.bayesian.prior.mean.to_bits(),
            exact.to_bits(),
            "{literal}"
        );
    }
}

/// Finding 2 (`ingest_csv`, a hang): one exposure centuries before the others made
/// the lift-over-time series cost (days shown) × (days of exposures) per metric and
/// arm — about 6 s natively in release and minutes in a debug build for four
/// users. The analysis must finish quickly and still give the series.
#[test]
fn an_exposure_centuries_early_does_not_stall_lift_over_time() {
    let read = |name: &str| std::fs::read(dir().join(name)).unwrap_or_default();
    let (exposures, events) = (
        read("over-time-wide-dates.exposures.csv"),
        read("over-time-wide-dates.events.csv"),
    );
    let report = within_limit("wide exposure dates", move || {
        analyze(
            Input::new("exposures.csv", exposures.as_slice()),
            Input::new("events.csv", events.as_slice()),
            &Plan::default(),
            &mut NoProgress,
        )
    })
    .expect("the analysis succeeds");
    assert_eq!(report.diagnostics.users_analysed, 4);
    let since_exposure = report
        .lift_over_time
        .iter()
        .find(|s| s.metric == "revenue" && s.axis == TimeAxis::DaysSinceExposure)
        .expect("a days-since-exposure series for revenue");
    assert!(!since_exposure.points.is_empty());
    assert!(since_exposure.points.iter().all(|p| p.users > 0));
}
