//! The methods beyond the course wired through the pipeline: A/B/n and pooled arms,
//! segments with multiple-testing control, capping, sequential, Bayesian,
//! Mann–Whitney and lift over time.

use std::fmt::Write;

use splitscope_engine::infer::{Correction, POOLED_ARMS};
use splitscope_engine::plan::Plan;
use splitscope_engine::report::{Report, TimeAxis};
use splitscope_engine::{analyze, Input, NoProgress};

/// Three arms, two countries, 300 users per arm; arm `b` converts more. Events fall
/// on the exposure day and two days later; the data ends ten days after the last
/// exposure so every window is complete.
fn data() -> (String, String) {
    let mut exposures = String::from("user_id,variant,exposure_ts,country\n");
    let mut events = String::from("user_id,event,amount,event_ts\n");
    for user in 0..900 {
        let arm = ["control", "a", "b"][user % 3];
        let country = if user % 2 == 0 { "DE" } else { "FR" };
        let day = 1 + user % 5;
        writeln!(
            exposures,
            "{user},{arm},2024-05-{day:02} 08:00:00,{country}"
        )
        .unwrap();
        let rate = match arm {
            "b" => 5,
            _ => 10,
        };
        if (user / 3) % rate == 0 {
            let amount = if user == 3 { 10_000 } else { 20 + user % 7 };
            writeln!(
                events,
                "{user},purchase,{amount},2024-05-{:02} 12:00:00",
                day + 2
            )
            .unwrap();
        }
        writeln!(events, "{user},view,,2024-05-{day:02} 09:00:00").unwrap();
    }
    writeln!(events, "0,view,,2024-05-20 09:00:00").unwrap();
    (exposures, events)
}

fn run(plan: &str) -> Report {
    let (exposures, events) = data();
    analyze(
        Input::new("exposures.csv", exposures.as_bytes()),
        Input::new("events.csv", events.as_bytes()),
        &Plan::from_json(plan).unwrap(),
        &mut NoProgress,
    )
    .unwrap()
}

const PLAN: &str = r#"{"bootstrap": {"resamples": 200}, "pool_arms": true,
  "exposures": {"segments": ["country"]},
  "sequential": {"enabled": true, "tuning_n": 900},
  "bayesian": {"enabled": true}, "distribution_test": true,
  "metrics": [
    {"name": "conversion", "kind": "conversion", "event": "purchase", "role": "primary"},
    {"name": "revenue", "kind": "sum", "event": "purchase", "capping": {"upper": 0.99}},
    {"name": "views", "kind": "count", "event": "view", "role": "guardrail", "bad_direction": "decrease"}]}"#;

#[test]
fn every_arm_and_the_pool_are_compared() {
    let r = run(PLAN);
    let names: Vec<&str> = r.metrics[0]
        .comparisons
        .iter()
        .map(|c| c.variant.as_str())
        .collect();
    assert_eq!(names, ["a", "b", POOLED_ARMS]);
    assert_eq!(
        r.variants.iter().map(|v| v.users).collect::<Vec<_>>(),
        [300, 300, 300]
    );
    let pooled = r.comparison("conversion", POOLED_ARMS).unwrap();
    let (a, b) = (
        r.comparison("conversion", "a").unwrap(),
        r.comparison("conversion", "b").unwrap(),
    );
    assert!((pooled.variant_mean - (a.variant_mean + b.variant_mean) / 2.0).abs() < 1e-12);
}

#[test]
fn segments_have_their_own_tables_and_srm() {
    let r = run(PLAN);
    let values: Vec<&str> = r.segments.iter().map(|s| s.value.as_str()).collect();
    assert_eq!(values, ["DE", "FR"]);
    for s in &r.segments {
        assert_eq!(s.column, "country");
        assert_eq!(s.variants.iter().map(|v| v.users).sum::<u64>(), 450);
        assert!(!s.srm.flagged);
        assert!(s.metrics[0]
            .comparisons
            .iter()
            .all(|c| c.bootstrap.is_none()));
    }
}

#[test]
fn holm_covers_arms_primaries_and_segments_but_not_guardrails() {
    let r = run(PLAN);
    // 3 comparisons (a, b, pooled) × 1 primary metric × (overall + 2 segments).
    assert_eq!(r.correction.family_size, 9);
    assert_eq!(r.correction.method, Correction::Holm);
    for c in &r.metrics[0].comparisons {
        assert!(c.adjusted_p_value.unwrap() >= c.p_value.unwrap());
    }
    for c in &r.metrics[2].comparisons {
        assert_eq!(
            c.adjusted_p_value, c.p_value,
            "guardrails are never corrected"
        );
    }
    let none = run(&PLAN.replace(
        "\"pool_arms\": true",
        "\"pool_arms\": true, \"correction\": \"none\"",
    ));
    let c = &none.metrics[0].comparisons[0];
    assert_eq!(c.adjusted_p_value, c.p_value);
}

#[test]
fn capping_reports_pooled_cut_points() {
    let r = run(PLAN);
    let cap = r.metrics[1].capping.clone().unwrap();
    assert_eq!(cap.upper_quantile, Some(0.99));
    let upper = cap.upper.unwrap();
    assert!(upper < 10_000.0 && upper > 0.0, "{upper}");
    let control = r.variants[0]
        .metrics
        .iter()
        .find(|m| m.name == "revenue")
        .unwrap();
    assert!(
        control.total < 10_000.0,
        "the outlier is capped: {}",
        control.total
    );
}

#[test]
fn optional_read_outs_appear_only_when_asked() {
    let r = run(PLAN);
    let b = r.comparison("conversion", "b").unwrap();
    let seq = b.sequential.as_ref().unwrap();
    let welch = b.welch.as_ref().unwrap();
    assert!(
        seq.ci[1] - seq.ci[0] > welch.ci[1] - welch.ci[0],
        "always-valid intervals are wider"
    );
    let bayes = b.bayes.as_ref().unwrap();
    assert!(bayes.chance_to_beat_control > 0.5);
    assert!(b.mann_whitney.is_some());
    let plain = run("{}");
    let c = &plain.metrics[0].comparisons[0];
    assert!(c.sequential.is_none() && c.bayes.is_none() && c.mann_whitney.is_none());
}

#[test]
fn ratio_metrics_get_the_sequential_and_bayesian_read_outs() {
    let r = run(r#"{"bootstrap": {"resamples": 0},
      "sequential": {"enabled": true, "tuning_n": 900}, "bayesian": {"enabled": true},
      "metrics": [
        {"name": "revenue", "kind": "sum", "event": "purchase"},
        {"name": "views", "kind": "count", "event": "view"},
        {"name": "revenue_per_view", "kind": "ratio", "numerator": "revenue", "denominator": "views"}]}"#);
    let c = r.comparison("revenue_per_view", "b").unwrap();
    let (welch, seq) = (c.welch.as_ref().unwrap(), c.sequential.as_ref().unwrap());
    assert_eq!(seq.diff, welch.diff);
    assert!(seq.ci[0] < welch.ci[0] && seq.ci[1] > welch.ci[1]);
    let bayes = c.bayes.as_ref().unwrap();
    // The default prior N(0, 0.3²) shrinks the delta-method lift toward 0.
    let lift = welch.relative_lift.unwrap();
    assert!(
        0.0 < bayes.posterior_mean && bayes.posterior_mean < lift,
        "{lift}"
    );
    assert!(bayes.chance_to_beat_control > 0.5, "b earns more per view");
}

#[test]
fn cumulative_lift_ends_at_the_overall_lift() {
    let r = run(PLAN);
    for metric in ["conversion", "revenue"] {
        let series = r
            .lift_over_time
            .iter()
            .find(|l| {
                l.metric == metric && l.variant == "b" && l.axis == TimeAxis::CumulativeByDate
            })
            .unwrap();
        let last = series.points.last().unwrap();
        assert_eq!(last.users, 600);
        let overall = r.comparison(metric, "b").unwrap().welch.clone().unwrap();
        let (a, b) = (last.lift.unwrap(), overall.relative_lift.unwrap());
        assert!((a - b).abs() < 1e-9, "{metric}: {a} vs {b}");
    }
    let by_day = r
        .lift_over_time
        .iter()
        .find(|l| {
            l.metric == "conversion" && l.variant == "b" && l.axis == TimeAxis::DaysSinceExposure
        })
        .unwrap();
    // Purchases happen two days after exposure: only day 2 has conversions.
    let day2 = by_day.points.iter().find(|p| p.label == "2").unwrap();
    assert!(day2.lift.is_some());
    assert!(by_day
        .points
        .iter()
        .filter(|p| p.label != "2")
        .all(|p| p.lift.is_none()));
}

#[test]
fn limits_refuse_too_many_segment_values() {
    let (exposures, events) = data();
    let plan = Plan::from_json(r#"{"exposures": {"segments": ["user_id"]}}"#).unwrap();
    let err = analyze(
        Input::new("exposures.csv", exposures.as_bytes()),
        Input::new("events.csv", events.as_bytes()),
        &plan,
        &mut NoProgress,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("max_segment_values"), "{err}");
}
