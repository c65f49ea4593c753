//! Histogram of the bootstrap differences, with the interval and the observed difference.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use splitscope_engine::infer::Bootstrap;
use splitscope_engine::report::{Comparison, Report};

use crate::style::{self, fg_alpha, num, render, short, text, Area, DrawResult, FG, VERMILLION};

/// The histogram of bootstrap differences (`variant − control` on `metric`) as an
/// SVG string, with the bootstrap confidence interval's ends as vermillion lines
/// and the observed difference as a line in the text colour.
///
/// `None` when the metric or variant is not in the report, or when that comparison
/// has no bootstrap (or an empty histogram).
pub fn bootstrap_histogram(report: &Report, metric: &str, variant: &str) -> Option<String> {
    let comparison = report.comparison(metric, variant)?;
    let boot = comparison.bootstrap.as_ref()?;
    let h = &boot.histogram;
    if h.counts.is_empty() || h.edges.len() != h.counts.len() + 1 {
        return None;
    }
    let level = num((1.0 - report.plan.alpha) * 100.0, 3);
    let title = format!(
        "{}: {} − {}, bootstrap of the difference ({} resamples)",
        short(metric, 24),
        short(variant, 20),
        short(&comparison.control, 20),
        boot.resamples
    );
    let colour = style::variant_colour(report, variant);
    Some(render((760, 400), &title, |root| {
        draw(root, comparison, boot, colour, &title, &level)
    }))
}

fn draw(
    root: &Area<'_>,
    comparison: &Comparison,
    boot: &Bootstrap,
    colour: RGBColor,
    title: &str,
    level: &str,
) -> DrawResult {
    let h = &boot.histogram;
    let observed = comparison.diff;
    let finite = h
        .edges
        .iter()
        .copied()
        .chain(boot.ci)
        .chain([observed])
        .filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
    let (x0, x1) = (lo - span * 0.05, hi + span * 0.05);
    let top = h.counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.22;

    let mut chart = ChartBuilder::on(root)
        .caption(title, text(15))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(x0..x1, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(8)
        .y_labels(6)
        .x_label_formatter(&style::tick)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .x_desc("difference in mean per user (variant − control)")
        .y_desc("bootstrap resamples")
        .axis_style(FG)
        .light_line_style(fg_alpha(0.0))
        .bold_line_style(fg_alpha(0.14))
        .label_style(text(12))
        .axis_desc_style(text(13))
        .draw()?;

    chart.draw_series(h.counts.iter().enumerate().map(|(i, &count)| {
        Rectangle::new(
            [(h.edges[i], 0.0), (h.edges[i + 1], count as f64)],
            colour.mix(0.75).filled(),
        )
    }))?;

    let line_top = top * 0.86;
    let [ci_lo, ci_hi] = boot.ci;
    for end in [ci_lo, ci_hi] {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(end, 0.0), (end, line_top)],
            VERMILLION.stroke_width(2),
        )))?;
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(observed, 0.0), (observed, line_top)],
        FG.stroke_width(2),
    )))?;

    // Legend, top left inside the plot.
    let (px, py) = chart.plotting_area().get_pixel_range();
    let (lx, ly) = (px.start + 12, py.start + 14);
    let legend = [
        (
            VERMILLION,
            format!(
                "{level}% bootstrap CI [{}, {}]",
                num(ci_lo, 4),
                num(ci_hi, 4)
            ),
        ),
        (FG, format!("observed difference {}", num(observed, 4))),
    ];
    for (i, (c, label)) in legend.iter().enumerate() {
        let y = ly + 18 * i as i32;
        root.draw(&PathElement::new(
            vec![(lx, y), (lx + 22, y)],
            c.stroke_width(2),
        ))?;
        root.draw(&Text::new(
            label.clone(),
            (lx + 28, y),
            text(12).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}
