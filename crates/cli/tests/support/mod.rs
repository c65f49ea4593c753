//! Helpers shared by the binary's end-to-end tests: a scratch directory per test file,
//! running the binary, reading its output; `corpus` and `stream` serve the corpus tests.
#![allow(dead_code)] // each test file uses a part

pub mod corpus;
pub mod stream;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_splitscope");

/// A fresh, empty directory for one test, under a folder named after the test file
/// (so test files running side by side never share one).
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(env!("CARGO_CRATE_NAME"))
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Runs `splitscope args…`.
pub fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Runs and insists on success; returns standard output.
pub fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "splitscope {args:?} failed ({:?}): {}",
        out.status,
        stderr(&out)
    );
    stdout(&out)
}

/// `splitscope analyze --exposures E --events V EXTRA…`, insisting on success; returns
/// standard output.
pub fn analyze(exposures: &str, events: &str, extra: &[&str]) -> String {
    let mut args = vec!["analyze", "--exposures", exposures, "--events", events];
    args.extend_from_slice(extra);
    ok(&args)
}

/// `splitscope generate --out DIR SETTINGS…`, insisting on success.
pub fn generate(out: &Path, settings: &[&str]) -> String {
    let mut args = vec!["generate", "--out", out.to_str().unwrap()];
    args.extend_from_slice(settings);
    ok(&args)
}

/// `splitscope example DIR`, returning the paths of the two CSVs.
pub fn course(dir: &Path) -> (String, String) {
    ok(&["example", dir.to_str().unwrap()]);
    (path(dir, "exposures.csv"), path(dir, "events.csv"))
}

/// Parses JSON output.
pub fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

/// `dir/name` as a command-line argument.
pub fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_string()
}

/// Exit code (`None` when killed by a signal).
pub fn exit_code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// The report's entry for variant `name`.
pub fn variant<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no variant {name}"))
}

/// The first comparison of metric `metric`.
pub fn comparison<'a>(report: &'a Value, metric: &str) -> &'a Value {
    let m = report["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == metric)
        .unwrap_or_else(|| panic!("no metric {metric}"));
    &m["comparisons"][0]
}
