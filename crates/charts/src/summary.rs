//! The comparisons as CSV, safe to open in a spreadsheet.

use splitscope_engine::report::Report;

/// Header of [`summary_csv`].
pub const SUMMARY_COLUMNS: [&str; 16] = [
    "metric",
    "variant",
    "control",
    "control_mean",
    "variant_mean",
    "diff",
    "relative_lift",
    "ci_low",
    "ci_high",
    "p_value",
    "bootstrap_low",
    "bootstrap_high",
    "cuped_diff",
    "cuped_low",
    "cuped_high",
    "cuped_p",
];

/// A text cell made inert for spreadsheets: one starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'` (so it is not read as a formula).
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn number(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

fn opt(x: Option<f64>) -> String {
    x.map(number).unwrap_or_default()
}

/// One CSV row per metric × variant comparison, columns [`SUMMARY_COLUMNS`]:
/// means, difference and relative lift, Welch's interval and p-value for the
/// difference, the bootstrap interval and CUPED's difference, interval and p-value.
/// Missing values are empty cells; numbers use Rust's shortest round-trip form.
/// Text cells are [neutralised](neutralise) and every cell is quoted as CSV needs.
pub fn summary_csv(report: &Report) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut rows: Vec<Vec<String>> = vec![SUMMARY_COLUMNS.iter().map(|c| c.to_string()).collect()];
    for metric in &report.metrics {
        for c in &metric.comparisons {
            let welch = c.welch.as_ref();
            let boot = c.bootstrap.as_ref();
            let cuped = c.cuped.as_ref();
            rows.push(vec![
                neutralise(&metric.name),
                neutralise(&c.variant),
                neutralise(&c.control),
                number(c.control_mean),
                number(c.variant_mean),
                number(c.diff),
                opt(c.relative_lift),
                opt(welch.map(|w| w.ci[0])),
                opt(welch.map(|w| w.ci[1])),
                opt(welch.map(|w| w.p_value)),
                opt(boot.map(|b| b.ci[0])),
                opt(boot.map(|b| b.ci[1])),
                opt(cuped.map(|k| k.diff)),
                opt(cuped.map(|k| k.ci[0])),
                opt(cuped.map(|k| k.ci[1])),
                opt(cuped.map(|k| k.p_value)),
            ]);
        }
    }
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
