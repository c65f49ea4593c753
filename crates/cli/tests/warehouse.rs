//! End-to-end tests of the warehouse path: `summary` (raw CSVs → sufficient
//! statistics), `stats` (sufficient statistics → report, equal to `analyze`'s)
//! and `sql`.

mod support;

use std::fs;
use std::path::Path;

use serde_json::Value;

use support::{analyze, generate, json, ok, path, run, scratch, stderr};

/// Numbers equal within 1e-9 relative (the summary path sums instead of taking two
/// passes over values), everything else exactly; `at` names the place on failure.
fn assert_close(raw: &Value, summary: &Value, at: &str) {
    match (raw, summary) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12),
                "{at}: raw {a} vs summary {b}"
            );
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{at}: lengths");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_close(x, y, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(
                a.keys().collect::<Vec<_>>(),
                b.keys().collect::<Vec<_>>(),
                "{at}: keys"
            );
            for (k, x) in a {
                assert_close(x, &b[k], &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(raw, summary, "{at}"),
    }
}

/// `analyze` on the raw files and `stats` on the summary `summary` wrote from them
/// agree on the variants table, SRM, every Welch test, CUPED and the decision.
fn check_stats_equals_analyze(dir: &Path, exposures: &str, events: &str, plan: &[&str]) {
    let csv = path(dir, "summary.csv");
    let mut args = vec!["summary", "--exposures", exposures, "--events", events];
    args.extend(plan);
    // stdout and --output give the same file.
    let printed = ok(&args);
    args.extend(["--output", &csv]);
    assert_eq!(ok(&args), "");
    assert_eq!(fs::read_to_string(&csv).unwrap(), printed);
    assert!(printed.starts_with("metric,variant,"), "{printed}");

    let mut args = vec!["analyze", "--exposures", exposures, "--events", events];
    args.extend(plan);
    let raw = json(&ok(&args));
    let mut args = vec!["stats", "--summary", &csv];
    args.extend(plan);
    let summary = json(&ok(&args));

    assert_eq!(summary["schema"], "splitscope.report/1");
    assert_close(&raw["variants"], &summary["variants"], "variants");
    assert_close(&raw["srm"], &summary["srm"], "srm");
    assert_close(&raw["decision"], &summary["decision"], "decision");
    let metrics = raw["metrics"].as_array().unwrap();
    assert!(!metrics.is_empty());
    for (m, (r, s)) in metrics
        .iter()
        .zip(summary["metrics"].as_array().unwrap())
        .enumerate()
    {
        assert_eq!(r["name"], s["name"]);
        let (rc, sc) = (
            r["comparisons"].as_array().unwrap(),
            s["comparisons"].as_array().unwrap(),
        );
        assert_eq!(rc.len(), sc.len());
        for (c, (x, y)) in rc.iter().zip(sc).enumerate() {
            let at = format!("metrics[{m}].comparisons[{c}]");
            for field in [
                "variant",
                "control_mean",
                "variant_mean",
                "diff",
                "welch",
                "cuped",
                "p_value",
                "adjusted_p_value",
                "significant",
            ] {
                assert_close(&x[field], &y[field], &format!("{at}.{field}"));
            }
            // What needs individual rows is absent.
            assert!(y["bootstrap"].is_null(), "{at}");
        }
    }
}

#[test]
fn stats_on_the_course_summary_equals_analyze() {
    let dir = scratch("course");
    ok(&["example", dir.to_str().unwrap()]);
    let (e, v) = (path(&dir, "exposures.csv"), path(&dir, "events.csv"));
    check_stats_equals_analyze(&dir, &e, &v, &[]);

    // The course's golden numbers, from the summary alone.
    let report = json(&ok(&["stats", "--summary", &path(&dir, "summary.csv")]));
    let control = &report["variants"][0];
    assert_eq!(control["name"], "control");
    assert_eq!(control["users"], 3);
    assert_eq!(control["conversions"], 1);
    assert_eq!(control["revenue_per_user"].as_f64(), Some(10.0));
    assert_eq!(
        report["variants"][1]["revenue_per_user"].as_f64(),
        Some(25.0)
    );
    let revenue = report["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "revenue")
        .unwrap();
    assert_eq!(revenue["comparisons"][0]["diff"].as_f64(), Some(15.0));
    let p = revenue["comparisons"][0]["welch"]["p_value"]
        .as_f64()
        .unwrap();
    assert!(p > 0.0 && p < 1.0);
}

#[test]
fn stats_on_generated_data_with_segments_and_cuped_equals_analyze() {
    let dir = scratch("generated");
    generate(
        &dir,
        &[
            "--users",
            "3000",
            "--events",
            "30000",
            "--variants",
            "control, b, c",
            "--segments",
            "--seed",
            "9",
        ],
    );
    let plan_path = path(&dir, "plan.json");
    let mut plan = json(&fs::read_to_string(&plan_path).unwrap());
    assert_eq!(plan["cuped"]["enabled"], true);
    plan["exposures"]["segments"] = serde_json::json!(["country"]);
    // A ratio metric too, so CUPED for ratios goes through `summary` and `stats`.
    let metrics = plan["metrics"].as_array_mut().unwrap();
    metrics.push(serde_json::json!({"name": "views", "kind": "count", "event": "view"}));
    metrics.push(
        serde_json::json!({"name": "revenue_per_view", "kind": "ratio",
        "numerator": "revenue", "denominator": "views"}),
    );
    fs::write(&plan_path, plan.to_string()).unwrap();
    let (e, v) = (path(&dir, "exposures.csv"), path(&dir, "events.csv"));
    check_stats_equals_analyze(&dir, &e, &v, &["--plan", &plan_path]);
    let csv = fs::read_to_string(path(&dir, "summary.csv")).unwrap();
    assert!(csv.contains(",country,"), "segment rows");
    let args = ["--plan", plan_path.as_str()];
    let raw = json(&ok(&[
        &["analyze", "--exposures", &e, "--events", &v][..],
        &args,
    ]
    .concat()));
    let summary = json(&ok(&[
        &["stats", "--summary", &path(&dir, "summary.csv")][..],
        &args,
    ]
    .concat()));
    let segments = raw["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 8, "one per country");
    for (i, (r, s)) in segments
        .iter()
        .zip(summary["segments"].as_array().unwrap())
        .enumerate()
    {
        for field in ["column", "value", "variants", "srm"] {
            assert_close(&r[field], &s[field], &format!("segments[{i}].{field}"));
        }
    }
    // CUPED ran on the summary's covariate columns, for the ratio metric too (equal
    // to the raw path's, checked above).
    assert!(summary["metrics"][0]["comparisons"][0]["cuped"].is_object());
    let ratio = summary["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "revenue_per_view")
        .unwrap();
    for c in ratio["comparisons"].as_array().unwrap() {
        assert!(c["cuped"]["theta"].as_f64().unwrap() > 0.0, "{c}");
    }
    let header = csv.lines().next().unwrap();
    assert!(header.contains("cov_sum"), "CUPED columns");
    assert!(header.ends_with(",sum_cov_cov_den_product"), "{header}");
}

#[test]
fn analyze_text_shows_cuped_for_a_ratio_metric() {
    let dir = scratch("ratio_text");
    generate(
        &dir,
        &["--users", "2000", "--events", "20000", "--seed", "4"],
    );
    let plan_path = path(&dir, "plan.json");
    let mut plan = json(&fs::read_to_string(&plan_path).unwrap());
    let metrics = plan["metrics"].as_array_mut().unwrap();
    metrics.push(serde_json::json!({"name": "views", "kind": "count", "event": "view"}));
    metrics.push(
        serde_json::json!({"name": "revenue_per_view", "kind": "ratio",
        "numerator": "revenue", "denominator": "views"}),
    );
    fs::write(&plan_path, plan.to_string()).unwrap();
    let (e, v) = (path(&dir, "exposures.csv"), path(&dir, "events.csv"));
    let text = analyze(&e, &v, &["--plan", &plan_path, "--format", "text"]);
    let ratio = text
        .split("\n\n")
        .find(|block| block.starts_with("revenue_per_view (ratio"))
        .unwrap_or_else(|| panic!("no ratio block in:\n{text}"));
    assert!(ratio.contains("    CUPED diff "), "{ratio}");
    assert!(ratio.contains("variance reduction"), "{ratio}");
}

#[test]
fn stats_renders_text_and_html_and_writes_files() {
    let dir = scratch("formats");
    ok(&["example", dir.to_str().unwrap()]);
    let (e, v) = (path(&dir, "exposures.csv"), path(&dir, "events.csv"));
    let csv = path(&dir, "s.csv");
    ok(&["summary", "--exposures", &e, "--events", &v, "-o", &csv]);
    let text = ok(&["stats", "--summary", &csv, "--format", "text"]);
    assert!(text.contains("VERDICT"), "{text}");
    assert!(text.contains("control"), "{text}");
    let html = path(&dir, "report.html");
    assert_eq!(
        ok(&[
            "stats",
            "--summary",
            &csv,
            "--format",
            "html",
            "--output",
            &html
        ]),
        ""
    );
    assert!(fs::read_to_string(&html).unwrap().contains("<html"));
}

#[test]
fn stats_and_summary_reject_bad_input_with_exit_2() {
    let dir = scratch("bad");
    let missing = path(&dir, "missing.csv");
    let out = run(&["stats", "--summary", &missing]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("missing.csv"));

    let bad = path(&dir, "bad.csv");
    fs::write(
        &bad,
        "metric,variant,n,sum,sum_sq\nconversion,control,3,1,1\nconversion,variant,2,5,1\n",
    )
    .unwrap();
    let out = run(&["stats", "--summary", &bad]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.csv"), "{}", stderr(&out));

    let out = run(&["summary", "--exposures", &missing, "--events", &missing]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn sql_duckdb_selects_the_plans_columns() {
    let dir = scratch("sql");
    let mut plan = json(&ok(&["plan"]));
    plan["exposures"]["user_id"] = "uid".into();
    plan["exposures"]["timestamp"] = "seen_at".into();
    plan["events"]["event"] = "action".into();
    plan["events"]["amount"] = "value_usd".into();
    let plan_path = path(&dir, "plan.json");
    fs::write(&plan_path, plan.to_string()).unwrap();
    let sql = ok(&["sql", "--dialect", "duckdb", "--plan", &plan_path]);
    assert!(sql.contains("SELECT"), "{sql}");
    for column in [
        "\"uid\"",
        "\"seen_at\"",
        "\"action\"",
        "\"value_usd\"",
        "\"variant\"",
    ] {
        assert!(sql.contains(column), "{column} missing:\n{sql}");
    }
    assert!(sql.contains("FROM exposures") && sql.contains("FROM events"));
    // Other tables and every dialect.
    let sql = ok(&[
        "sql",
        "--dialect",
        "BigQuery",
        "--exposures-table",
        "proj.ds.exp",
        "--events-table",
        "proj.ds.evt",
    ]);
    assert!(
        sql.contains("proj.ds.exp") && sql.contains("`user_id`"),
        "{sql}"
    );
    for dialect in ["snowflake", "spark"] {
        assert!(ok(&["sql", "--dialect", dialect]).contains("SELECT"));
    }
}

#[test]
fn sql_with_a_bad_dialect_exits_2_and_lists_the_dialects() {
    let out = run(&["sql", "--dialect", "oracle"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for name in ["duckdb", "bigquery", "snowflake", "spark"] {
        assert!(err.contains(name), "{name} not listed: {err}");
    }
    assert!(out.stdout.is_empty());
}
