//! Forest plot: relative lift with its confidence interval per metric × variant.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use splitscope_engine::report::Report;

use crate::style::{self, fg_alpha, pct, render, short, text, Area, DrawResult, FG};

/// One row of the forest plot.
struct Row {
    label: String,
    method: &'static str,
    colour: RGBColor,
    lift: Option<f64>,
    ci: Option<[f64; 2]>,
}

fn rows(report: &Report) -> Vec<Row> {
    let mut rows = Vec::new();
    for metric in &report.metrics {
        for c in &metric.comparisons {
            let colour = style::variant_colour(report, &c.variant);
            let label = format!("{} · {}", short(&metric.name, 16), short(&c.variant, 14));
            let welch = c.welch.as_ref();
            rows.push(Row {
                label: label.clone(),
                method: "Welch",
                colour,
                lift: welch.and_then(|w| w.relative_lift).or(c.relative_lift),
                ci: welch.and_then(|w| w.relative_ci),
            });
            if let Some(cuped) = &c.cuped {
                rows.push(Row {
                    label,
                    method: "CUPED",
                    colour,
                    lift: cuped.relative_lift,
                    ci: cuped.relative_ci,
                });
            }
        }
    }
    rows
}

/// The x range in percent: every interval, every point and zero, padded.
fn x_range(rows: &[Row]) -> (f64, f64) {
    let values = rows
        .iter()
        .flat_map(|r| r.ci.into_iter().flatten().chain(r.lift))
        .map(|v| v * 100.0)
        .filter(|v| v.is_finite());
    let (lo, hi) = values.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = ((hi - lo) * 0.08).max(1.0);
    (lo - pad, hi + pad)
}

/// The forest plot of `report` as an SVG string: one row per metric × variant for
/// Welch's relative lift (●) and, when present, CUPED's (■), each with its
/// `1 − alpha` interval, a zero line and the axis "relative lift vs control, %".
///
/// A report without comparisons yields a small SVG saying so.
pub fn forest_plot(report: &Report) -> String {
    let rows = rows(report);
    if rows.is_empty() {
        return style::message_svg(820, "No comparisons to plot.");
    }
    let height = 110 + 30 * rows.len() as u32;
    let title = format!(
        "Relative lift vs control with {}% confidence intervals",
        style::num((1.0 - report.plan.alpha) * 100.0, 3)
    );
    render((820, height), &title, |root| draw(root, &rows, &title))
}

fn draw(root: &Area<'_>, rows: &[Row], title: &str) -> DrawResult {
    let n = rows.len() as f64;
    let (x0, x1) = x_range(rows);
    let mut chart = ChartBuilder::on(root)
        .caption(title, text(16))
        .margin(10)
        .margin_right(185)
        .x_label_area_size(44)
        .y_label_area_size(255)
        .build_cartesian_2d(x0..x1, -0.6..n - 0.4)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(8)
        .x_label_formatter(&style::tick)
        .x_desc("relative lift vs control, %")
        .axis_style(FG)
        .light_line_style(fg_alpha(0.0))
        .bold_line_style(fg_alpha(0.14))
        .label_style(text(12))
        .axis_desc_style(text(13))
        .draw()?;

    // Zero line.
    chart.draw_series(std::iter::once(DashedPathElement::new(
        vec![(0.0, -0.6), (0.0, n - 0.4)],
        5,
        4,
        FG.stroke_width(1),
    )))?;

    let (plot_x, _) = chart.plotting_area().get_pixel_range();
    let right = plot_x.end + 10;
    for (i, row) in rows.iter().enumerate() {
        let y = n - 1.0 - i as f64;
        let (_, py) = chart.backend_coord(&(0.0, y));
        let label_style = text(11).pos(Pos::new(HPos::Right, VPos::Center));
        root.draw(&Text::new(
            format!("{} ({})", row.label, row.method),
            (plot_x.start - 8, py),
            label_style,
        ))?;
        let value = match (row.lift, row.ci) {
            (Some(l), Some([lo, hi])) => format!("{} [{}, {}]", pct(l), pct(lo), pct(hi)),
            (Some(l), None) => format!("{} (no interval)", pct(l)),
            _ => "n/a (control mean is 0)".into(),
        };
        let value_style = text(11).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(value, (right, py), value_style))?;

        let colour = row.colour;
        if let Some([lo, hi]) = row.ci {
            let (lo, hi) = (lo * 100.0, hi * 100.0);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(lo, y), (hi, y)],
                colour.stroke_width(2),
            )))?;
            for end in [lo, hi] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(end, y - 0.18), (end, y + 0.18)],
                    colour.stroke_width(2),
                )))?;
            }
        }
        if let Some(l) = row.lift {
            let centre = chart.backend_coord(&(l * 100.0, y));
            if row.method == "CUPED" {
                root.draw(&Rectangle::new(
                    [(centre.0 - 5, centre.1 - 5), (centre.0 + 5, centre.1 + 5)],
                    colour.filled(),
                ))?;
            } else {
                root.draw(&Circle::new(centre, 5, colour.filled()))?;
            }
        }
    }
    Ok(())
}
