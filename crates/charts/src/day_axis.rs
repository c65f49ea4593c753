//! The frame shared by the charts drawn against a row of days (calendar days or days
//! since exposure): x positions 0, 1, … labelled with the days, a y range, the mesh,
//! and the legend lines top left inside the plot.

use std::ops::Range;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::style::{fg_alpha, text, Area, Svg, FG};

/// A chart with one x position per day.
pub(crate) type DayChart<'a, 'b> =
    ChartContext<'a, Svg<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Axis descriptions and the y tick formatter of a [`day_axis_chart`].
pub(crate) struct DayAxes<'f> {
    /// Description under the x axis.
    pub x_desc: &'f str,
    /// Description beside the y axis.
    pub y_desc: &'f str,
    /// Text of a y tick.
    pub y_label: &'f dyn Fn(&f64) -> String,
}

/// Builds the chart on `root` with `title`, x positions `0..labels.len()` labelled
/// by `labels` (only whole positions get a label), `y` as the value range, and
/// draws the mesh.
pub(crate) fn day_axis_chart<'a, 'b>(
    root: &'a Area<'b>,
    title: &str,
    labels: &[String],
    y: Range<f64>,
    axes: &DayAxes<'_>,
) -> Result<DayChart<'a, 'b>, Box<dyn std::error::Error>> {
    let last = labels.len() as f64 - 1.0;
    // A lone day sits in the middle of a unit-wide axis rather than on its edge.
    let x = if last > 0.0 {
        -0.3..last + 0.3
    } else {
        -1.0..1.0
    };
    let mut chart = ChartBuilder::on(root)
        .caption(title, text(16))
        .margin(12)
        .margin_right(24)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(x, y)?;
    let x_label = |x: &f64| {
        let i = x.round();
        if (x - i).abs() < 1e-6 && i >= 0.0 {
            labels.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .x_labels(labels.len().clamp(2, 8))
        .y_labels(6)
        .x_label_formatter(&x_label)
        .y_label_formatter(axes.y_label)
        .x_desc(axes.x_desc)
        .y_desc(axes.y_desc)
        .axis_style(FG)
        .light_line_style(fg_alpha(0.0))
        .bold_line_style(fg_alpha(0.12))
        .label_style(text(12))
        .axis_desc_style(text(13))
        .draw()?;
    Ok(chart)
}

/// Draws legend entry number `index` (from the top) inside `chart`'s plot: a line
/// in `colour` — over a pale band when `band` — and `label` beside it.
pub(crate) fn legend_entry(
    root: &Area<'_>,
    chart: &DayChart<'_, '_>,
    index: usize,
    colour: RGBColor,
    band: bool,
    label: String,
) -> Result<(), Box<dyn std::error::Error>> {
    let (px, py) = chart.plotting_area().get_pixel_range();
    let (lx, ly) = (px.start + 12, py.start + 14 + 18 * index as i32);
    if band {
        root.draw(&Rectangle::new(
            [(lx, ly - 6), (lx + 22, ly + 6)],
            colour.mix(0.18).filled(),
        ))?;
    }
    root.draw(&PathElement::new(
        vec![(lx, ly), (lx + 22, ly)],
        colour.stroke_width(3),
    ))?;
    root.draw(&Text::new(
        label,
        (lx + 28, ly),
        text(12).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(())
}
