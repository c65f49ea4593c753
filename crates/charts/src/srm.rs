//! Sample-ratio check: observed against expected users per variant.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use splitscope_engine::report::Report;

use crate::style::{self, fg_alpha, num, render, short, text, Area, DrawResult, FG, VERMILLION};

/// Observed (filled) against expected (outlined) users per variant as an SVG string,
/// with the chi-square test in the title; a flagged mismatch turns the title
/// vermillion and says the metrics must not be read. A report without SRM arms
/// yields a small SVG saying so.
pub fn srm_chart(report: &Report) -> String {
    let srm = &report.srm;
    if srm.arms.is_empty() {
        return style::message_svg(760, "No sample-ratio check to plot.");
    }
    let test = match (srm.chi2, srm.p_value) {
        (Some(chi2), Some(p)) => {
            format!("χ² = {}, df = {}, p = {}", num(chi2, 4), srm.df, num(p, 3))
        }
        _ => "χ² not defined".into(),
    };
    let title = if srm.flagged {
        format!("SAMPLE RATIO MISMATCH ({test}): do not read the metrics")
    } else {
        format!("Sample ratio: observed vs expected users ({test})")
    };
    render((760, 380), &title, |root| draw(root, report, &title))
}

fn draw(root: &Area<'_>, report: &Report, title: &str) -> DrawResult {
    let arms = &report.srm.arms;
    let n = arms.len() as f64;
    let max = arms
        .iter()
        .map(|a| (a.observed as f64).max(a.expected))
        .fold(0.0_f64, f64::max);
    let top = if max > 0.0 { max * 1.18 } else { 1.0 };
    let caption_style = if report.srm.flagged {
        (style::FONT, 15.0 * 1.24)
            .into_font()
            .style(FontStyle::Bold)
            .color(&VERMILLION)
    } else {
        text(16)
    };
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption_style)
        .margin(12)
        .x_label_area_size(52)
        .margin_right(20)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..n, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("users")
        .axis_style(FG)
        .light_line_style(fg_alpha(0.0))
        .bold_line_style(fg_alpha(0.12))
        .label_style(text(12))
        .axis_desc_style(text(13))
        .draw()?;

    let (_, py) = chart.plotting_area().get_pixel_range();
    for (i, arm) in arms.iter().enumerate() {
        let x = i as f64;
        let colour = style::variant_colour(report, &arm.variant);
        let observed = arm.observed as f64;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x + 0.14, 0.0), (x + 0.49, observed)],
            colour.filled(),
        )))?;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x + 0.51, 0.0), (x + 0.86, arm.expected)],
            colour.stroke_width(2),
        )))?;
        let label = text(12).pos(Pos::new(HPos::Center, VPos::Bottom));
        let above = |v: f64, at: f64| {
            let (px, py) = chart.backend_coord(&(at, v));
            (px, py - 4)
        };
        root.draw(&Text::new(
            arm.observed.to_string(),
            above(observed, x + 0.315),
            label.clone(),
        ))?;
        root.draw(&Text::new(
            num(arm.expected, 5),
            above(arm.expected, x + 0.685),
            label,
        ))?;
        let (cx, _) = chart.backend_coord(&(x + 0.5, 0.0));
        let below = text(12).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(
            short(&arm.variant, 24),
            (cx, py.end + 8),
            below.clone(),
        ))?;
        let share = format!("{}% expected", num(arm.expected_share * 100.0, 3));
        root.draw(&Text::new(share, (cx, py.end + 26), below))?;
    }

    // Legend, top right inside the plot.
    let (px, py) = chart.plotting_area().get_pixel_range();
    let (lx, ly) = (px.end - 170, py.start + 12);
    root.draw(&Rectangle::new(
        [(lx, ly - 6), (lx + 14, ly + 6)],
        FG.filled(),
    ))?;
    root.draw(&Text::new(
        "observed",
        (lx + 20, ly),
        text(12).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    root.draw(&Rectangle::new(
        [(lx + 85, ly - 6), (lx + 99, ly + 6)],
        FG.stroke_width(2),
    ))?;
    root.draw(&Text::new(
        "expected",
        (lx + 105, ly),
        text(12).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(())
}
