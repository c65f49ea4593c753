//! End-to-end tests of the other commands' round trips: `help`, `plan`, `example`
//! (its files analysed with its plan) and `generate` (data whose truth the analysis
//! recovers), and their refusals of bad settings.

mod support;

use std::fs;

use support::{
    analyze, comparison, course, exit_code, generate, json, ok, run, scratch, stderr, variant,
};

#[test]
fn help_everywhere() {
    for args in [
        vec!["--help"],
        vec!["analyze", "--help"],
        vec!["example", "--help"],
        vec!["generate", "--help"],
        vec!["plan", "--help"],
        vec!["help", "analyze"],
    ] {
        let text = ok(&args);
        assert!(text.contains("Usage"), "{args:?}: {text}");
    }
    assert!(ok(&["analyze", "--help"]).contains("--bootstrap"));
    assert!(ok(&["generate", "--help"]).contains("--users"));
}

#[test]
fn plan_prints_the_default_plan() {
    let plan = json(&ok(&["plan"]));
    assert_eq!(plan["control"], "control");
    assert_eq!(plan["bootstrap"]["resamples"], 5000);
    assert_eq!(plan["bootstrap"]["seed"], 7);
    assert_eq!(plan["cuped"]["enabled"], false);
    assert_eq!(json(&ok(&["plan", "--cuped"]))["cuped"]["enabled"], true);
}

#[test]
fn example_round_trip_with_its_plan() {
    let dir = scratch("example-round-trip");
    let (e, v) = course(&dir);
    let plan = dir.join("plan.json");
    let text = fs::read_to_string(&plan).unwrap();
    // Every default is written out.
    for key in [
        "window",
        "alpha",
        "srm_threshold",
        "bootstrap",
        "cuped",
        "metrics",
    ] {
        assert!(
            text.contains(&format!("\"{key}\"")),
            "{key} missing from {text}"
        );
    }
    let with_plan = analyze(&e, &v, &["--plan", plan.to_str().unwrap()]);
    let without = analyze(&e, &v, &[]);
    assert_eq!(with_plan, without);
}

#[test]
fn generate_round_trip_matches_the_truth() {
    // The same settings twice (the second time for the determinism check below).
    let settings = [
        "--users",
        "3000",
        "--events",
        "30000",
        "--bots",
        "0.02",
        "--segments",
        "--seed",
        "5",
    ];
    let dir = scratch("generate-round-trip");
    generate(&dir, &settings);
    let d = dir.to_str().unwrap();
    let truth = json(&fs::read_to_string(dir.join("truth.json")).unwrap());
    let report = json(&analyze(
        &format!("{d}/exposures.csv"),
        &format!("{d}/events.csv"),
        &["--plan", &format!("{d}/plan.json"), "--bootstrap", "200"],
    ));
    let c = &truth["counts"];
    let diag = &report["diagnostics"];
    assert_eq!(diag["exposures"]["rows_read"], c["exposure_rows"]);
    assert_eq!(diag["exposures"]["bot_users"], c["bot_users"]);
    assert_eq!(diag["exposures"]["repeat_exposures"], c["repeat_exposures"]);
    assert_eq!(
        diag["exposures"]["multi_variant_users"],
        c["multi_variant_users"]
    );
    assert_eq!(diag["events"]["rows_read"], c["event_rows"]);
    assert_eq!(diag["events"]["bot_user"], c["bot_events"]);
    assert_eq!(diag["events"]["unknown_user"], c["unknown_user_events"]);
    assert_eq!(diag["events"]["before_exposure"], c["pre_period_events"]);
    assert_eq!(diag["events"]["in_pre_period"], c["pre_period_events"]);
    assert_eq!(diag["events"]["in_window"], c["in_window_events"]);
    assert_eq!(diag["events"]["after_window"], c["after_window_events"]);
    for check in diag["checks"].as_array().unwrap() {
        assert_eq!(check["passed"], true, "{check}");
    }
    for (i, name) in ["control", "variant"].iter().enumerate() {
        assert_eq!(variant(&report, name)["users"], c["users_per_variant"][i]);
    }
    // CUPED is on in the generated plan, next to an errors guardrail.
    assert!(comparison(&report, "revenue")["cuped"].is_object());
    assert!(report["guardrails"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["metric"] == "errors"));
    // Generating again with the same seed writes the same bytes.
    let again = scratch("generate-round-trip-again");
    generate(&again, &settings);
    for f in ["exposures.csv", "events.csv", "plan.json", "truth.json"] {
        assert_eq!(
            fs::read(dir.join(f)).unwrap(),
            fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn generate_rejects_bad_settings() {
    let dir = scratch("generate-bad");
    let d = dir.to_str().unwrap();
    let generate_with = |setting: &[&str]| {
        let mut args = vec!["generate", "--users", "10", "--events", "10", "--out", d];
        args.extend_from_slice(setting);
        run(&args)
    };
    let out = generate_with(&["--variants", "solo"]);
    assert_eq!(exit_code(&out), Some(2));
    let out = generate_with(&["--conversion-rate", "1.5"]);
    assert_eq!(exit_code(&out), Some(2));
    assert!(stderr(&out).contains("conversion"), "{}", stderr(&out));
    let out = generate_with(&["--start", "2024-02-30"]);
    assert_eq!(exit_code(&out), Some(2));
}
