//! Running the binary on a corpus case, matching a report against a partial
//! expectation, and writing generated cases.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use super::{scratch, BIN};

/// One mebibyte, for sizing generated inputs.
pub const MEGABYTES: usize = 1 << 20;

/// `tests/corpus/` at the workspace root.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

/// The baseline case's files, for the generated cases to start from.
pub fn baseline() -> (String, String) {
    let dir = corpus_dir().join("baseline");
    (
        fs::read_to_string(dir.join("exposures.csv")).expect("baseline exposures"),
        fs::read_to_string(dir.join("events.csv")).expect("baseline events"),
    )
}

/// Writes a generated case (its two files and an optional plan) to a scratch directory.
pub fn write_case(name: &str, exposures: &[u8], events: &[u8], plan: Option<&Value>) -> PathBuf {
    let dir = scratch(name);
    fs::write(dir.join("exposures.csv"), exposures).expect("write exposures");
    fs::write(dir.join("events.csv"), events).expect("write events");
    if let Some(plan) = plan {
        fs::write(dir.join("plan.json"), plan.to_string()).expect("write plan");
    }
    dir
}

/// `splitscope analyze` on a case directory, as a user would type it.
pub fn analyze_case(dir: &Path, format: &str) -> Run {
    let mut args = vec![
        "analyze",
        "--exposures",
        "exposures.csv",
        "--events",
        "events.csv",
        "--format",
        format,
    ];
    if dir.join("plan.json").exists() {
        args.extend(["--plan", "plan.json"]);
    }
    run_in(dir, &args)
}

/// Analyses a case that must succeed; returns its JSON report.
pub fn report_of(dir: &Path) -> Value {
    let run = analyze_case(dir, "json");
    run.check_no_crash().unwrap();
    assert_eq!(run.code, Some(0), "{}", shorten(&run.stderr));
    run.report().unwrap()
}

/// Analyses a case that must be refused (exit 2, no report); returns the message.
pub fn error_of(dir: &Path) -> String {
    let run = analyze_case(dir, "json");
    run.check_no_crash().unwrap();
    assert_eq!(run.code, Some(2), "{}", shorten(&run.stderr));
    assert!(run.stdout.is_empty(), "an error must not print a report");
    run.error_message()
        .unwrap_or_else(|| panic!("not one error line: {}", shorten(&run.stderr)))
        .to_string()
}

/// What one run of the binary gave.
pub struct Run {
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output as bytes.
    pub stdout: Vec<u8>,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Self {
        Self {
            code: out.status.code(),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The message after `splitscope: error: `, without the final newline.
    pub fn error_message(&self) -> Option<&str> {
        self.stderr
            .strip_prefix("splitscope: error: ")
            .map(|m| m.strip_suffix('\n').unwrap_or(m))
    }

    /// The report on stdout, parsed.
    pub fn report(&self) -> Result<Value, String> {
        serde_json::from_slice(&self.stdout).map_err(|e| format!("stdout is not JSON: {e}"))
    }

    /// A run must end with 0 (success) or 2 (bad input): 101 is a Rust panic, and 1 is
    /// what the binary's panic hook turns a panic (or another internal failure) into.
    pub fn check_no_crash(&self) -> Result<(), String> {
        match self.code {
            Some(0 | 2) => Ok(()),
            code => Err(format!(
                "crashed or failed internally: exit {code:?}, stderr: {}",
                shorten(&self.stderr)
            )),
        }
    }
}

/// Runs `splitscope args…` inside `dir` (so messages name the files as `events.csv`).
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    Run::from(out)
}

/// Runs `splitscope args…` inside `dir` with `input` piped to its stdin.
pub fn run_with_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Run {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // The binary may refuse the pipe without reading it: a broken pipe is fine here.
    let _ = stdin.write_all(input);
    drop(stdin);
    Run::from(child.wait_with_output().expect("the binary ends"))
}

/// The first 2,000 characters of a message, for failure output.
pub fn shorten(text: &str) -> String {
    if text.len() <= 2000 {
        return text.to_string();
    }
    let mut end = 2000;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

/// Checks that `actual` contains `expected`: objects key by key (extra keys in
/// `actual` are fine), arrays element by element with the same length, numbers equal
/// within 1e-12 relative, everything else equal. Returns the first difference.
pub fn matches(path: &str, expected: &Value, actual: &Value) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let here = format!("{path}.{key}");
                let other = a
                    .get(key)
                    .ok_or_else(|| format!("{here}: missing in the report"))?;
                matches(&here, value, other)?;
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{path}: expected {} elements, found {}: {}",
                    e.len(),
                    a.len(),
                    shorten(&actual.to_string())
                ));
            }
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                matches(&format!("{path}[{i}]"), x, y)?;
            }
            Ok(())
        }
        (Value::Number(e), Value::Number(a)) => {
            let (x, y) = (
                e.as_f64().unwrap_or(f64::NAN),
                a.as_f64().unwrap_or(f64::NAN),
            );
            if x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs()) {
                Ok(())
            } else {
                Err(format!("{path}: expected {e}, found {a}"))
            }
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!(
            "{path}: expected {expected}, found {}",
            shorten(&actual.to_string())
        )),
    }
}
