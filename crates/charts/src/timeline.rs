//! Cumulative conversion rate or revenue per user by day, one line per variant.

use plotters::prelude::*;
use splitscope_engine::report::{Report, TimelineSeries};

use crate::day_axis::{day_axis_chart, legend_entry, DayAxes};
use crate::style::{self, render, short, Area, DrawResult};

/// Which cumulative ratio [`timeline_chart`] draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimelineMetric {
    /// Users converted so far ÷ users exposed so far.
    ConversionRate,
    /// Revenue so far ÷ users exposed so far.
    RevenuePerUser,
}

impl TimelineMetric {
    /// Axis label of the metric.
    pub fn label(self) -> &'static str {
        match self {
            Self::ConversionRate => "cumulative conversion rate",
            Self::RevenuePerUser => "cumulative revenue per user",
        }
    }

    /// The metric at the end of each day (`None` while no user is exposed).
    fn values(self, s: &TimelineSeries) -> Vec<Option<f64>> {
        (0..s.users.len())
            .map(|i| {
                let users = s.users[i];
                if users == 0 {
                    return None;
                }
                let top = match self {
                    Self::ConversionRate => *s.conversions.get(i)? as f64,
                    Self::RevenuePerUser => *s.revenue.get(i)?,
                };
                Some(top / users as f64).filter(|v| v.is_finite())
            })
            .collect()
    }
}

/// The cumulative `metric` of every variant by calendar day (UTC) as an SVG string:
/// one line with a point per day for each variant, in the variants' colours, with
/// a legend. A report without timeline days yields a small SVG saying so.
pub fn timeline_chart(report: &Report, metric: TimelineMetric) -> String {
    let days = &report.timeline.days;
    if days.is_empty() || report.timeline.series.is_empty() {
        return style::message_svg(760, "No timeline to plot.");
    }
    let title = format!("{} by day (UTC)", capitalised(metric.label()));
    render((760, 400), &title, |root| {
        draw(root, report, metric, &title)
    })
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn draw(root: &Area<'_>, report: &Report, metric: TimelineMetric, title: &str) -> DrawResult {
    let days = &report.timeline.days;
    let series: Vec<(&TimelineSeries, Vec<Option<f64>>)> = report
        .timeline
        .series
        .iter()
        .map(|s| (s, metric.values(s)))
        .collect();
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().flatten())
        .fold(0.0_f64, |m, &v| m.max(v));
    let top = if max > 0.0 { max * 1.15 } else { 1.0 };
    let pct_axis = metric == TimelineMetric::ConversionRate;
    let y_label = |v: &f64| {
        if pct_axis {
            format!("{}%", style::tick(&(v * 100.0)))
        } else {
            style::tick(v)
        }
    };
    let axes = DayAxes {
        x_desc: "day (UTC)",
        y_desc: metric.label(),
        y_label: &y_label,
    };
    let mut chart = day_axis_chart(root, title, days, 0.0..top, &axes)?;

    for (s, values) in &series {
        let colour = style::variant_colour(report, &s.variant);
        let points: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i as f64, v)))
            .collect();
        chart.draw_series(std::iter::once(PathElement::new(
            points.clone(),
            colour.stroke_width(2),
        )))?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
    }

    // Legend, top left inside the plot.
    for (i, (s, _)) in series.iter().enumerate() {
        let colour = style::variant_colour(report, &s.variant);
        legend_entry(root, &chart, i, colour, false, short(&s.variant, 32))?;
    }
    Ok(())
}
