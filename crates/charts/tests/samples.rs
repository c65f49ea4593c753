//! Writes every chart and the HTML report to `target/chart-samples/` for a person to look at.

mod common;

use splitscope_charts::*;

#[test]
fn write_samples() {
    let report = common::fixture();
    let dir = common::samples_dir();
    let write =
        |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write sample");
    write("forest.svg", &forest_plot(&report));
    write(
        "bootstrap.svg",
        &bootstrap_histogram(&report, "revenue", "treatment").expect("histogram"),
    );
    write(
        "timeline-conversion.svg",
        &timeline_chart(&report, TimelineMetric::ConversionRate),
    );
    write(
        "timeline-revenue.svg",
        &timeline_chart(&report, TimelineMetric::RevenuePerUser),
    );
    write("srm.svg", &srm_chart(&report));
    write("srm-flagged.svg", &srm_chart(&common::flagged()));
    write("report.html", &html_report(&report));
    write("report-flagged.html", &html_report(&common::flagged()));
    write("summary.csv", &summary_csv(&report));
    let real = common::real();
    write("real-report.html", &html_report(&real));
    if let Some(svg) = bootstrap_histogram(&real, "revenue", "variant") {
        write("real-bootstrap.svg", &svg);
    }
}
