//! The HTML report: self-contained, complete, escaped.

mod common;

use common::HOSTILE;
use splitscope_charts::*;

#[test]
fn html_report_is_self_contained() {
    for report in [
        common::real(),
        common::fixture(),
        common::real_named(HOSTILE),
    ] {
        let html = html_report(&report);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.trim_end().ends_with("</html>"));
        let lower = html.to_lowercase();
        for banned in [
            "http", "<script", "src=\"", "href=\"", "url(", "@import", "<link", "<iframe",
        ] {
            assert!(!lower.contains(banned), "found {banned:?}");
        }
        assert!(html.contains("<style>"));
        assert!(html.matches("<svg").count() >= 4, "inline charts");
    }
}

#[test]
fn verdict_comes_first_with_its_reason() {
    let report = common::real();
    let html = html_report(&report);
    let verdict = html.find("id=\"verdict\"").expect("verdict");
    assert!(verdict < html.find("<h2").unwrap());
    assert!(html.contains("Verdict: inconclusive"));
    assert!(html.contains(&report.decision.reason.replace('\'', "&#39;")));
}

#[test]
fn srm_warning_is_unmissable_when_flagged() {
    let ok = html_report(&common::fixture());
    assert!(!ok.contains("role=\"alert\""));
    assert!(ok.contains("No sample ratio mismatch"));
    let flagged = html_report(&common::flagged());
    let alert = flagged.find("role=\"alert\"").expect("alert panel");
    assert!(
        alert < flagged.find("id=\"variants\"").unwrap(),
        "before the metrics"
    );
    assert!(flagged.contains("must not be read"));
    assert!(flagged.contains("p &lt; 0.0001"));
}

#[test]
fn html_report_has_every_section() {
    let report = common::fixture();
    let html = html_report(&report);
    for id in [
        "srm",
        "variants",
        "metrics",
        "timeline",
        "guardrails",
        "diagnostics",
        "inputs",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "section {id}");
    }
    // The seed's variant table.
    assert!(html.contains("<td class=\"n\">1010</td>") && html.contains("11.98%"));
    // Comparisons: Welch CI, bootstrap CI and CUPED.
    assert!(html.contains("[−0.09, 0.89]") && html.contains("[−0.085, 0.893]"));
    assert!(html.contains("CUPED: variant") && html.contains("[0.125, 0.635]"));
    // Guardrails, diagnostics, bad rows, provenance.
    assert!(html.contains("status-warn"));
    assert!(html.contains("3002 = 1 + 1 + 3000 + 0 + 0"));
    assert!(html.contains("<td class=\"n\">17</td>"));
    assert!(html.contains(&report.inputs.events.sha256));
    assert!(html.contains("Engine version <code>0.1.0</code>"));
}

#[test]
fn real_report_carries_its_hashes() {
    let report = common::real();
    let html = html_report(&report);
    assert!(html.contains(&report.inputs.exposures.sha256));
    assert!(html.contains(&report.inputs.events.sha256));
    assert!(html.contains(&report.engine_version));
}

#[test]
fn every_user_string_is_escaped() {
    let html = html_report(&common::fixture());
    assert!(!html.contains("<img"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("<b>"));
    assert!(!html.contains("<svg onload"));
    assert!(!html.contains("<margin>"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("Checkout button &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("exposures &lt;b&gt;.csv"));
}

#[test]
fn html_report_has_the_lift_over_time_charts() {
    let report = common::real();
    let html = html_report(&report);
    assert!(html.contains("id=\"lift-over-time\""));
    assert!(html.contains("relative lift vs control"));
    assert!(html.contains("days since exposure"));
}
