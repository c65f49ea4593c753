//! Relative lift over time with its confidence band, one line per variant against
//! the control: cumulative or daily by calendar day, or by days since exposure.

use plotters::prelude::*;
use splitscope_engine::report::{LiftOverTime, Report, TimeAxis};

use crate::day_axis::{day_axis_chart, legend_entry, DayAxes};
use crate::style::{self, render, short, Area, DrawResult, FG};

/// Title and x-axis description of `axis`.
pub fn axis_label(axis: TimeAxis) -> (&'static str, &'static str) {
    match axis {
        TimeAxis::CumulativeByDate => ("cumulative by day", "day (UTC)"),
        TimeAxis::DailyByDate => ("daily", "day (UTC)"),
        TimeAxis::DaysSinceExposure => ("by days since exposure", "days since exposure"),
    }
}

/// The relative lift of `metric` over time on `axis` as an SVG string: for each
/// non-control variant a line (a point where the lift is defined) inside a band of
/// its `1 − alpha` interval, in the variant's colour, a dashed zero line, labelled
/// axes (lift in percent) and a legend. `None` when the report has no such series.
pub fn lift_over_time_chart(report: &Report, metric: &str, axis: TimeAxis) -> Option<String> {
    let series: Vec<&LiftOverTime> = report
        .lift_over_time
        .iter()
        .filter(|s| s.metric == metric && s.axis == axis && !s.points.is_empty())
        .collect();
    if series.is_empty() {
        return None;
    }
    let title = format!("Lift of {metric}, {} (vs control)", axis_label(axis).0);
    Some(render((760, 400), &title, |root| {
        draw(root, report, &series, axis, &title)
    }))
}

fn draw(
    root: &Area<'_>,
    report: &Report,
    series: &[&LiftOverTime],
    axis: TimeAxis,
    title: &str,
) -> DrawResult {
    // Labels of the x positions: the longest series gives them (all share the days).
    let labels: Vec<String> = series
        .iter()
        .max_by_key(|s| s.points.len())
        .map(|s| s.points.iter().map(|p| p.label.clone()).collect())
        .unwrap_or_default();
    let (mut lo, mut hi) = (0.0_f64, 0.0_f64);
    for s in series {
        for p in &s.points {
            let values = p.lift.into_iter().chain(p.ci.into_iter().flatten());
            for v in values.filter(|v| v.is_finite()) {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    let span = (hi - lo).max(1e-6);
    let y_label = |v: &f64| format!("{}%", style::tick(&(v * 100.0)));
    let axes = DayAxes {
        x_desc: axis_label(axis).1,
        y_desc: "relative lift vs control",
        y_label: &y_label,
    };
    let mut chart = day_axis_chart(
        root,
        title,
        &labels,
        lo - 0.08 * span..hi + 0.08 * span,
        &axes,
    )?;
    let (x0, x1) = (chart.x_range().start, chart.x_range().end);

    // Zero line: no effect.
    let dash = (x1 - x0) / 90.0;
    chart.draw_series((0..60).map(|i| {
        let a = x0 + 1.5 * dash * f64::from(i);
        PathElement::new(
            vec![(a, 0.0), ((a + dash).min(x1), 0.0)],
            FG.stroke_width(1),
        )
    }))?;

    for s in series {
        let colour = style::variant_colour(report, &s.variant);
        // One band per run of consecutive points with an interval.
        let mut run: Vec<(f64, [f64; 2])> = Vec::new();
        let mut runs = Vec::new();
        for (i, p) in s.points.iter().enumerate() {
            match p.ci.filter(|c| c[0].is_finite() && c[1].is_finite()) {
                Some(ci) => run.push((i as f64, ci)),
                None => runs.push(std::mem::take(&mut run)),
            }
        }
        runs.push(run);
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            let mut outline: Vec<(f64, f64)> = run.iter().map(|&(x, c)| (x, c[1])).collect();
            outline.extend(run.iter().rev().map(|&(x, c)| (x, c[0])));
            if run.len() == 1 {
                // A lone interval: a short vertical bar instead of an empty polygon.
                let (x, c) = run[0];
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, c[0]), (x, c[1])],
                    colour.mix(0.45).stroke_width(6),
                )))?;
            } else {
                chart.draw_series(std::iter::once(Polygon::new(
                    outline,
                    colour.mix(0.18).filled(),
                )))?;
            }
        }
        let points: Vec<(f64, f64)> = s
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.lift.filter(|v| v.is_finite()).map(|v| (i as f64, v)))
            .collect();
        chart.draw_series(std::iter::once(PathElement::new(
            points.clone(),
            colour.stroke_width(2),
        )))?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
    }

    // Legend, top left inside the plot.
    for (i, s) in series.iter().enumerate() {
        let colour = style::variant_colour(report, &s.variant);
        let label = format!("{} (band: interval)", short(&s.variant, 32));
        legend_entry(root, &chart, i, colour, true, label)?;
    }
    Ok(())
}
