//! The summary parser's errors: each names the file, the line and the column, and
//! says what was expected.

use splitscope_engine::plan::Plan;
use splitscope_engine::validate::BadRow;
use splitscope_engine::warehouse::{analyze_summary, read_summary};
use splitscope_engine::{AnalysisError, Input};

const GOOD: &str = "metric,variant,n,sum,sum_sq\n\
conversion,control,100,10,10\n\
revenue,control,100,250.5,9000\n\
conversion,variant,98,12,12\n\
revenue,variant,98,300,11000\n";

fn read(csv: &str, plan: &Plan) -> Result<usize, AnalysisError> {
    read_summary(Input::new("summary.csv", csv.as_bytes()), plan).map(|s| s.rows.len())
}

fn bad_row(csv: &str, plan: &Plan) -> BadRow {
    match read(csv, plan) {
        Err(AnalysisError::BadRow(row)) => row,
        other => panic!("expected a bad row, got {other:?}"),
    }
}

fn assert_bad(row: &BadRow, line: u64, column: Option<&str>, message: &str) {
    assert_eq!(row.file, "summary.csv");
    assert_eq!((row.line, row.column.as_deref()), (line, column), "{row}");
    assert!(
        row.message.contains(message),
        "{:?} lacks {message:?}",
        row.message
    );
}

fn ratio_plan() -> Plan {
    Plan::from_json(
        r#"{"metrics": [
            {"name": "revenue", "kind": "sum", "event": "purchase", "role": "primary"},
            {"name": "views", "kind": "count", "event": "view"},
            {"name": "rpv", "kind": "ratio", "numerator": "revenue", "denominator": "views"}]}"#,
    )
    .unwrap()
}

#[test]
fn a_good_file_reads_with_bom_crlf_and_upper_case_headers() {
    let plan = Plan::default();
    assert_eq!(read(GOOD, &plan).unwrap(), 4);
    let windows = format!(
        "\u{feff}{}",
        GOOD.replace('\n', "\r\n").replacen(
            "metric,variant,n,sum,sum_sq",
            "METRIC, Variant ,N,SUM,SUM_SQ",
            1
        )
    );
    assert_eq!(read(&windows, &plan).unwrap(), 4);
    let report = analyze_summary(Input::new("s.csv", GOOD.as_bytes()), &plan).unwrap();
    assert_eq!(report.variants[1].users, 98);
    assert_eq!(report.variants[0].conversions, Some(10));
}

#[test]
fn empty_file_and_missing_columns() {
    let plan = Plan::default();
    assert_eq!(
        read("", &plan),
        Err(AnalysisError::EmptyFile {
            file: "summary.csv".into()
        })
    );
    match read("metric,variant,n,sum\nconversion,control,1,0\n", &plan) {
        Err(AnalysisError::MissingColumn { file, column, .. }) => {
            assert_eq!((file.as_str(), column.as_str()), ("summary.csv", "sum_sq"));
        }
        other => panic!("{other:?}"),
    }
    let segment_half = "metric,variant,segment_column,n,sum,sum_sq\n";
    match read(segment_half, &plan) {
        Err(AnalysisError::MissingColumn { column, .. }) => assert_eq!(column, "segment_value"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_and_repeated_header_columns() {
    let plan = Plan::default();
    let row = bad_row("metric,variant,n,sum,sums\n", &plan);
    assert_bad(
        &row,
        1,
        Some("sums"),
        "unknown column \"sums\"; expected one of metric",
    );
    let row = bad_row("metric,variant,n,sum,sum_sq,n\n", &plan);
    assert_bad(&row, 1, Some("n"), "appears twice");
}

#[test]
fn ratio_metrics_need_denominators_and_cuped_needs_covariates() {
    let err = read("metric,variant,n,sum,sum_sq\n", &ratio_plan()).unwrap_err();
    assert!(
        err.to_string()
            .contains("no column \"den_sum\" (denominator sums of ratio metric \"rpv\")"),
        "{err}"
    );
    let mut cuped = Plan::default();
    cuped.cuped.enabled = true;
    let err = read(GOOD, &cuped).unwrap_err();
    assert!(
        err.to_string()
            .contains("no column \"cov_sum\" (CUPED pre-period covariate"),
        "{err}"
    );
    // Empty denominator cells on a ratio row.
    let csv = "metric,variant,n,sum,sum_sq,den_sum,den_sum_sq,sum_den_product\n\
               revenue,control,10,5,9,,,\n\
               views,control,10,30,100,,,\n\
               rpv,control,10,5,9,,,\n";
    let row = bad_row(csv, &ratio_plan());
    assert_bad(
        &row,
        4,
        Some("den_sum"),
        "expected denominator sums for metric \"rpv\"",
    );
}

#[test]
fn cuped_on_a_ratio_needs_its_pre_period_sums() {
    let mut plan = ratio_plan();
    plan.cuped.enabled = true;
    let head = "metric,variant,n,sum,sum_sq,cov_sum,cov_sum_sq,sum_cov_product,\
                den_sum,den_sum_sq,sum_den_product";
    let err = read(&format!("{head}\n"), &plan).unwrap_err();
    assert!(
        err.to_string().contains(
            "no column \"cov_den_sum\" (CUPED pre-period denominator sums of ratio metric \"rpv\""
        ),
        "{err}"
    );
    let pre = ",cov_den_sum,cov_den_sum_sq,sum_cov_den_product,sum_den_cov_product,\
               sum_den_cov_den_product,sum_cov_cov_den_product";
    let means = "revenue,control,10,5,9,4,8,6,,,,,,,,,\n\
                 views,control,10,30,100,20,50,60,,,,,,,,,\n";
    // Good: the ratio row has all twelve sums.
    let good = format!("{head}{pre}\n{means}rpv,control,10,5,9,4,8,6,30,100,20,20,50,15,60,25,9\n");
    assert_eq!(read(&good, &plan).unwrap(), 3);
    // Empty pre-period numerator cells on the ratio row.
    let csv = format!("{head}{pre}\n{means}rpv,control,10,5,9,,,,30,100,20,20,50,15,60,25,9\n");
    let row = bad_row(&csv, &plan);
    assert_bad(
        &row,
        4,
        Some("cov_sum"),
        "expected CUPED pre-period numerator sums for metric \"rpv\"",
    );
    // Empty pre-period denominator cells.
    let csv = format!("{head}{pre}\n{means}rpv,control,10,5,9,4,8,6,30,100,20,,,,,,\n");
    let row = bad_row(&csv, &plan);
    assert_bad(
        &row,
        4,
        Some("cov_den_sum"),
        "expected CUPED pre-period denominator sums",
    );
    // Σe² too small for Σe over n users.
    let csv = format!("{head}{pre}\n{means}rpv,control,10,5,9,4,8,6,30,100,20,20,1,15,60,25,9\n");
    let row = bad_row(&csv, &plan);
    assert_bad(
        &row,
        4,
        Some("cov_den_sum_sq"),
        "expected a sum of squares of 10 values",
    );
    // Without CUPED the group is not needed and ignored.
    plan.cuped.enabled = false;
    assert_eq!(read(&format!("{head}\nrevenue,control,10,5,9,,,,,,\nviews,control,10,30,100,,,,,,\nrpv,control,10,5,9,,,,30,100,20\n"), &plan).unwrap(), 3);
}

#[test]
fn cell_errors_name_line_and_column() {
    let plan = Plan::default();
    let with = |line: &str| format!("{GOOD}{line}\n");
    let row = bad_row(&with("clicks,control,100,1,1"), &plan);
    assert_bad(
        &row,
        6,
        Some("metric"),
        "expected a metric of the plan (\"conversion\", \"revenue\"), found \"clicks\"",
    );
    let row = bad_row(&with("conversion,,100,1,1"), &plan);
    assert_bad(&row, 6, Some("variant"), "expected a variant name");
    let row = bad_row(&with("conversion,x,-3,1,1"), &plan);
    assert_bad(
        &row,
        6,
        Some("n"),
        "expected a number of users (a non-negative integer), found \"-3\"",
    );
    let row = bad_row(&with("conversion,x,2.5,1,1"), &plan);
    assert_bad(&row, 6, Some("n"), "non-negative integer");
    let row = bad_row(&with("conversion,x,3,abc,1"), &plan);
    assert_bad(
        &row,
        6,
        Some("sum"),
        "expected a sum (a finite number), found \"abc\"",
    );
    let row = bad_row(&with("conversion,x,3,1,inf"), &plan);
    assert_bad(&row, 6, Some("sum_sq"), "found \"inf\"");
    let row = bad_row(&with("conversion,x,3,30,1"), &plan);
    assert_bad(&row, 6, Some("sum_sq"), "sum² ≤ n·sum_sq");
    let row = bad_row(&with("conversion,x,3,1"), &plan);
    assert_bad(&row, 6, None, "expected 5 fields as in the header, found 4");
    // The error's text carries all of it.
    assert_eq!(
        AnalysisError::BadRow(row).to_string(),
        "summary.csv, line 6: expected 5 fields as in the header, found 4"
    );
}

#[test]
fn rows_must_agree() {
    let plan = Plan::default();
    let row = bad_row(&format!("{GOOD}revenue,variant,98,1,1\n"), &plan);
    assert_bad(
        &row,
        6,
        Some("metric"),
        "second row for metric \"revenue\" and variant \"variant\"",
    );
    let uneven = GOOD.replace("revenue,variant,98", "revenue,variant,97");
    let row = bad_row(&uneven, &plan);
    assert_bad(
        &row,
        5,
        Some("n"),
        "expected n = 98 for variant \"variant\" as on line 4 (metric \"conversion\"), found 97",
    );
    let missing = "metric,variant,n,sum,sum_sq\nconversion,control,10,1,1\n";
    let row = bad_row(missing, &plan);
    assert_bad(&row, 2, Some("metric"), "has no row for metric \"revenue\"");
}

#[test]
fn segment_rows() {
    let plan = Plan::default();
    let header = "metric,variant,segment_column,segment_value,n,sum,sum_sq\n";
    let overall = "conversion,control,,,10,1,1\nrevenue,control,,,10,5,9\n";
    let csv = format!("{header}{overall}conversion,control,,DE,10,1,1\n");
    let row = bad_row(&csv, &plan);
    assert_bad(
        &row,
        4,
        Some("segment_value"),
        "expected an empty segment_value on an overall row",
    );
    let orphan = "conversion,b,country,DE,4,1,1\nrevenue,b,country,DE,4,1,1\n";
    let row = bad_row(&format!("{header}{overall}{orphan}"), &plan);
    assert_bad(&row, 4, Some("variant"), "found none for \"b\"");
    // An empty segment value is a value of its own (the engine reads empty cells so).
    let empty = "conversion,control,country,,4,1,1\nrevenue,control,country,,4,1,1\n";
    let report = analyze_summary(
        Input::new("s.csv", format!("{header}{overall}{empty}").as_bytes()),
        &plan,
    );
    let segments = report.unwrap().segments;
    assert_eq!(
        (segments[0].column.as_str(), segments[0].value.as_str()),
        ("country", "")
    );
}

#[test]
fn a_missing_control_is_a_data_error() {
    let plan = Plan::default();
    let csv = GOOD.replace("control", "ctrl");
    let err = analyze_summary(Input::new("s.csv", csv.as_bytes()), &plan).unwrap_err();
    assert!(matches!(err, AnalysisError::Data(_)));
    assert!(err.to_string().contains("the control variant \"control\" has no users in the summary; variants found: \"ctrl\", \"variant\""), "{err}");
}
