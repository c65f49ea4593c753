//! End-to-end tests of `splitscope analyze`: the course example's golden numbers,
//! determinism and seeds, the output formats, and bad input exiting 2 with a message.

mod support;

use std::fs;

use serde_json::Value;

use support::{
    analyze, comparison, course, exit_code, generate, json, ok, run, scratch, stderr, variant,
};

#[test]
fn course_example_json_has_the_golden_numbers() {
    let dir = scratch("golden");
    let (e, v) = course(&dir);
    let report = json(&analyze(&e, &v, &[]));
    assert_eq!(report["schema"], "splitscope.report/1");
    let control = variant(&report, "control");
    assert_eq!(control["users"], 3);
    assert_eq!(control["conversions"], 1);
    assert!((control["conversion_rate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(control["revenue_per_user"].as_f64(), Some(10.0));
    let treatment = variant(&report, "variant");
    assert_eq!(treatment["users"], 2);
    assert_eq!(treatment["conversions"], 1);
    assert_eq!(treatment["conversion_rate"].as_f64(), Some(0.5));
    assert_eq!(treatment["revenue_per_user"].as_f64(), Some(25.0));
    assert_eq!(report["srm"]["flagged"], false);
    let revenue = comparison(&report, "revenue");
    assert_eq!(revenue["diff"].as_f64(), Some(15.0));
    assert_eq!(revenue["bootstrap"]["resamples"], 5000);
    assert_eq!(revenue["bootstrap"]["seed"], 7);
}

#[test]
fn same_seed_gives_byte_identical_json() {
    let dir = scratch("determinism");
    let (e, v) = course(&dir);
    let args = ["analyze", "--exposures", &e, "--events", &v, "--seed", "11"];
    let first = ok(&args);
    let second = ok(&args);
    assert_eq!(first, second);
}

#[test]
fn different_seed_changes_the_bootstrap_interval() {
    let dir = scratch("seeds");
    generate(&dir, &["--users", "400", "--events", "4000"]);
    let e = dir.join("exposures.csv");
    let v = dir.join("events.csv");
    let analyse = |seed: &str| {
        json(&analyze(
            e.to_str().unwrap(),
            v.to_str().unwrap(),
            &["--seed", seed, "--bootstrap", "500"],
        ))
    };
    let (a, b) = (analyse("1"), analyse("2"));
    let ci = |r: &Value| comparison(r, "revenue")["bootstrap"]["ci"].clone();
    assert_ne!(ci(&a), ci(&b));
    assert_eq!(comparison(&a, "revenue")["bootstrap"]["seed"], 1);
    assert_eq!(comparison(&b, "revenue")["bootstrap"]["resamples"], 500);
    // Only the bootstrap moves: the closed-form results are the same.
    assert_eq!(
        comparison(&a, "revenue")["welch"],
        comparison(&b, "revenue")["welch"]
    );
}

#[test]
fn seed_and_bootstrap_flags_override_the_plan() {
    let dir = scratch("overrides");
    let (e, v) = course(&dir);
    let plan = dir.join("plan.json");
    let report = json(&analyze(
        &e,
        &v,
        &[
            "--plan",
            plan.to_str().unwrap(),
            "--seed",
            "99",
            "--bootstrap",
            "123",
        ],
    ));
    assert_eq!(report["plan"]["bootstrap"]["seed"], 99);
    assert_eq!(report["plan"]["bootstrap"]["resamples"], 123);
    assert_eq!(
        comparison(&report, "revenue")["bootstrap"]["resamples"],
        123
    );
    let off = json(&analyze(&e, &v, &["--bootstrap", "0"]));
    assert!(comparison(&off, "revenue")["bootstrap"].is_null());
}

#[test]
fn text_format_shows_the_table_and_the_verdict() {
    let dir = scratch("text");
    let (e, v) = course(&dir);
    let text = analyze(&e, &v, &["--format", "text"]);
    assert!(text.contains("VERDICT"), "{text}");
    assert!(text.to_lowercase().contains("inconclusive"), "{text}");
    let row = |name: &str| {
        text.lines()
            .find(|l| {
                let mut cells = l.split_whitespace();
                cells.next() == Some(name) && cells.next().is_some_and(|c| c.parse::<u64>().is_ok())
            })
            .unwrap_or_else(|| panic!("no {name} row in\n{text}"))
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert!(
        text.contains("users") && text.contains("conversions"),
        "{text}"
    );
    assert_eq!(row("control")[1..], ["3", "1", "0.3333", "10.0000"]);
    assert_eq!(row("variant")[1..], ["2", "1", "0.5000", "25.0000"]);
    assert!(text.contains("SRM"), "{text}");
    assert!(text.ends_with('\n'));
}

#[test]
fn html_and_output_file() {
    let dir = scratch("html");
    let (e, v) = course(&dir);
    let out = dir.join("report.html");
    let printed = analyze(
        &e,
        &v,
        &["--format", "html", "--output", out.to_str().unwrap()],
    );
    assert!(printed.is_empty());
    let html = fs::read_to_string(&out).unwrap();
    assert!(
        html.to_lowercase().contains("<html"),
        "{}",
        &html[..200.min(html.len())]
    );
    let json_out = dir.join("report.json");
    analyze(&e, &v, &["-o", json_out.to_str().unwrap()]);
    assert_eq!(fs::read_to_string(&json_out).unwrap(), analyze(&e, &v, &[]));
}

#[test]
fn bad_csv_exits_2_naming_line_and_column() {
    let dir = scratch("bad-csv");
    let (e, _) = course(&dir);
    let bad = dir.join("bad-events.csv");
    fs::write(
        &bad,
        "user_id,event,amount,event_ts\n\
         1,view,0,2023-01-01 10:01:00\n\
         1,purchase,30,2023-01-02 08:00:00\n\
         2,view,0,yesterday at noon\n",
    )
    .unwrap();
    let out = run(&[
        "analyze",
        "--exposures",
        &e,
        "--events",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(exit_code(&out), Some(2));
    let err = stderr(&out);
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("event_ts"), "{err}");
    assert!(err.contains("bad-events.csv"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty());

    let bad_amount = dir.join("bad-amount.csv");
    fs::write(
        &bad_amount,
        "user_id,event,amount,event_ts\n1,purchase,thirty,2023-01-02 08:00:00\n",
    )
    .unwrap();
    let out = run(&[
        "analyze",
        "--exposures",
        &e,
        "--events",
        bad_amount.to_str().unwrap(),
    ]);
    assert_eq!(exit_code(&out), Some(2));
    let err = stderr(&out);
    assert!(err.contains("line 2") && err.contains("amount"), "{err}");
}

#[test]
fn missing_column_names_it_and_lists_the_headers() {
    let dir = scratch("missing-column");
    let (_, v) = course(&dir);
    let bad = dir.join("exposures.csv");
    fs::write(
        &bad,
        "user,variant,exposure_ts\n1,control,2023-01-01 10:00:00\n",
    )
    .unwrap();
    let out = run(&[
        "analyze",
        "--exposures",
        bad.to_str().unwrap(),
        "--events",
        &v,
    ]);
    assert_eq!(exit_code(&out), Some(2));
    let err = stderr(&out);
    assert!(err.contains("user_id") && err.contains("\"user\""), "{err}");
}

#[test]
fn unknown_plan_key_exits_2_naming_the_key() {
    let dir = scratch("bad-plan");
    let (e, v) = course(&dir);
    let plan = dir.join("typo.json");
    fs::write(&plan, r#"{"alpah": 0.1}"#).unwrap();
    let out = run(&[
        "analyze",
        "--exposures",
        &e,
        "--events",
        &v,
        "--plan",
        plan.to_str().unwrap(),
    ]);
    assert_eq!(exit_code(&out), Some(2));
    let err = stderr(&out);
    assert!(err.contains("alpah"), "{err}");
    assert!(err.contains("typo.json"), "{err}");

    fs::write(&plan, r#"{"alpha": 2}"#).unwrap();
    let out = run(&[
        "analyze",
        "--exposures",
        &e,
        "--events",
        &v,
        "--plan",
        plan.to_str().unwrap(),
    ]);
    assert_eq!(exit_code(&out), Some(2));
    assert!(stderr(&out).contains("alpha"), "{}", stderr(&out));
}

#[test]
fn missing_files_exit_2() {
    let dir = scratch("missing");
    let (e, _) = course(&dir);
    let out = run(&[
        "analyze",
        "--exposures",
        &e,
        "--events",
        "/nonexistent/events.csv",
    ]);
    assert_eq!(exit_code(&out), Some(2));
    assert!(stderr(&out).contains("/nonexistent/events.csv"));
    let out = run(&[
        "analyze",
        "--exposures",
        &e,
        "--events",
        &e,
        "--plan",
        "/nonexistent/plan.json",
    ]);
    assert_eq!(exit_code(&out), Some(2));
    assert!(stderr(&out).contains("/nonexistent/plan.json"));
    // Usage errors (clap) also exit 2.
    assert_eq!(exit_code(&run(&["analyze", "--exposures", &e])), Some(2));
    assert_eq!(exit_code(&run(&["frobnicate"])), Some(2));
}

const MEMORY_ADVICE: &str = "Raise limits.max_memory_mb in the plan, or aggregate in your \
    warehouse instead: `splitscope sql` writes the query for a summary CSV that `splitscope \
    stats --summary` (or the app's summary upload) analyses.";

#[test]
fn an_exposures_file_beyond_the_memory_budget_is_refused_without_reading_it() {
    let dir = scratch("memory-budget-unread");
    let (_, events) = course(&dir);
    // 12 MiB of zero bytes (sparse: nothing is written); reading it would give a
    // missing-column error, so the budget message shows it was not read.
    let exposures = dir.join("big-exposures.csv");
    fs::File::create(&exposures)
        .unwrap()
        .set_len(12 << 20)
        .unwrap();
    let plan = dir.join("plan.json");
    fs::write(&plan, r#"{"limits": {"max_memory_mb": 1}}"#).unwrap();
    let args = [
        "analyze",
        "--exposures",
        exposures.to_str().unwrap(),
        "--events",
        &events,
    ];
    let out = run(&[&args[..], &["--plan", plan.to_str().unwrap()]].concat());
    assert_eq!(exit_code(&out), Some(2));
    assert_eq!(
        stderr(&out).trim_end(),
        format!(
            "splitscope: error: big-exposures.csv (12 MB, not read): its rows (at least one per \
             256 bytes of the file, 24 bytes each) would need about 2 MB of memory, more than \
             limits.max_memory_mb = 1. {MEMORY_ADVICE}"
        )
    );
    // Under the default budget of 2048 MB the same file is read (and is not a CSV).
    let out = run(&args);
    assert_eq!(exit_code(&out), Some(2));
    assert!(!stderr(&out).contains("max_memory_mb"), "{}", stderr(&out));
}
