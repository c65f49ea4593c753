//! Exercise ex2: CUPED from pre-period events, guardrails, and every verdict.

use std::fmt::Write;

use splitscope_engine::plan::Plan;
use splitscope_engine::report::{GuardrailStatus, Report, Verdict};
use splitscope_engine::{analyze, Input, NoProgress};

fn run(exposures: &str, events: &str, plan: &str) -> Report {
    analyze(
        Input::new("exposures.csv", exposures.as_bytes()),
        Input::new("events.csv", events.as_bytes()),
        &Plan::from_json(plan).unwrap(),
        &mut NoProgress,
    )
    .unwrap()
}

/// (pre-period revenue X, in-window revenue Y) per user: users 1–6 control, 7–12 variant.
const USERS: [(f64, f64); 12] = [
    (10.0, 12.0),
    (0.0, 0.0),
    (30.0, 25.0),
    (5.0, 8.0),
    (0.0, 3.0),
    (20.0, 18.0),
    (12.0, 20.0),
    (0.0, 2.0),
    (28.0, 35.0),
    (6.0, 9.0),
    (0.0, 0.0),
    (22.0, 30.0),
];

fn cuped_fixture() -> (String, String) {
    let mut exposures = String::from("user_id,variant,exposure_ts\n");
    let mut events = String::from("user_id,event,amount,event_ts\n");
    for (i, (x, y)) in USERS.iter().enumerate() {
        let user = i + 1;
        let arm = if user <= 6 { "control" } else { "variant" };
        writeln!(exposures, "{user},{arm},2023-01-10 10:00:00").unwrap();
        if *x > 0.0 {
            // Exactly at the pre-period's inclusive start.
            writeln!(events, "{user},purchase,{x},2023-01-03 10:00:00").unwrap();
        }
        if *y > 0.0 {
            // Exactly at the window's inclusive end.
            writeln!(events, "{user},purchase,{y},2023-01-17 10:00:00").unwrap();
        }
    }
    // Outside the pre-period by a second: counted as before exposure, not as covariate.
    events.push_str("1,purchase,100,2023-01-03 09:59:59\n");
    events.push_str("99,purchase,5,2023-01-11 10:00:00\n");
    (exposures, events)
}

#[test]
fn cuped_uses_pre_period_purchases() {
    let (exposures, events) = cuped_fixture();
    let r = run(
        &exposures,
        &events,
        r#"{"cuped": {"enabled": true}, "bootstrap": {"resamples": 200}}"#,
    );
    let d = &r.diagnostics.events;
    assert_eq!(
        (d.before_exposure, d.in_pre_period, d.unknown_user),
        (9, 8, 1)
    );
    let cuped = r
        .comparison("revenue", "variant")
        .unwrap()
        .cuped
        .clone()
        .unwrap();
    // numpy: X, Y as in USERS; th = np.cov(Y, X, ddof=1)[0,1] / np.var(X, ddof=1)
    //   -> 1.0068505391076428
    // (Y[6:].mean() - th*X[6:].mean()) - (Y[:6].mean() - th*X[:6].mean()) -> 4.496574730446179
    assert!(
        (cuped.theta - 1.006_850_539_107_642_8).abs() < 1e-12,
        "{}",
        cuped.theta
    );
    assert!(
        (cuped.diff - 4.496_574_730_446_179).abs() < 1e-12,
        "{}",
        cuped.diff
    );
    assert!(
        cuped.variance_reduction > 0.5,
        "{}",
        cuped.variance_reduction
    );
    let welch = r
        .comparison("revenue", "variant")
        .unwrap()
        .welch
        .clone()
        .unwrap();
    assert!(cuped.ci[1] - cuped.ci[0] < welch.ci[1] - welch.ci[0]);
}

/// `n` users per arm; the control converts for `c` of them, the variant for `v`;
/// variant users also log `errors` error events each.
fn conversion_fixture(n: usize, c: usize, v: usize, errors: usize) -> (String, String) {
    let mut exposures = String::from("user_id,variant,exposure_ts\n");
    let mut events = String::from("user_id,event,amount,event_ts\n");
    for user in 0..2 * n {
        let (arm, converts) = if user < n {
            ("control", user < c)
        } else {
            ("variant", user - n < v)
        };
        writeln!(exposures, "u{user},{arm},2023-03-01 00:00:00").unwrap();
        writeln!(events, "u{user},view,,2023-03-01 01:00:00").unwrap();
        if converts {
            writeln!(events, "u{user},purchase,20,2023-03-02 00:00:00").unwrap();
        }
        let errs = if arm == "variant" {
            errors * (user % 2)
        } else {
            user % 2
        };
        for _ in 0..errs {
            writeln!(events, "u{user},error,,2023-03-01 02:00:00").unwrap();
        }
    }
    (exposures, events)
}

const GUARDED: &str = r#"{"bootstrap": {"resamples": 100}, "metrics": [
    {"name": "conversion", "kind": "conversion", "event": "purchase", "role": "primary"},
    {"name": "revenue", "kind": "sum", "event": "purchase"},
    {"name": "errors", "kind": "count", "event": "error", "role": "guardrail", "bad_direction": "increase", "margin": 0.25},
    {"name": "views", "kind": "count", "event": "view", "role": "guardrail", "margin": 0.05}]}"#;

#[test]
fn failing_guardrail_blocks_and_passing_one_passes() {
    let (exposures, events) = conversion_fixture(400, 40, 120, 4);
    let r = run(&exposures, &events, GUARDED);
    let status = |m: &str| r.guardrails.iter().find(|g| g.metric == m).unwrap().status;
    assert_eq!(status("errors"), GuardrailStatus::Fail);
    // Every user views exactly once: no variance, no change.
    assert_ne!(status("views"), GuardrailStatus::Fail);
    assert_eq!(r.decision.verdict, Verdict::Blocked);
    assert!(
        r.decision.reason.contains("errors"),
        "{}",
        r.decision.reason
    );
}

#[test]
fn significant_improvement_ships() {
    let (exposures, events) = conversion_fixture(400, 40, 120, 1);
    let r = run(&exposures, &events, GUARDED);
    assert_eq!(
        r.guardrails
            .iter()
            .find(|g| g.metric == "errors")
            .unwrap()
            .status,
        GuardrailStatus::Pass
    );
    assert_eq!(r.decision.verdict, Verdict::Ship, "{}", r.decision.reason);
    assert!(
        r.decision.reason.starts_with("Ship variant"),
        "{}",
        r.decision.reason
    );
}

#[test]
fn significant_harm_does_not_ship() {
    let (exposures, events) = conversion_fixture(400, 120, 40, 1);
    let r = run(&exposures, &events, GUARDED);
    assert_eq!(
        r.decision.verdict,
        Verdict::DontShip,
        "{}",
        r.decision.reason
    );
}

#[test]
fn noise_is_inconclusive() {
    let (exposures, events) = conversion_fixture(400, 40, 44, 1);
    let r = run(&exposures, &events, GUARDED);
    assert_eq!(
        r.decision.verdict,
        Verdict::Inconclusive,
        "{}",
        r.decision.reason
    );
}

#[test]
fn wide_interval_past_the_margin_warns() {
    // The same error rate in both arms, but 40 users each: the relative interval
    // (about ±44%) reaches past the 25% margin without being significant.
    let (exposures, events) = conversion_fixture(40, 4, 5, 1);
    let r = run(&exposures, &events, GUARDED);
    let errors = r.guardrails.iter().find(|g| g.metric == "errors").unwrap();
    assert_eq!(errors.status, GuardrailStatus::Warn, "{}", errors.reason);
}
