//! Tables of the HTML report: comparisons, guardrails, diagnostics and inputs.

use std::fmt::Write as _;

use splitscope_engine::report::{GuardrailStatus, MetricResult, Report};

use crate::style::{escape, num, pct};

/// A table cell holding escaped text.
pub(crate) fn cell(text: &str) -> String {
    format!("<td>{}</td>", escape(text))
}

/// A right-aligned numeric cell (`text` is produced by our formatting, still escaped).
pub(crate) fn ncell(text: String) -> String {
    format!("<td class=\"n\">{}</td>", escape(&text))
}

/// A p-value for reading: three significant digits, `< 0.0001` below that.
pub(crate) fn pval(p: f64) -> String {
    if p < 1e-4 {
        "< 0.0001".into()
    } else {
        num(p, 3)
    }
}

fn interval([lo, hi]: [f64; 2]) -> String {
    format!("[{}, {}]", num(lo, 4), num(hi, 4))
}

fn pct_interval([lo, hi]: [f64; 2]) -> String {
    format!("[{}, {}]", pct(lo), pct(hi))
}

/// Writes a table with `headers` (static text) and rows of ready cells.
pub(crate) fn table(h: &mut String, headers: &[&str], rows: impl Iterator<Item = Vec<String>>) {
    h.push_str("<div class=\"table\"><table>\n<thead><tr>");
    for header in headers {
        let _ = write!(h, "<th>{}</th>", escape(header));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        h.push_str("<tr>");
        for c in row {
            h.push_str(&c);
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n");
}

/// `p = 0.155`, or `p < 0.0001` for tiny values.
pub(crate) fn p_is(p: f64) -> String {
    let v = pval(p);
    if v.starts_with('<') {
        format!("p {v}")
    } else {
        format!("p = {v}")
    }
}

/// The comparisons of one metric: difference, Welch, lift and bootstrap; then
/// CUPED in its own table when any comparison has it.
pub(crate) fn comparisons(h: &mut String, metric: &MetricResult, level: &str) {
    let dash = || "—".to_string();
    let rows = metric.comparisons.iter().map(|c| {
        let w = c.welch.as_ref();
        let b = c.bootstrap.as_ref();
        vec![
            format!(
                "<td>{} <span class=\"muted\">vs {}</span></td>",
                escape(&c.variant),
                escape(&c.control)
            ),
            ncell(num(c.control_mean, 5)),
            ncell(num(c.variant_mean, 5)),
            ncell(num(c.diff, 4)),
            ncell(w.map(|w| interval(w.ci)).unwrap_or_else(dash)),
            ncell(w.map(|w| pval(w.p_value)).unwrap_or_else(dash)),
            ncell(c.relative_lift.map(pct).unwrap_or_else(dash)),
            ncell(
                w.and_then(|w| w.relative_ci)
                    .map(pct_interval)
                    .unwrap_or_else(dash),
            ),
            ncell(b.map(|b| interval(b.ci)).unwrap_or_else(dash)),
            cell(if c.significant { "yes" } else { "no" }),
        ]
    });
    let welch_ci = format!("Welch {level}% CI");
    let rel_ci = format!("lift {level}% CI");
    let boot_ci = format!("bootstrap {level}% CI");
    let headers = [
        "variant",
        "control mean",
        "variant mean",
        "diff",
        &welch_ci,
        "Welch p",
        "relative lift",
        &rel_ci,
        &boot_ci,
        "significant",
    ];
    table(h, &headers, rows);
    if metric.comparisons.iter().all(|c| c.cuped.is_none()) {
        return;
    }
    let rows = metric.comparisons.iter().filter_map(|c| {
        let k = c.cuped.as_ref()?;
        Some(vec![
            cell(&c.variant),
            ncell(num(k.theta, 4)),
            ncell(num(k.diff, 4)),
            ncell(interval(k.ci)),
            ncell(pval(k.p_value)),
            ncell(k.relative_lift.map(pct).unwrap_or_else(dash)),
            ncell(k.relative_ci.map(pct_interval).unwrap_or_else(dash)),
            ncell(format!("{}%", num(k.variance_reduction * 100.0, 3))),
        ])
    });
    let cuped_ci = format!("CUPED {level}% CI");
    let headers = [
        "CUPED: variant",
        "θ",
        "adjusted diff",
        &cuped_ci,
        "p",
        "relative lift",
        &rel_ci,
        "variance reduction",
    ];
    table(h, &headers, rows);
}

/// The guardrail section.
pub(crate) fn guardrails(h: &mut String, report: &Report) {
    h.push_str("<h2 id=\"guardrails\">Guardrails</h2>\n");
    if report.guardrails.is_empty() {
        h.push_str("<p class=\"muted\">No guardrail metric in the plan.</p>\n");
        return;
    }
    let rows = report.guardrails.iter().map(|g| {
        let (class, label) = match g.status {
            GuardrailStatus::Pass => ("pass", "pass"),
            GuardrailStatus::Warn => ("warn", "warn"),
            GuardrailStatus::Fail => ("fail", "FAIL"),
        };
        vec![
            cell(&g.metric),
            cell(&g.variant),
            format!("<td class=\"status-{class}\">{label}</td>"),
            cell(&g.reason),
        ]
    });
    table(h, &["metric", "variant", "status", "reason"], rows);
}

/// The diagnostics section: row counts per stage, checks and bad rows.
pub(crate) fn diagnostics(h: &mut String, report: &Report) {
    let d = &report.diagnostics;
    let (e, v) = (&d.exposures, &d.events);
    h.push_str("<h2 id=\"diagnostics\">Diagnostics</h2>\n<h3>Exposures rows</h3>\n");
    let pair = |k: &str, n: u64| vec![cell(k), ncell(n.to_string())];
    let exposure_rows = [
        ("rows read", e.rows_read),
        ("bad rows", e.bad_rows),
        ("bot/test rows", e.bot_rows),
        ("bot/test users", e.bot_users),
        ("first exposures", e.first_exposures),
        ("repeat exposures", e.repeat_exposures),
        ("conflicting exposures", e.conflicting_exposures),
        ("multi-variant users", e.multi_variant_users),
        (
            "multi-variant users excluded",
            e.multi_variant_users_excluded,
        ),
    ];
    table(
        h,
        &["stage", "count"],
        exposure_rows.iter().map(|&(k, n)| pair(k, n)),
    );
    h.push_str("<h3>Events rows</h3>\n");
    let event_rows = [
        ("rows read", v.rows_read),
        ("bad rows", v.bad_rows),
        ("bot/test rows", v.bot_rows),
        ("rows of bot/test users", v.bot_user),
        ("rows of unknown users", v.unknown_user),
        ("rows of excluded users", v.excluded_user),
        ("before exposure", v.before_exposure),
        ("in CUPED pre-period", v.in_pre_period),
        ("in analysis window", v.in_window),
        ("after window", v.after_window),
        ("missing amount (read as 0)", v.missing_amount),
    ];
    table(
        h,
        &["stage", "count"],
        event_rows.iter().map(|&(k, n)| pair(k, n)),
    );
    let _ = writeln!(
        h,
        "<p>Users analysed: <strong>{}</strong>. Bad rows in total: <strong>{}</strong>.</p>",
        d.users_analysed, d.bad_rows_total
    );
    let checks = d.checks.iter().map(|c| {
        let (class, label) = if c.passed {
            ("pass", "ok")
        } else {
            ("fail", "FAILED")
        };
        vec![
            cell(&c.name),
            format!("<td class=\"status-{class}\">{label}</td>"),
            cell(&c.detail),
        ]
    });
    table(h, &["check", "result", "arithmetic"], checks);
    if !d.bad_rows.is_empty() {
        let listed = d.bad_rows.len() as u64;
        let _ = writeln!(
            h,
            "<h3>Bad rows</h3>\n<p class=\"muted\">{listed} listed of {} in total.</p>",
            d.bad_rows_total.max(listed)
        );
        let rows = d.bad_rows.iter().map(|b| {
            vec![
                cell(&b.file),
                ncell(b.line.to_string()),
                cell(b.column.as_deref().unwrap_or("")),
                cell(&b.message),
            ]
        });
        table(h, &["file", "line", "column", "problem"], rows);
    }
}

/// The inputs and provenance section, with the plan as JSON.
pub(crate) fn inputs(h: &mut String, report: &Report) {
    h.push_str("<h2 id=\"inputs\">Inputs and provenance</h2>\n");
    let files = [
        ("exposures", &report.inputs.exposures),
        ("events", &report.inputs.events),
    ];
    let rows = files.iter().map(|(role, f)| {
        vec![
            cell(role),
            cell(&f.name),
            ncell(f.bytes.to_string()),
            ncell(f.rows.to_string()),
            format!("<td class=\"hash\">{}</td>", escape(&f.sha256)),
        ]
    });
    table(h, &["input", "file", "bytes", "rows", "SHA-256"], rows);
    let _ = writeln!(
        h,
        "<p>Engine version <code>{}</code>, report schema <code>{}</code>.</p>\n\
         <details><summary>Analysis plan (JSON)</summary><pre>{}</pre></details>",
        escape(&report.engine_version),
        escape(&report.schema),
        escape(&report.plan.to_json_pretty())
    );
}
