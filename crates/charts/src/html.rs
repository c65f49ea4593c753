//! The self-contained HTML report: inline CSS and SVG, no external resource.

use std::fmt::Write as _;

use splitscope_engine::report::{Report, Verdict};

use crate::html_tables::{self, cell, table};
use crate::style::{escape, num};
use crate::{
    bootstrap_histogram, forest_plot, lift_over_time_chart, srm_chart, timeline_chart, TimeAxis,
    TimelineMetric,
};

const CSS: &str = "
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1b1f; --muted: #5c5c66;
  --rule: #d9d9de; --panel: #f4f4f6; --ok: #007a55; --warn: #9a5b00; --bad: #b34700; }
@media (prefers-color-scheme: dark) { :root { --bg: #17171a; --fg: #e8e8ec; --muted: #a4a4ae;
  --rule: #3a3a42; --panel: #222227; --ok: #3fcf9a; --warn: #f0c040; --bad: #ff8a4c; } }
body { background: var(--bg); color: var(--fg); margin: 0 auto; max-width: 980px; padding: 1.5rem;
  font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .6rem; } h2 { font-size: 1.2rem; margin-top: 2rem;
  border-bottom: 1px solid var(--rule); padding-bottom: .2rem; } h3 { font-size: 1.02rem; }
.verdict { font-size: 1.15rem; padding: .8rem 1rem; border-radius: 6px; background: var(--panel);
  border-left: 6px solid var(--muted); }
.verdict-ship { border-color: var(--ok); } .verdict-dont_ship, .verdict-blocked { border-color: var(--bad); }
.verdict-invalid { border-color: var(--bad); } .verdict-inconclusive { border-color: var(--warn); }
.srm-warning { border: 3px solid var(--bad); color: var(--bad); background: var(--panel);
  padding: .9rem 1rem; border-radius: 6px; font-size: 1.1rem; font-weight: 600; }
.srm-ok { border-left: 6px solid var(--ok); background: var(--panel); padding: .6rem 1rem; border-radius: 6px; }
div.table { overflow-x: auto; } table { font-size: .92em; border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .6rem; text-align: left; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; } th { font-weight: 600; }
.status-pass { color: var(--ok); } .status-warn { color: var(--warn); } .status-fail { color: var(--bad); font-weight: 700; }
.muted { color: var(--muted); } code, .hash { font-family: ui-monospace, monospace; font-size: .85em; word-break: break-all; }
.chart { overflow-x: auto; margin: .5rem 0 1.2rem; } .chart svg { max-width: 100%; height: auto; }
pre { background: var(--panel); padding: .8rem; overflow-x: auto; font-size: .8rem; }
";

/// An inline SVG for the document: the `xmlns` attribute is dropped (HTML does not
/// need it), so the document holds no URL of any kind.
fn inline(svg: &str) -> String {
    let svg = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    format!("<div class=\"chart\">{svg}</div>\n")
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Invalid => "invalid",
        Verdict::Blocked => "blocked",
        Verdict::Ship => "ship",
        Verdict::DontShip => "dont_ship",
        Verdict::Inconclusive => "inconclusive",
    }
}

/// The whole report as one self-contained HTML document: title, the verdict with
/// its reason first, the SRM panel (a loud warning when flagged), the seed's
/// variant table, per-metric comparisons with the forest plot and bootstrap
/// histograms, the timelines, the lift over time, guardrails, diagnostics (row counts per stage, bad
/// rows), the inputs' SHA-256 and the engine version.
///
/// CSS and SVG are inline and nothing refers to a URL, so the file opens offline;
/// it follows the reader's light or dark theme. Every string from the data or the
/// plan is escaped.
pub fn html_report(report: &Report) -> String {
    let name = if report.plan.name.is_empty() {
        "A/B test".to_string()
    } else {
        report.plan.name.clone()
    };
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <title>Splitscope report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
         <h1>Splitscope report: {}</h1>\n",
        escape(&name),
        escape(&name)
    );
    let d = &report.decision;
    let _ = writeln!(
        h,
        "<p class=\"verdict verdict-{}\" id=\"verdict\"><strong>Verdict: {}</strong> — {}</p>",
        verdict_class(d.verdict),
        escape(d.verdict.label()),
        escape(&d.reason)
    );
    if !report.plan.hypothesis.is_empty() {
        let _ = writeln!(
            h,
            "<p><strong>Hypothesis:</strong> {}</p>",
            escape(&report.plan.hypothesis)
        );
    }
    srm_section(&mut h, report);
    variants_section(&mut h, report);
    metrics_section(&mut h, report);
    timeline_section(&mut h, report);
    lift_section(&mut h, report);
    html_tables::guardrails(&mut h, report);
    html_tables::diagnostics(&mut h, report);
    html_tables::inputs(&mut h, report);
    h.push_str("</body>\n</html>\n");
    h
}

fn srm_section(h: &mut String, report: &Report) {
    let srm = &report.srm;
    h.push_str("<h2 id=\"srm\">Sample ratio</h2>\n");
    let p = escape(
        &srm.p_value
            .map(html_tables::p_is)
            .unwrap_or_else(|| "p n/a".into()),
    );
    let chi2 = srm.chi2.map(|c| num(c, 4)).unwrap_or_else(|| "n/a".into());
    if srm.flagged {
        let _ = writeln!(
            h,
            "<div class=\"srm-warning\" role=\"alert\">⚠ Sample ratio mismatch: χ² = {chi2}, \
             {p} is below the threshold {}. The split of users differs from the plan, \
             so the metrics below must not be read.</div>",
            num(srm.threshold, 3)
        );
    } else {
        let _ = writeln!(
            h,
            "<div class=\"srm-ok\">No sample ratio mismatch: χ² = {chi2}, df = {}, {p} \
             (threshold {}).</div>",
            srm.df,
            num(srm.threshold, 3)
        );
    }
    let rows = srm.arms.iter().map(|a| {
        vec![
            cell(&a.variant),
            html_tables::ncell(a.observed.to_string()),
            html_tables::ncell(num(a.expected, 6)),
            html_tables::ncell(format!("{}%", num(a.expected_share * 100.0, 4))),
        ]
    });
    table(
        h,
        &[
            "variant",
            "observed users",
            "expected users",
            "expected share",
        ],
        rows,
    );
    h.push_str(&inline(&srm_chart(report)));
}

fn variants_section(h: &mut String, report: &Report) {
    h.push_str("<h2 id=\"variants\">Variants</h2>\n");
    let opt = |x: Option<f64>, f: fn(f64) -> String| x.map(f).unwrap_or_else(|| "—".into());
    let rows = report.variants.iter().map(|v| {
        vec![
            cell(&v.name),
            html_tables::ncell(v.users.to_string()),
            html_tables::ncell(
                v.conversions
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "—".into()),
            ),
            html_tables::ncell(opt(v.conversion_rate, |r| {
                format!("{}%", num(r * 100.0, 4))
            })),
            html_tables::ncell(opt(v.revenue_per_user, |r| num(r, 6))),
        ]
    });
    table(
        h,
        &[
            "variant",
            "users",
            "conversions",
            "conversion rate",
            "revenue per user",
        ],
        rows,
    );
}

fn metrics_section(h: &mut String, report: &Report) {
    h.push_str("<h2 id=\"metrics\">Metrics</h2>\n");
    if report.srm.flagged {
        h.push_str("<p class=\"srm-warning\">Sample ratio mismatch: read nothing below as an effect.</p>\n");
    }
    h.push_str(&inline(&forest_plot(report)));
    let level = num((1.0 - report.plan.alpha) * 100.0, 3);
    for metric in &report.metrics {
        let _ = writeln!(
            h,
            "<h3>{} <span class=\"muted\">({}, {}, good direction: {})</span></h3>",
            escape(&metric.name),
            escape(&metric.kind),
            format!("{:?}", metric.role).to_lowercase(),
            format!("{:?}", metric.good_direction).to_lowercase()
        );
        html_tables::comparisons(h, metric, &level);
        for c in &metric.comparisons {
            if let Some(svg) = bootstrap_histogram(report, &metric.name, &c.variant) {
                h.push_str(&inline(&svg));
            }
        }
    }
}

fn timeline_section(h: &mut String, report: &Report) {
    if report.timeline.days.is_empty() {
        return;
    }
    h.push_str("<h2 id=\"timeline\">Timeline</h2>\n");
    h.push_str(&inline(&timeline_chart(
        report,
        TimelineMetric::ConversionRate,
    )));
    h.push_str(&inline(&timeline_chart(
        report,
        TimelineMetric::RevenuePerUser,
    )));
}

/// The lift of every metric over time, on each of the three axes.
fn lift_section(h: &mut String, report: &Report) {
    if report.lift_over_time.is_empty() {
        return;
    }
    h.push_str("<h2 id=\"lift-over-time\">Lift over time</h2>\n");
    for metric in &report.metrics {
        for axis in [
            TimeAxis::CumulativeByDate,
            TimeAxis::DailyByDate,
            TimeAxis::DaysSinceExposure,
        ] {
            if let Some(svg) = lift_over_time_chart(report, &metric.name, axis) {
                h.push_str(&inline(&svg));
            }
        }
    }
}
