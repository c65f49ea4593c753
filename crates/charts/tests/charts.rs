//! Structure and numbers of every chart, drawn from real engine reports.

mod common;

use common::{lines, texts, x_axis_map, HOSTILE};
use splitscope_charts::*;

const VERMILLION: &str = "#D55E00";

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).expect("well-formed SVG")
}

fn count(svg: &str, tag: &str, attr: &str, value: &str) -> usize {
    parse(svg)
        .descendants()
        .filter(|n| n.has_tag_name(tag) && n.attribute(attr) == Some(value))
        .count()
}

fn assert_svg(svg: &str) {
    let doc = parse(svg);
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert!(doc.descendants().any(|n| n.has_tag_name("title")));
    assert!(!svg.contains("<script"));
    // Text follows the page's colour (dark mode) unless it is a warning.
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let fill = t.attribute("fill").unwrap();
        assert!(
            fill == "currentColor" || fill == VERMILLION,
            "text fill {fill}"
        );
    }
}

#[test]
fn forest_plot_has_one_mark_per_comparison_with_intervals() {
    let report = common::real();
    let svg = forest_plot(&report);
    assert_svg(&svg);
    assert!(svg.contains("relative lift vs control, %"));
    let comparisons: usize = report.metrics.iter().map(|m| m.comparisons.len()).sum();
    assert_eq!(comparisons, 2);
    assert_eq!(svg.matches("<circle").count(), comparisons);
    let colour = "#E69F00"; // the treatment arm, second in the table
                            // Per comparison: the interval and its two caps.
    let ci_lines = lines(&svg).iter().filter(|l| l.4 == colour).count();
    assert_eq!(ci_lines, 3 * comparisons);
}

#[test]
fn forest_plot_places_intervals_at_their_values() {
    let report = common::fixture();
    let svg = forest_plot(&report);
    assert_svg(&svg);
    // 4 Welch rows (●) and 2 CUPED rows (■, 10 px squares).
    assert_eq!(svg.matches("<circle").count(), 4);
    assert_eq!(svg.matches("width=\"10\" height=\"10\"").count(), 2);
    let axis_y = texts(&svg)
        .iter()
        .find(|t| t.2 == "0")
        .map(|t| t.1)
        .expect("a 0 tick");
    let to_x = x_axis_map(&svg, axis_y);
    let cuped = report
        .comparison("revenue", "treatment")
        .unwrap()
        .cuped
        .clone()
        .unwrap();
    let [lo, hi] = cuped.relative_ci.unwrap();
    let caps: Vec<f64> = lines(&svg)
        .into_iter()
        .filter(|l| l.4 == "#E69F00" && l.0 == l.2)
        .map(|l| l.0)
        .collect();
    for end in [lo, hi] {
        let want = to_x(end * 100.0);
        assert!(
            caps.iter().any(|x| (x - want).abs() <= 2.0),
            "cap at {want} in {caps:?}"
        );
    }
    assert!(svg.contains("+15.2% [+5.0%, +25.4%]"));
    assert!(svg.contains("(CUPED)"));
}

#[test]
fn bootstrap_histogram_marks_interval_and_observed_difference() {
    let report = common::real();
    let svg = bootstrap_histogram(&report, "revenue", "variant").expect("bootstrap present");
    assert_svg(&svg);
    assert!(svg.contains("difference in mean per user (variant − control)"));
    assert!(svg.contains("bootstrap resamples"));
    let c = report.comparison("revenue", "variant").unwrap();
    let boot = c.bootstrap.as_ref().unwrap();
    let nonzero = boot.histogram.counts.iter().filter(|&&n| n > 0).count();
    assert!(count(&svg, "rect", "stroke", "none") >= nonzero);

    let tick_row = texts(&svg)
        .iter()
        .filter(|t| t.2.replace('−', "-").parse::<f64>().is_ok())
        .map(|t| t.1)
        .fold(0.0, f64::max); // x ticks sit lowest
    let to_x = x_axis_map(&svg, tick_row);
    let vertical = |stroke: &str| -> Vec<f64> {
        lines(&svg)
            .into_iter()
            .filter(|l| l.4 == stroke && l.0 == l.2)
            .map(|l| l.0)
            .collect()
    };
    let ci = vertical(VERMILLION);
    assert_eq!(ci.len(), 2, "two CI markers");
    for (got, want) in ci.iter().zip(boot.ci) {
        assert!(
            (got - to_x(want)).abs() <= 2.0,
            "CI marker {got} vs {}",
            to_x(want)
        );
    }
    let observed = vertical("currentColor");
    assert!(observed.iter().any(|x| (x - to_x(c.diff)).abs() <= 2.0));
}

#[test]
fn bootstrap_histogram_is_none_without_a_comparison() {
    let report = common::real();
    assert!(bootstrap_histogram(&report, "revenue", "nope").is_none());
    assert!(bootstrap_histogram(&report, "nope", "variant").is_none());
    assert!(bootstrap_histogram(&report, "revenue", "control").is_none());
}

#[test]
fn timeline_chart_draws_one_line_per_variant() {
    let report = common::real();
    for (metric, label) in [
        (TimelineMetric::ConversionRate, "cumulative conversion rate"),
        (
            TimelineMetric::RevenuePerUser,
            "cumulative revenue per user",
        ),
    ] {
        let svg = timeline_chart(&report, metric);
        assert_svg(&svg);
        assert!(svg.contains(label) && svg.contains("day (UTC)"));
        for (i, series) in report.timeline.series.iter().enumerate() {
            let colour = ["#0072B2", "#E69F00"][i];
            let points = series.users.iter().filter(|&&u| u > 0).count();
            assert_eq!(count(&svg, "circle", "fill", colour), points);
            assert!(count(&svg, "polyline", "stroke", colour) >= 2); // line + legend
        }
        assert!(svg.contains(&report.timeline.days[0]));
    }
}

#[test]
fn timeline_values_are_cumulative_ratios() {
    let report = common::fixture();
    let svg = timeline_chart(&report, TimelineMetric::ConversionRate);
    // The hostile arm has no user on day 1: 4 points, not 5.
    assert_eq!(count(&svg, "circle", "fill", "#009E73"), 4);
    assert_eq!(count(&svg, "circle", "fill", "#0072B2"), 5);
}

#[test]
fn srm_chart_shows_observed_and_expected_per_variant() {
    let report = common::real();
    let svg = srm_chart(&report);
    assert_svg(&svg);
    assert!(svg.contains(">users<") || svg.contains("users\n"));
    for arm in &report.srm.arms {
        assert!(svg.contains(&arm.variant));
    }
    for colour in ["#0072B2", "#E69F00"] {
        assert_eq!(count(&svg, "rect", "fill", colour), 1, "observed bar");
        assert_eq!(count(&svg, "rect", "stroke", colour), 1, "expected bar");
    }
    assert!(!svg.contains("MISMATCH"));

    let flagged = srm_chart(&common::flagged());
    assert!(flagged.contains("SAMPLE RATIO MISMATCH"));
    assert!(flagged.contains(VERMILLION));
    assert!(flagged.contains("p = 1.2e−7"));
}

#[test]
fn hostile_names_come_out_inert_in_every_chart() {
    let report = common::real_named(HOSTILE);
    let svgs = [
        forest_plot(&report),
        bootstrap_histogram(&report, "conversion", HOSTILE).unwrap(),
        timeline_chart(&report, TimelineMetric::ConversionRate),
        srm_chart(&report),
    ];
    for svg in &svgs {
        assert_svg(svg);
        assert!(!svg.contains("<img"), "{svg}");
        assert!(svg.contains("&lt;img src=x"));
        // The name is text, never markup: no element other than SVG's own.
        let doc = parse(svg);
        assert!(doc.descendants().all(|n| !n.has_tag_name("img")));
    }
    // Untruncated labels round-trip exactly as text.
    let doc = parse(&svgs[2]);
    assert!(doc
        .descendants()
        .any(|n| n.text().map(str::trim) == Some(HOSTILE)));
}

#[test]
fn empty_report_yields_message_svgs() {
    let mut report = common::real();
    report.metrics.clear();
    report.timeline.days.clear();
    report.srm.arms.clear();
    for svg in [
        forest_plot(&report),
        timeline_chart(&report, TimelineMetric::RevenuePerUser),
        srm_chart(&report),
    ] {
        assert_svg(&svg);
        assert!(svg.contains("No "));
    }
}

const AXES: [TimeAxis; 3] = [
    TimeAxis::CumulativeByDate,
    TimeAxis::DailyByDate,
    TimeAxis::DaysSinceExposure,
];

#[test]
fn lift_over_time_chart_draws_lift_band_and_zero_line() {
    let report = common::real();
    assert!(
        !report.lift_over_time.is_empty(),
        "the engine reports lift over time"
    );
    for metric in &report.metrics {
        for axis in AXES {
            let svg = lift_over_time_chart(&report, &metric.name, axis).expect("a chart");
            assert_svg(&svg);
            assert!(svg.contains("relative lift vs control"));
            assert!(svg.contains(axis_label(axis).1), "{axis:?}");
            assert!(svg.contains(&metric.name));
            for s in report
                .lift_over_time
                .iter()
                .filter(|s| s.metric == metric.name && s.axis == axis)
            {
                let colour = "#E69F00"; // the treatment, second in the report
                let points = s.points.iter().filter(|p| p.lift.is_some()).count();
                assert_eq!(count(&svg, "circle", "fill", colour), points, "{axis:?}");
                let bands = s.points.iter().filter(|p| p.ci.is_some()).count();
                if bands >= 2 {
                    assert!(count(&svg, "polygon", "fill", colour) >= 1, "band");
                }
                assert!(svg.contains(&s.points[0].label));
            }
            // The zero line: dashes in the text colour.
            assert!(count(&svg, "polyline", "stroke", "currentColor") >= 10);
        }
    }
}

#[test]
fn lift_over_time_chart_band_follows_the_interval() {
    use splitscope_engine::report::{LiftOverTime, LiftPoint};
    let mut report = common::real();
    let point = |label: &str, lift: f64, ci: [f64; 2]| LiftPoint {
        label: label.into(),
        users: 10,
        lift: Some(lift),
        ci: Some(ci),
    };
    report.lift_over_time = vec![LiftOverTime {
        metric: "m".into(),
        variant: "variant".into(),
        axis: TimeAxis::DailyByDate,
        points: vec![
            point("d1", 0.1, [-0.2, 0.4]),
            point("d2", 0.05, [-0.1, 0.2]),
            LiftPoint {
                label: "d3".into(),
                users: 0,
                lift: None,
                ci: None,
            },
            point("d4", 0.02, [-0.05, 0.09]),
        ],
    }];
    let svg = lift_over_time_chart(&report, "m", TimeAxis::DailyByDate).unwrap();
    assert_eq!(count(&svg, "circle", "fill", "#E69F00"), 3);
    // d1–d2 is a band; d4 alone is an interval bar (the gap at d3 splits them).
    assert_eq!(count(&svg, "polygon", "fill", "#E69F00"), 1);
    for label in ["d1", "d2", "d4", "40%", "0%"] {
        assert!(
            svg.contains(&format!(">{label}<"))
                || svg.contains(&format!("{label}\n"))
                || svg.contains(label),
            "{label}"
        );
    }
    assert!(lift_over_time_chart(&report, "m", TimeAxis::CumulativeByDate).is_none());
    assert!(lift_over_time_chart(&report, "nope", TimeAxis::DailyByDate).is_none());
}

#[test]
fn lift_over_time_chart_escapes_names() {
    let report = common::real_named(HOSTILE);
    let svg = lift_over_time_chart(&report, "conversion", TimeAxis::CumulativeByDate).unwrap();
    assert_svg(&svg);
    assert!(!svg.contains("<img"));
    assert!(svg.contains("&lt;img src=x"));
}

#[test]
fn labels_are_measured_without_the_dom() {
    // The same estimate natively and on wasm32: the y-axis label area is laid out
    // from it, so the charts are byte-identical on both.
    let a = forest_plot(&common::real());
    let b = forest_plot(&common::real());
    assert_eq!(a, b);
    assert!(!a.contains("style=\"display"));
}
