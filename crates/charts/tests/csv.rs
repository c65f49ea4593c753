//! The summary CSV: one row per comparison, inert in spreadsheets, properly quoted.

mod common;

use splitscope_charts::*;

fn records(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("valid CSV"))
        .collect()
}

#[test]
fn one_row_per_comparison_with_the_numbers() {
    let report = common::fixture();
    let text = summary_csv(&report);
    let header = text.lines().next().unwrap();
    assert_eq!(header, SUMMARY_COLUMNS.join(","));
    let rows = records(&text);
    assert_eq!(rows.len(), 4);
    let row = rows
        .iter()
        .find(|r| &r[0] == "revenue" && &r[1] == "treatment")
        .unwrap();
    let c = report.comparison("revenue", "treatment").unwrap();
    let cuped = c.cuped.as_ref().unwrap();
    let num = |i: usize| row[i].parse::<f64>().unwrap();
    assert_eq!(&row[2], "control");
    assert_eq!(num(5), c.diff);
    assert_eq!(num(6), c.relative_lift.unwrap());
    assert_eq!([num(7), num(8)], c.welch.as_ref().unwrap().ci);
    assert_eq!(num(9), c.welch.as_ref().unwrap().p_value);
    assert_eq!([num(10), num(11)], c.bootstrap.as_ref().unwrap().ci);
    assert_eq!(
        [num(12), num(13), num(14), num(15)],
        [cuped.diff, cuped.ci[0], cuped.ci[1], cuped.p_value]
    );
    // No CUPED on conversion: empty cells; negative numbers stay numbers.
    let conv = rows
        .iter()
        .find(|r| &r[0] == "conversion" && r[1].contains("img"))
        .unwrap();
    assert_eq!(&conv[12], "");
    assert_eq!(&conv[5], "-0.0051");
}

#[test]
fn real_report_rows() {
    let report = common::real();
    let rows = records(&summary_csv(&report));
    assert_eq!(rows.len(), report.metrics.len());
    assert!(rows.iter().all(|r| r.len() == SUMMARY_COLUMNS.len()));
}

#[test]
fn formula_cells_are_neutralised() {
    let mut report = common::fixture();
    let hostile = ["=HYPERLINK(\"x\",\"y\")", "+1+2", "-3", "@SUM(A1)"];
    let comparisons = report
        .metrics
        .iter_mut()
        .flat_map(|m| m.comparisons.iter_mut());
    for (c, name) in comparisons.zip(hostile) {
        c.variant = name.into();
        c.control = "=1+1".into();
    }
    report.metrics[1].name = "=cmd|' /C calc'!A0".into();
    let rows = records(&summary_csv(&report));
    assert_eq!(rows.len(), hostile.len());
    for (row, name) in rows.iter().zip(hostile) {
        assert_eq!(&row[1], format!("'{name}"));
        assert_eq!(&row[2], "'=1+1");
    }
    assert_eq!(&rows[2][0], "'=cmd|' /C calc'!A0");
    assert_eq!(neutralise("plain"), "plain");
    assert_eq!(neutralise("-x"), "'-x");
}

#[test]
fn awkward_text_is_quoted() {
    let mut report = common::fixture();
    report.metrics[0].comparisons[0].variant = "a, \"b\"\nc".into();
    let text = summary_csv(&report);
    assert!(text.contains("\"a, \"\"b\"\"\nc\""));
    let rows = records(&text);
    assert_eq!(&rows[0][1], "a, \"b\"\nc");
}
