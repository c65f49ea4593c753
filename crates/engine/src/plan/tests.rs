use super::*;

#[test]
fn empty_plan_is_the_course_plan() {
    let plan = Plan::from_json("{}").unwrap();
    assert_eq!(plan, Plan::default());
    assert_eq!(plan.window.seconds(), 7 * 86_400);
    assert_eq!(plan.bootstrap.resamples, 5000);
    assert_eq!(plan.bootstrap.seed, 7);
    assert_eq!(plan.metrics.len(), 2);
}

#[test]
fn round_trips_through_json() {
    let mut plan = Plan::default();
    plan.metrics.push(MetricSpec {
        name: "errors".into(),
        kind: MetricKind::Count {
            event: "error".into(),
        },
        role: Role::Guardrail,
        good_direction: Direction::Decrease,
        margin: Some(0.05),
        capping: None,
    });
    plan.cuped.enabled = true;
    let back = Plan::from_json(&plan.to_json_pretty()).unwrap();
    assert_eq!(back, plan);
}

#[test]
fn rejects_unknown_keys_everywhere() {
    for text in [
        r#"{"windwo": "7d"}"#,
        r#"{"exposures": {"user": "id"}}"#,
        r#"{"metrics": [{"name": "c", "kind": "conversion", "event": "p", "evnt": "x"}]}"#,
        r#"{"bootstrap": {"sed": 3}}"#,
    ] {
        assert!(Plan::from_json(text).is_err(), "{text} should be rejected");
    }
}

#[test]
fn rejects_bad_values_with_a_reason() {
    let cases = [
        (r#"{"alpha": 1.5}"#, "alpha"),
        (r#"{"window": "soon"}"#, "span"),
        (r#"{"metrics": []}"#, "at least one"),
        (
            r#"{"metrics": [{"name": "r", "kind": "ratio", "numerator": "a", "denominator": "b"}]}"#,
            "unknown metric",
        ),
        (
            r#"{"metrics": [{"name": "c", "kind": "sum"}]}"#,
            "needs \"event\"",
        ),
    ];
    for (text, needle) in cases {
        let err = Plan::from_json(text).unwrap_err().to_string();
        assert!(err.contains(needle), "{text}: {err}");
    }
}

#[test]
fn spans_accept_units_and_seconds() {
    let plan = Plan::from_json(r#"{"window": 3600, "cuped": {"pre_window": "2weeks"}}"#).unwrap();
    assert_eq!(plan.window.seconds(), 3600);
    assert_eq!(plan.cuped.pre_window.seconds(), 14 * 86_400);
}
