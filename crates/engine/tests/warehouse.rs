//! The warehouse path equals the raw path: `analyze` on generated rows and
//! `warehouse::analyze_summary` on the summary written from the same rows give the
//! same report, number for number (1e-9 relative), except the fields that need rows.

use serde_json::Value;
use splitscope_engine::generate::{generate, GeneratorConfig, VariantSpec};
use splitscope_engine::plan::Plan;
use splitscope_engine::report::{Report, Verdict};
use splitscope_engine::{analyze, warehouse, Input, NoProgress};

/// Fields that need per-user rows: absent (or different by design) in the summary path.
const ROW_ONLY: [&str; 6] = [
    "bootstrap",
    "mann_whitney",
    "timeline",
    "lift_over_time",
    "inputs",
    "diagnostics",
];

fn data(config: &GeneratorConfig) -> (Vec<u8>, Vec<u8>) {
    let (mut exposures, mut events) = (Vec::new(), Vec::new());
    generate(config, &mut exposures, &mut events).unwrap();
    (exposures, events)
}

fn both(config: &GeneratorConfig, plan: &Plan) -> (Report, Report, Vec<u8>) {
    let (exposures, events) = data(config);
    let raw = analyze(
        Input::new("exposures.csv", &exposures[..]),
        Input::new("events.csv", &events[..]),
        plan,
        &mut NoProgress,
    )
    .unwrap();
    let mut summary = Vec::new();
    warehouse::write_summary(
        Input::new("exposures.csv", &exposures[..]),
        Input::new("events.csv", &events[..]),
        plan,
        &mut summary,
    )
    .unwrap();
    let from_summary =
        warehouse::analyze_summary(Input::new("summary.csv", &summary[..]), plan).unwrap();
    (raw, from_summary, summary)
}

/// Walks both JSON trees; numbers within 1e-9 relative (1e-12 absolute near 0).
fn same(path: &str, a: &Value, b: &Value, diffs: &mut Vec<String>, checked: &mut usize) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, va) in x {
                if ROW_ONLY.contains(&key.as_str()) {
                    continue;
                }
                match y.get(key) {
                    Some(vb) => same(&format!("{path}.{key}"), va, vb, diffs, checked),
                    None => diffs.push(format!("{path}.{key} missing")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                diffs.push(format!("{path}: {} vs {} items", x.len(), y.len()));
            }
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                same(&format!("{path}[{i}]"), va, vb, diffs, checked);
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            *checked += 1;
            let tolerance = 1e-9 * x.abs().max(y.abs()) + 1e-12;
            if (x - y).abs() > tolerance {
                diffs.push(format!("{path}: {x} vs {y}"));
            }
        }
        (Value::String(x), Value::String(y)) if path.ends_with(".reason") && x != y => {
            // Reasons print p-values with 4 digits: equal unless a value sits on a rounding edge.
            diffs.push(format!("{path}: {x:?} vs {y:?}"));
        }
        _ if a != b => diffs.push(format!("{path}: {a} vs {b}")),
        _ => {}
    }
}

fn assert_same(raw: &Report, summary: &Report) -> usize {
    let (a, b) = (
        serde_json::to_value(raw).unwrap(),
        serde_json::to_value(summary).unwrap(),
    );
    let (mut diffs, mut checked) = (Vec::new(), 0);
    same("report", &a, &b, &mut diffs, &mut checked);
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    assert_eq!(raw.decision.verdict, summary.decision.verdict);
    checked
}

fn rich_plan(extra: &str) -> Plan {
    Plan::from_json(&format!(
        r#"{{
        "exposures": {{"bot_flag": "is_bot", "segments": ["country", "device"]}},
        "cuped": {{"enabled": true}},
        "pool_arms": true,
        "sequential": {{"enabled": true, "tuning_n": 4000}},
        "bayesian": {{"enabled": true}},
        "distribution_test": true,
        "bootstrap": {{"resamples": 200}},
        "metrics": [
            {{"name": "conversion", "kind": "conversion", "event": "purchase", "role": "primary"}},
            {{"name": "revenue", "kind": "sum", "event": "purchase", "role": "primary"}},
            {{"name": "views", "kind": "count", "event": "view"}},
            {{"name": "carts", "kind": "conversion", "event": "add_to_cart"}},
            {{"name": "errors", "kind": "count", "event": "error", "role": "guardrail",
              "bad_direction": "increase", "margin": 0.05}},
            {{"name": "revenue_per_view", "kind": "ratio", "numerator": "revenue", "denominator": "views"}}
        ]
        {extra}
    }}"#
    ))
    .unwrap()
}

fn three_arms(users: u64, seed: u64) -> GeneratorConfig {
    let mut config = GeneratorConfig::new(users, users * 12);
    config.seed = seed;
    config.segments = true;
    config.bot_share = 0.02;
    config.multi_variant_share = 0.02;
    config.variants = vec![
        VariantSpec::new("control", 0.0, 0.0),
        VariantSpec::new("b", 0.25, 0.3),
        VariantSpec::new("a", 0.02, -0.05),
    ];
    config
}

#[test]
fn summary_path_equals_raw_path_with_every_method() {
    let plan = rich_plan(r#", "correction": "benjamini_hochberg""#);
    let (raw, summary, csv) = both(&three_arms(6000, 11), &plan);
    let checked = assert_same(&raw, &summary);
    assert!(checked > 1000, "only {checked} numbers compared");
    assert!(!raw.segments.is_empty() && raw.segments.len() == summary.segments.len());
    assert!(
        raw.metrics.iter().all(|m| m.comparisons.len() == 3),
        "pooled arm present"
    );
    let cuped = raw.comparison("revenue", "b").unwrap().cuped.as_ref();
    assert!(cuped.is_some(), "CUPED ran");
    // CUPED on the ratio metric, from rows and from the summary (equal, checked above),
    // including the pooled arms (merged moments versus concatenated rows).
    for report in [&raw, &summary] {
        for arm in ["b", "a", splitscope_engine::infer::POOLED_ARMS] {
            let c = report.comparison("revenue_per_view", arm).unwrap();
            let cuped = c.cuped.as_ref().expect("ratio CUPED ran");
            assert!(
                cuped.theta > 0.0 && cuped.variance_reduction > 0.0,
                "{cuped:?}"
            );
        }
    }
    // What needs rows is marked absent.
    let c = summary.comparison("revenue", "b").unwrap();
    assert!(c.bootstrap.is_none() && c.mann_whitney.is_none());
    assert!(raw.comparison("revenue", "b").unwrap().bootstrap.is_some());
    assert!(summary.timeline.days.is_empty() && summary.lift_over_time.is_empty());
    assert_eq!(summary.inputs.exposures.name, "summary.csv");
    assert_eq!(summary.inputs.exposures.bytes, csv.len() as u64);
    assert_eq!(summary.inputs.events.rows, 0);
    assert_eq!(
        summary.diagnostics.users_analysed,
        raw.diagnostics.users_analysed
    );
    let header = std::str::from_utf8(&csv).unwrap().lines().next().unwrap();
    assert_eq!(
        header,
        "metric,variant,segment_column,segment_value,n,sum,sum_sq,cov_sum,cov_sum_sq,\
         sum_cov_product,den_sum,den_sum_sq,sum_den_product,cov_den_sum,cov_den_sum_sq,\
         sum_cov_den_product,sum_den_cov_product,sum_den_cov_den_product,sum_cov_cov_den_product"
    );
}

#[test]
fn summary_path_equals_raw_path_excluding_multi_variant_users_and_holm() {
    let plan = rich_plan(r#", "multi_variant_policy": "exclude", "alpha": 0.1"#);
    let (raw, summary, _) = both(&three_arms(3000, 5), &plan);
    assert_same(&raw, &summary);
    assert!(raw.diagnostics.exposures.multi_variant_users_excluded > 0);
}

#[test]
fn summary_path_equals_raw_path_on_every_verdict_seen() {
    // The course's default plan on two arms, with shipping, flat and harmful variants.
    let mut verdicts = Vec::new();
    for (seed, lift) in [(1, 0.4), (2, 0.0), (3, -0.4)] {
        let mut config = GeneratorConfig::new(8000, 60_000);
        config.seed = seed;
        config.variants[1] = VariantSpec::new("variant", lift, lift);
        let (raw, summary, csv) = both(&config, &Plan::default());
        assert_same(&raw, &summary);
        assert!(csv.starts_with(b"metric,variant,n,sum,sum_sq\n"));
        verdicts.push(summary.decision.verdict);
    }
    assert!(verdicts.contains(&Verdict::Ship), "{verdicts:?}");
    assert!(verdicts.contains(&Verdict::DontShip), "{verdicts:?}");
}

#[test]
fn summary_rows_round_trip_through_csv() {
    let plan = rich_plan("");
    let (exposures, events) = data(&three_arms(500, 3));
    let mut csv = Vec::new();
    let written = warehouse::write_summary(
        Input::new("e.csv", &exposures[..]),
        Input::new("v.csv", &events[..]),
        &plan,
        &mut csv,
    )
    .unwrap();
    let read = warehouse::read_summary(Input::new("s.csv", &csv[..]), &plan).unwrap();
    assert_eq!(read.rows, written);
    assert_eq!(read.file.rows, written.len() as u64);
}

#[test]
fn capping_is_refused_with_a_reason() {
    let mut plan = Plan::default();
    plan.metrics[1].capping = Some(splitscope_engine::plan::Capping {
        lower: None,
        upper: Some(0.99),
    });
    let csv = "metric,variant,n,sum,sum_sq\n";
    let err = warehouse::analyze_summary(Input::new("s.csv", csv.as_bytes()), &plan).unwrap_err();
    assert!(err.to_string().contains("capp"), "{err}");
}
