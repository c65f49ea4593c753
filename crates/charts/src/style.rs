//! Shared look: palette, fonts, number formatting, escaping and SVG finishing.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use splitscope_engine::report::Report;

/// Drawing area of every chart.
pub(crate) type Area<'a> = DrawingArea<Svg<'a>, Shift>;

/// plotters' SVG backend with a text measurement that needs no DOM.
///
/// On wasm32 plotters measures every label by inserting a `<span>` with an inline
/// `style` attribute into the page, which a strict Content-Security-Policy refuses
/// (a console error per label, and the default font's size instead of ours). SVG
/// text is laid out by the viewer anyway, so this backend estimates the size of a
/// label from its length with the same formula plotters uses natively: the charts
/// are the same bytes natively and in the browser, and no DOM is touched.
pub(crate) struct Svg<'a>(SVGBackend<'a>);

type SvgError<'a> = <SVGBackend<'a> as DrawingBackend>::ErrorType;

/// Width and height of `text` at `size` (plotters' size, i.e. 1.24 × the font size
/// in pixels), as plotters' native "naive" font estimate: 0.7 em per character.
pub(crate) fn text_size(text: &str, size: f64) -> (u32, u32) {
    let em = size / 1.24 / 1.24;
    let width = (em * 0.7 * text.len() as f64).round().max(0.0) as u32;
    let height = (em * 0.24).round() as i32 + em.round() as i32;
    (width, height.max(0) as u32)
}

impl<'a> DrawingBackend for Svg<'a> {
    type ErrorType = SvgError<'a>;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(text_size(text, style.size()))
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }
}
/// Result of drawing code.
pub(crate) type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// Sentinel colour for text, axes and reference lines: replaced by `currentColor` in
/// the finished SVG, so the chart follows the page's (light or dark) text colour.
pub(crate) const FG: RGBColor = RGBColor(1, 2, 3);
const FG_HEX: &str = "\"#010203\"";

/// Okabe–Ito colours for variants, in report order (control first). Vermillion is
/// kept out: it marks intervals and warnings.
pub(crate) const VARIANT_COLOURS: [RGBColor; 6] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

/// Okabe–Ito vermillion: confidence-interval markers and warnings.
pub(crate) const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// Font family of every label (the page or viewer picks the actual face).
pub(crate) const FONT: &str = "sans-serif";

/// The foreground colour at `alpha` (grid lines, faint guides).
pub(crate) fn fg_alpha(alpha: f64) -> RGBAColor {
    FG.mix(alpha)
}

/// Text style in the foreground colour.
pub(crate) fn text(size: u32) -> TextStyle<'static> {
    (FONT, f64::from(size) * 1.24).into_font().color(&FG)
}

/// Colour of `variant`: by its position in the report's variant table.
pub(crate) fn variant_colour(report: &Report, variant: &str) -> RGBColor {
    let index = report
        .variants
        .iter()
        .position(|v| v.name == variant)
        .or_else(|| report.srm.arms.iter().position(|a| a.variant == variant))
        .or_else(|| {
            report
                .timeline
                .series
                .iter()
                .position(|s| s.variant == variant)
        })
        .unwrap_or(0);
    VARIANT_COLOURS[index % VARIANT_COLOURS.len()]
}

/// `name` cut to `max` characters (with an ellipsis) so labels keep their layout.
pub(crate) fn short(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Escapes text for HTML/SVG element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// `x` with `digits` significant digits, trailing zeros trimmed (`−` for minus).
pub(crate) fn num(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let magnitude = x.abs().log10().floor() as i64;
    if magnitude < -4 {
        // Tiny values (p-values, mostly) in scientific notation: 1.2e-7.
        let s = format!("{:.*e}", digits.saturating_sub(2), x);
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.trim_end_matches('0').trim_end_matches('.')
        } else {
            mantissa
        };
        return format!("{mantissa}e{exponent}").replace('-', "−");
    }
    let decimals = (digits as i64 - 1 - magnitude).clamp(0, 12) as usize;
    let mut s = format!("{x:.decimals$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if s == "-0" {
        s = "0".into();
    }
    s.replace('-', "−")
}

/// A fraction as a signed percentage with one decimal: `0.123` → `+12.3%`.
pub(crate) fn pct(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let s = format!("{:+.1}%", x * 100.0);
    s.replace('-', "−")
}

/// Axis tick label: up to four decimals, trimmed.
pub(crate) fn tick(x: &f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.replace('-', "−")
    }
}

/// Draws with `draw` onto a `width × height` SVG and finishes it (see [`finish`]);
/// a drawing error yields a small SVG that says so.
pub(crate) fn render(
    (width, height): (u32, u32),
    title: &str,
    draw: impl FnOnce(&Area<'_>) -> DrawResult,
) -> String {
    let mut buf = String::new();
    let outcome = {
        let root = Svg(SVGBackend::with_string(&mut buf, (width, height))).into_drawing_area();
        draw(&root).and_then(|()| root.present().map_err(Into::into))
    };
    match outcome {
        Ok(()) => finish(&buf, title),
        Err(e) => message_svg(width, &format!("chart could not be drawn: {e}")),
    }
}

/// A one-line SVG carrying `message` (no data to draw, or a drawing error).
pub(crate) fn message_svg(width: u32, message: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"splitscope-chart\" role=\"img\" \
         width=\"{width}\" height=\"40\" viewBox=\"0 0 {width} 40\"><title>{m}</title>\
         <text x=\"8\" y=\"24\" font-family=\"{FONT}\" font-size=\"13\" fill=\"currentColor\">{m}</text></svg>\n",
        m = escape(message)
    )
}

/// Replaces the foreground sentinel by `currentColor`, adds a class, `role="img"`
/// and an escaped `<title>` (the accessible name) to plotters' SVG.
pub(crate) fn finish(svg: &str, title: &str) -> String {
    let svg = svg.replace(FG_HEX, "\"currentColor\"");
    let Some(end) = svg.find('>') else {
        return svg;
    };
    let (open, rest) = svg.split_at(end);
    format!(
        "{open} class=\"splitscope-chart\" role=\"img\" font-family=\"{FONT}\">\n<title>{}</title>{}",
        escape(title),
        &rest[1..]
    )
}
