//! The DuckDB dialect of `warehouse::sql` computes exactly the engine's summary: run
//! through `scripts/warehouse/run_duckdb.py` (the DuckDB Python package) on
//! generated CSVs and compared row by row with `warehouse::write_summary` on the same
//! files (n exact, sums within 1e-9 relative), and the report from DuckDB's summary
//! compared with `analyze` on the raw rows. Skipped, with a note, where
//! `python3 -c "import duckdb"` fails (CI installs it: `pip install duckdb`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use splitscope_engine::generate::{generate, GeneratorConfig, VariantSpec};
use splitscope_engine::plan::Plan;
use splitscope_engine::warehouse::{self, Cross, Dialect, PreDenominator, SummaryRow};
use splitscope_engine::{analyze, Input, NoProgress};

fn python_with(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("splitscope-wh-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn script(dialect: Dialect) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../scripts/warehouse/run_{}.py", dialect.name()))
}

fn duckdb_summary(dir: &Path, plan: &Plan) -> Vec<u8> {
    run_sql(dir, plan, Dialect::Duckdb)
}

/// Runs the plan's SQL in `dialect` on the files; returns the engine's summary CSV.
fn run_sql(dir: &Path, plan: &Plan, dialect: Dialect) -> Vec<u8> {
    let sql = dir.join("query.sql");
    std::fs::write(&sql, warehouse::sql(plan, dialect)).unwrap();
    let out = dir.join("result.csv");
    let arg = |flag: &str, value: String| [flag.to_string(), value];
    let mut args: Vec<String> = vec![script(dialect).display().to_string()];
    args.extend(arg("--sql", sql.display().to_string()));
    args.extend(arg("--out", out.display().to_string()));
    let (x, e) = (&plan.exposures, &plan.events);
    args.extend(arg(
        "--table",
        format!("exposures={}", dir.join("exposures.csv").display()),
    ));
    args.extend(arg(
        "--table",
        format!("events={}", dir.join("events.csv").display()),
    ));
    args.extend(arg("--timestamp", format!("exposures.{}", x.timestamp)));
    args.extend(arg("--timestamp", format!("events.{}", e.timestamp)));
    args.extend(arg("--double", format!("events.{}", e.amount)));
    let run = Command::new("python3").args(&args).output().unwrap();
    assert!(
        run.status.success(),
        "run_{dialect}.py failed:\n{}\n--- query ---\n{}",
        String::from_utf8_lossy(&run.stderr),
        warehouse::sql(plan, dialect)
    );
    std::fs::read(out).unwrap()
}

type Key = (String, String, Option<(String, String)>);

fn keyed(rows: Vec<SummaryRow>) -> BTreeMap<Key, SummaryRow> {
    rows.into_iter()
        .map(|r| ((r.metric.clone(), r.variant.clone(), r.segment.clone()), r))
        .collect()
}

fn close(what: &str, a: f64, b: f64) {
    let tolerance = 1e-9 * a.abs().max(b.abs()) + 1e-12;
    assert!(
        (a - b).abs() <= tolerance,
        "{what}: engine {a} vs DuckDB {b}"
    );
}

fn close_cross(what: &str, a: Option<Cross>, b: Option<Cross>) {
    match (a, b) {
        (None, None) => {}
        (Some(a), Some(b)) => {
            close(&format!("{what} sum"), a.sum, b.sum);
            close(&format!("{what} sum_sq"), a.sum_sq, b.sum_sq);
            close(&format!("{what} sum_product"), a.sum_product, b.sum_product);
        }
        _ => panic!("{what}: engine {a:?} vs DuckDB {b:?}"),
    }
}

fn close_pre(what: &str, a: Option<PreDenominator>, b: Option<PreDenominator>) {
    match (a, b) {
        (None, None) => {}
        (Some(a), Some(b)) => {
            close(&format!("{what} sum"), a.sum, b.sum);
            close(&format!("{what} sum_sq"), a.sum_sq, b.sum_sq);
            close(&format!("{what} Σy·e"), a.sum_product, b.sum_product);
            close(
                &format!("{what} Σd·x"),
                a.den_cov_product,
                b.den_cov_product,
            );
            close(&format!("{what} Σd·e"), a.den_product, b.den_product);
            close(&format!("{what} Σx·e"), a.cov_product, b.cov_product);
        }
        _ => panic!("{what}: engine {a:?} vs DuckDB {b:?}"),
    }
}

/// Generates data, runs both sides and compares the summaries and the reports.
fn check(name: &str, config: &GeneratorConfig, plan: &Plan) -> usize {
    check_dialect(name, config, plan, Dialect::Duckdb)
}

fn check_dialect(name: &str, config: &GeneratorConfig, plan: &Plan, dialect: Dialect) -> usize {
    let dir = scratch(name);
    let (mut exposures, mut events) = (Vec::new(), Vec::new());
    generate(config, &mut exposures, &mut events).unwrap();
    std::fs::write(dir.join("exposures.csv"), &exposures).unwrap();
    std::fs::write(dir.join("events.csv"), &events).unwrap();
    let engine = warehouse::write_summary(
        Input::new("exposures.csv", &exposures[..]),
        Input::new("events.csv", &events[..]),
        plan,
        std::io::sink(),
    )
    .unwrap();
    let duck = run_sql(&dir, plan, dialect);
    let parsed = warehouse::read_summary(Input::new("result.csv", &duck[..]), plan).unwrap();
    let (engine, duck_rows) = (keyed(engine), keyed(parsed.rows));
    let keys = |m: &BTreeMap<Key, SummaryRow>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&engine), keys(&duck_rows), "the same rows");
    for (key, a) in &engine {
        let b = &duck_rows[key];
        assert_eq!(a.n, b.n, "n of {key:?}");
        close(&format!("{key:?} sum"), a.sum, b.sum);
        close(&format!("{key:?} sum_sq"), a.sum_sq, b.sum_sq);
        close_cross(&format!("{key:?} covariate"), a.covariate, b.covariate);
        close_cross(
            &format!("{key:?} denominator"),
            a.denominator,
            b.denominator,
        );
        close_pre(
            &format!("{key:?} pre-period denominator"),
            a.pre_denominator,
            b.pre_denominator,
        );
    }
    // And the report from DuckDB's summary agrees with the raw analysis.
    let raw = analyze(
        Input::new("exposures.csv", &exposures[..]),
        Input::new("events.csv", &events[..]),
        plan,
        &mut NoProgress,
    )
    .unwrap();
    let report = warehouse::analyze_summary(Input::new("result.csv", &duck[..]), plan).unwrap();
    assert_eq!(raw.decision.verdict, report.decision.verdict);
    assert_eq!(raw.variants.len(), report.variants.len());
    for (m, n) in raw.metrics.iter().zip(&report.metrics) {
        for (c, d) in m.comparisons.iter().zip(&n.comparisons) {
            close(
                &format!("{} {} p", m.name, c.variant),
                c.p_value.unwrap_or(-1.0),
                d.p_value.unwrap_or(-1.0),
            );
            close(&format!("{} {} diff", m.name, c.variant), c.diff, d.diff);
            let what = format!("{} {} CUPED", m.name, c.variant);
            match (&c.cuped, &d.cuped) {
                (None, None) => {}
                (Some(x), Some(y)) => {
                    close(&format!("{what} theta"), x.theta, y.theta);
                    close(&format!("{what} diff"), x.diff, y.diff);
                    close(&format!("{what} se"), x.se, y.se);
                }
                _ => panic!("{what}: raw {:?} vs DuckDB {:?}", c.cuped, d.cuped),
            }
            if plan.cuped.enabled && m.kind == "ratio" {
                assert!(c.cuped.is_some(), "{what} ran");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    engine.len()
}

fn config(users: u64, seed: u64) -> GeneratorConfig {
    let mut config = GeneratorConfig::new(users, users * 12);
    config.seed = seed;
    config.segments = true;
    config.bot_share = 0.03;
    config.multi_variant_share = 0.03;
    config.variants = vec![
        VariantSpec::new("control", 0.0, 0.0),
        VariantSpec::new("treatment", 0.1, 0.15),
        VariantSpec::new("alt", -0.05, 0.0),
    ];
    config
}

const METRICS: &str = r#""metrics": [
    {"name": "conversion", "kind": "conversion", "event": "purchase", "role": "primary"},
    {"name": "revenue", "kind": "sum", "event": "purchase"},
    {"name": "views", "kind": "count", "event": "view"},
    {"name": "errors", "kind": "count", "event": "error", "role": "guardrail", "bad_direction": "increase"},
    {"name": "revenue per view", "kind": "ratio", "numerator": "revenue", "denominator": "views"}
]"#;

#[test]
fn duckdb_sql_equals_engine_summary() {
    if !python_with("duckdb") {
        println!(
            "SKIPPED: python3 cannot import duckdb (pip install duckdb); warehouse SQL not run"
        );
        return;
    }
    let plan = Plan::from_json(&format!(
        r#"{{"exposures": {{"bot_flag": "is_bot", "segments": ["country", "device"]}},
            "cuped": {{"enabled": true, "pre_window": "5d"}}, "window": "6d", {METRICS}}}"#
    ))
    .unwrap();
    let rows = check("first", &config(4000, 21), &plan);
    assert!(rows > 100, "{rows} rows compared");
}

#[test]
fn duckdb_sql_equals_engine_summary_excluding_multi_variant_users() {
    if !python_with("duckdb") {
        println!(
            "SKIPPED: python3 cannot import duckdb (pip install duckdb); warehouse SQL not run"
        );
        return;
    }
    let plan = Plan::from_json(&format!(
        r#"{{"exposures": {{"bot_flag": "is_bot"}}, "multi_variant_policy": "exclude",
            "window": "36h", {METRICS}}}"#
    ))
    .unwrap();
    check("exclude", &config(3000, 8), &plan);
}

#[test]
fn duckdb_sql_with_the_default_plan_and_renamed_columns() {
    if !python_with("duckdb") {
        println!(
            "SKIPPED: python3 cannot import duckdb (pip install duckdb); warehouse SQL not run"
        );
        return;
    }
    // The course's plan; the generated files' headers renamed to odd names the SQL must quote.
    let plan = Plan::from_json(
        r#"{"exposures": {"user_id": "User Id", "variant": "group", "timestamp": "exposed at"},
            "events": {"user_id": "User Id", "event": "select", "amount": "value", "timestamp": "when"}}"#,
    )
    .unwrap();
    let mut config = GeneratorConfig::new(3000, 30_000);
    config.seed = 4;
    let dir = scratch("default");
    let (mut exposures, mut events) = (Vec::new(), Vec::new());
    generate(&config, &mut exposures, &mut events).unwrap();
    let rename = |csv: Vec<u8>, from: &str, to: &str| {
        let text = String::from_utf8(csv).unwrap();
        let (header, rest) = text.split_once('\n').unwrap();
        assert_eq!(header, from);
        format!("{to}\n{rest}").into_bytes()
    };
    let exposures = rename(
        exposures,
        "user_id,variant,exposure_ts",
        "User Id,group,exposed at",
    );
    let events = rename(
        events,
        "user_id,event,amount,event_ts",
        "User Id,select,value,when",
    );
    std::fs::write(dir.join("exposures.csv"), &exposures).unwrap();
    std::fs::write(dir.join("events.csv"), &events).unwrap();
    let engine = warehouse::write_summary(
        Input::new("exposures.csv", &exposures[..]),
        Input::new("events.csv", &events[..]),
        &plan,
        std::io::sink(),
    )
    .unwrap();
    let duck = duckdb_summary(&dir, &plan);
    let parsed = warehouse::read_summary(Input::new("result.csv", &duck[..]), &plan).unwrap();
    assert!(duck.starts_with(b"metric,variant,n,sum,sum_sq\n"));
    let (engine, duck_rows) = (keyed(engine), keyed(parsed.rows));
    assert_eq!(engine.len(), duck_rows.len());
    for (key, a) in &engine {
        let b = &duck_rows[key];
        assert_eq!(a.n, b.n, "n of {key:?}");
        close(&format!("{key:?} sum"), a.sum, b.sum);
        close(&format!("{key:?} sum_sq"), a.sum_sq, b.sum_sq);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn spark_sql_equals_engine_summary() {
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !(java && python_with("pyspark")) {
        println!("SKIPPED: needs `pip install pyspark` and a Java runtime; Spark SQL not run");
        return;
    }
    // Under a minute on two cores: Spark's start-up dominates.
    let plan = Plan::from_json(&format!(
        r#"{{"exposures": {{"bot_flag": "is_bot", "segments": ["device"]}},
            "cuped": {{"enabled": true}}, "multi_variant_policy": "exclude", {METRICS}}}"#
    ))
    .unwrap();
    check_dialect("spark", &config(1500, 33), &plan, Dialect::Spark);
}

fn rich_plan() -> Plan {
    Plan::from_json(&format!(
        r#"{{"exposures": {{"user_id": "user id", "variant": "group", "bot_flag": "is_bot",
               "segments": ["country", "it's"]}},
            "events": {{"bot_flag": "bot"}},
            "cuped": {{"enabled": true}}, {METRICS}}}"#
    ))
    .unwrap()
}

#[test]
fn every_dialect_has_its_own_syntax() {
    let plan = rich_plan();
    let q = |d| warehouse::sql(&plan, d);
    let (duck, bq, snow, spark) = (
        q(Dialect::Duckdb),
        q(Dialect::Bigquery),
        q(Dialect::Snowflake),
        q(Dialect::Spark),
    );
    assert!(duck.contains("u.exposure_ts + INTERVAL (604800) SECOND"));
    assert!(duck.contains(r#"CAST("group" AS VARCHAR) AS variant"#));
    assert!(bq.contains("TIMESTAMP_ADD(u.exposure_ts, INTERVAL 604800 SECOND)"));
    assert!(bq.contains("CAST(`user id` AS STRING)") && bq.contains("CAST(NULL AS FLOAT64)"));
    assert!(bq.contains(r"'it\'s'"));
    assert!(snow.contains("DATEADD(second, -604800, u.exposure_ts)"));
    // Snowflake: plain names unquoted (case-insensitive), others quoted; aliases lower case.
    assert!(
        snow.contains("CAST(is_bot AS VARCHAR)") && snow.contains(r#"CAST("group" AS VARCHAR)"#)
    );
    assert!(snow.contains(r#"AS "sum_sq""#) && snow.contains("'it''s'"));
    assert!(spark.contains("make_interval(0, 0, 0, 0, 0, 0, 604800)"));
    assert!(spark.contains("CAST(`user id` AS STRING)"));
    for sql in [&duck, &bq, &snow, &spark] {
        assert!(sql.contains("ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY exposure_ts, variant, segment_0, segment_1)"));
        assert!(sql.contains("LEFT JOIN event_rows e"));
        assert!(sql.ends_with("ORDER BY 3, 4, 1, 2\n"));
    }
    assert_eq!("BigQuery".parse::<Dialect>(), Ok(Dialect::Bigquery));
    assert!("oracle".parse::<Dialect>().is_err());
}

#[test]
fn every_dialect_parses_with_sqlglot() {
    if !python_with("sqlglot") {
        println!(
            "SKIPPED: python3 cannot import sqlglot (pip install sqlglot); syntax not checked"
        );
        return;
    }
    let parse = "import sys, sqlglot\n\
                 sqlglot.parse_one(sys.stdin.read(), read=sys.argv[1], error_level=sqlglot.ErrorLevel.RAISE)";
    let mut exclude = rich_plan();
    exclude.multi_variant_policy = splitscope_engine::plan::MultiVariantPolicy::Exclude;
    for plan in [rich_plan(), exclude, Plan::default()] {
        for dialect in Dialect::ALL {
            use std::io::Write;
            let mut child = Command::new("python3")
                .args(["-c", parse, dialect.name()])
                .stdin(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let sql = warehouse::sql(&plan, dialect);
            child
                .stdin
                .take()
                .unwrap()
                .write_all(sql.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{dialect}: {}\n{sql}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
