//! Cumulative conversion rate or revenue per user by day, one line per variant.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use splitscope_engine::report::{Report, TimelineSeries};

use crate::style::{self, fg_alpha, render, short, text, Area, DrawResult, FG};

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
    let last = days.len() as f64 - 1.0;
    let (x0, x1) = if last > 0.0 {
        (-0.3, last + 0.3)
    } else {
        (-1.0, 1.0)
    };

    let mut chart = ChartBuilder::on(root)
        .caption(title, text(16))
        .margin(12)
        .margin_right(24)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(x0..x1, 0.0..top)?;
    let day_label = |x: &f64| {
        let i = x.round();
        if (x - i).abs() < 1e-6 && i >= 0.0 {
            days.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let pct_axis = metric == TimelineMetric::ConversionRate;
    let y_label = |v: &f64| {
        if pct_axis {
            format!("{}%", style::tick(&(v * 100.0)))
        } else {
            style::tick(v)
        }
    };
    chart
        .configure_mesh()
        .x_labels(days.len().clamp(2, 8))
        .y_labels(6)
        .x_label_formatter(&day_label)
        .y_label_formatter(&y_label)
        .x_desc("day (UTC)")
        .y_desc(metric.label())
        .axis_style(FG)
        .light_line_style(fg_alpha(0.0))
        .bold_line_style(fg_alpha(0.12))
        .label_style(text(12))
        .axis_desc_style(text(13))
        .draw()?;

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
    let (px, py) = chart.plotting_area().get_pixel_range();
    for (i, (s, _)) in series.iter().enumerate() {
        let colour = style::variant_colour(report, &s.variant);
        let (lx, ly) = (px.start + 12, py.start + 14 + 18 * i as i32);
        root.draw(&PathElement::new(
            vec![(lx, ly), (lx + 22, ly)],
            colour.stroke_width(3),
        ))?;
        root.draw(&Text::new(
            short(&s.variant, 32),
            (lx + 28, ly),
            text(12).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}
