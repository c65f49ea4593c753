//! Large generated events files: a stream of any size fed to the engine as an
//! `io::Read` (nothing on disk), and files of half a million rows whose bad rows must
//! keep their line numbers and order.
//!
//! The multi-gigabyte stream is `#[ignore]`d; CI runs it with
//! `cargo test -p splitscope-cli --release --test corpus_stream -- --ignored`.

mod support;

use std::path::Path;
use std::time::Instant;

use serde_json::{json, Value};
use splitscope_engine::plan::Plan;
use splitscope_engine::{analyze, Input, NoProgress};

use support::corpus::{baseline, error_of, matches, report_of, write_case, MEGABYTES};
use support::stream::{self, RepeatedRows};

/// Streams `bytes` bytes of events through the engine and checks every count and sum.
fn stream_through_engine(bytes: u64) -> f64 {
    let blocks = RepeatedRows::blocks_for(bytes);
    let mut plan = Plan::default();
    plan.bootstrap.resamples = 0;
    let exposures = stream::exposures_csv();
    let started = Instant::now();
    let report = analyze(
        Input::new("exposures.csv", exposures.as_bytes()),
        Input::new("events.csv", RepeatedRows::new(blocks)),
        &plan,
        &mut NoProgress,
    )
    .expect("the generated stream is analysed");
    let seconds = started.elapsed().as_secs_f64();
    let rows = blocks * stream::rows_per_block();
    assert_eq!(
        report.inputs.events.bytes,
        RepeatedRows::total_bytes(blocks)
    );
    assert_eq!(report.inputs.events.rows, rows);
    let d = &report.diagnostics;
    assert_eq!(d.events.rows_read, rows);
    assert_eq!(d.events.in_window, rows);
    assert_eq!(d.bad_rows_total, 0);
    assert_eq!(d.users_analysed, stream::USERS);
    for (variant, (users, conversions, revenue)) in
        report.variants.iter().zip(stream::expected(blocks))
    {
        assert_eq!(variant.users, users, "{}", variant.name);
        assert_eq!(variant.conversions, Some(conversions), "{}", variant.name);
        let rpu = variant.revenue_per_user.expect("revenue per user");
        let want = revenue / users as f64;
        assert!(
            (rpu - want).abs() <= 1e-9 * want,
            "{}: {rpu} vs {want}",
            variant.name
        );
    }
    assert!(d.checks.iter().all(|c| c.passed), "{:?}", d.checks);
    seconds
}

#[test]
fn a_stream_of_megabytes_is_read_as_an_io_read() {
    stream_through_engine(16 * MEGABYTES as u64);
}

#[test]
#[ignore = "2.5 GB through the engine; CI runs it with --ignored --release"]
fn a_stream_of_gigabytes_is_read_as_an_io_read() {
    let bytes = 2_500 * MEGABYTES as u64;
    let seconds = stream_through_engine(bytes);
    eprintln!(
        "{:.2} GB of events in {seconds:.1} s ({:.0} MB/s)",
        bytes as f64 / 1e9,
        bytes as f64 / 1e6 / seconds
    );
    assert!(seconds < 120.0, "2.5 GB took {seconds:.0} s");
}

/// An events file of `rows` rows (about 29 bytes each, so several of the engine's
/// parsing blocks), with a bad amount on the rows in `bad` and, optionally, a quoted
/// newline on one row (which adds a physical line). Returns the bytes and the line
/// numbers the bad rows start on.
fn large_events(
    rows: usize,
    crlf: bool,
    quoted_newline_at: Option<usize>,
    bad: &[usize],
) -> (Vec<u8>, Vec<u64>) {
    let end: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    let mut out = b"user_id,event,amount,event_ts".to_vec();
    out.extend_from_slice(end);
    let mut line = 2u64;
    let mut bad_lines = Vec::new();
    for i in 0..rows {
        let user = i % 5 + 1;
        let event = if quoted_newline_at == Some(i) {
            "\"vi\new\""
        } else {
            "view"
        };
        let amount = if bad.contains(&i) {
            bad_lines.push(line);
            "oops"
        } else {
            "0"
        };
        out.extend_from_slice(format!("{user},{event},{amount},2023-01-03 00:00:00").as_bytes());
        out.extend_from_slice(end);
        line += 1 + u64::from(quoted_newline_at == Some(i));
    }
    (out, bad_lines)
}

fn skip_plan() -> Value {
    json!({"on_bad_row": "skip", "bootstrap": {"resamples": 0}})
}

/// Checks a skip run over [`large_events`]: counts, and the bad rows in file order.
fn check_large_skip(dir: &Path, rows: usize, bad_lines: &[u64]) {
    let report = report_of(dir);
    let listed: Vec<Value> = bad_lines
        .iter()
        .map(|line| {
            json!({"file": "events.csv", "line": line, "column": "amount",
                   "message": "expected a finite number, found \"oops\""})
        })
        .collect();
    matches(
        "report",
        &json!({
            "inputs": {"events": {"rows": rows}},
            "diagnostics": {
                "events": {"rows_read": rows, "bad_rows": bad_lines.len(),
                           "in_window": rows - bad_lines.len()},
                "bad_rows_total": bad_lines.len(),
                "bad_rows": listed
            }
        }),
        &report,
    )
    .unwrap();
}

#[test]
fn bad_rows_deep_in_a_large_file_keep_their_lines_and_order() {
    let (exposures, _) = baseline();
    let rows = 500_000;
    let (events, bad_lines) = large_events(rows, false, None, &[0, 150_000, 299_999, 499_999]);
    assert_eq!(bad_lines, [2, 150_002, 300_001, 500_001]);
    let dir = write_case(
        "large-skip",
        exposures.as_bytes(),
        &events,
        Some(&skip_plan()),
    );
    check_large_skip(&dir, rows, &bad_lines);
}

#[test]
fn bad_rows_after_a_quoted_newline_in_a_large_crlf_file_keep_their_lines() {
    let (exposures, _) = baseline();
    let rows = 500_000;
    let (events, bad_lines) = large_events(rows, true, Some(250_000), &[100_000, 260_000, 499_999]);
    assert_eq!(bad_lines, [100_002, 260_003, 500_002]);
    let dir = write_case(
        "large-crlf-quoted",
        exposures.as_bytes(),
        &events,
        Some(&skip_plan()),
    );
    check_large_skip(&dir, rows, &bad_lines);
}

#[test]
fn the_first_bad_row_deep_in_a_large_file_stops_the_analysis() {
    let (exposures, _) = baseline();
    let (events, bad_lines) = large_events(500_000, false, None, &[350_000, 400_000]);
    let dir = write_case("large-stop", exposures.as_bytes(), &events, None);
    assert_eq!(
        error_of(&dir),
        format!(
            "events.csv, line {}, column \"amount\": expected a finite number, found \"oops\"",
            bad_lines[0]
        )
        .as_str()
    );
}
