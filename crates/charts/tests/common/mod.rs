//! Report fixtures shared by the integration tests.
#![allow(dead_code)]

use splitscope_engine::infer::Histogram;
use splitscope_engine::report::Report;

/// A variant name that would run script if it reached the page unescaped.
pub const HOSTILE: &str = "<img src=x onerror=alert(1)>";

/// A hand-written report: control, `treatment` and a hostile variant name, two
/// metrics (revenue with CUPED), a guardrail, a five-day timeline and a bad row.
pub fn fixture() -> Report {
    let json = include_str!("fixture.json").replace("@HOSTILE@", HOSTILE);
    let mut report: Report = serde_json::from_str(&json).expect("fixture parses");
    for metric in &mut report.metrics {
        for c in &mut metric.comparisons {
            if let Some(b) = &mut c.bootstrap {
                b.histogram = bell(b.mean, (b.ci[1] - b.ci[0]) / 3.92, b.resamples);
            }
        }
    }
    report
}

/// The fixture with its sample ratio mismatch flagged.
pub fn flagged() -> Report {
    let mut report = fixture();
    report.srm.flagged = true;
    report.srm.p_value = Some(1.2e-7);
    report.srm.chi2 = Some(31.9);
    report
}

/// A bell-shaped histogram of `total` resamples around `mean` (30 bins, ±4 sd).
fn bell(mean: f64, sd: f64, total: u32) -> Histogram {
    let bins = 30;
    let edges: Vec<f64> = (0..=bins)
        .map(|i| mean - 4.0 * sd + 8.0 * sd * i as f64 / bins as f64)
        .collect();
    let density: Vec<f64> = (0..bins)
        .map(|i| {
            let z = ((edges[i] + edges[i + 1]) / 2.0 - mean) / sd;
            (-z * z / 2.0).exp()
        })
        .collect();
    let sum: f64 = density.iter().sum();
    let counts = density
        .iter()
        .map(|d| (d / sum * total as f64).round() as u64)
        .collect();
    Histogram { edges, counts }
}

/// Directory for samples a person can look at: `<workspace>/target/chart-samples`.
pub fn samples_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/chart-samples");
    std::fs::create_dir_all(&dir).expect("samples dir");
    dir
}

/// Every `(x, y, text)` of the SVG's `<text>` elements (x, y as written).
pub fn texts(svg: &str) -> Vec<(f64, f64, String)> {
    let mut out = Vec::new();
    for part in svg.split("<text ").skip(1) {
        let attr = |name: &str| -> f64 {
            let key = format!(" {name}=\"");
            let start = format!(" {part}").find(&key).expect("attribute") + key.len() - 1;
            let rest = &part[start..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        };
        let body = &part[part.find('>').unwrap() + 1..part.find("</text>").unwrap()];
        out.push((attr("x"), attr("y"), body.trim().to_string()));
    }
    out
}

/// Every `<line>` and 2-point `<polyline>` as `(x1, y1, x2, y2, stroke)`.
pub fn lines(svg: &str) -> Vec<(f64, f64, f64, f64, String)> {
    let mut out = Vec::new();
    for el in svg.split('<').skip(1) {
        let get = |name: &str| -> Option<String> {
            let key = format!(" {name}=\"");
            let start = el.find(&key)? + key.len();
            Some(el[start..start + el[start..].find('"')?].to_string())
        };
        let stroke = get("stroke").unwrap_or_default();
        if el.starts_with("line ") {
            let f = |n: &str| get(n).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
            out.push((f("x1"), f("y1"), f("x2"), f("y2"), stroke));
        } else if el.starts_with("polyline ") {
            let pts: Vec<f64> = get("points")
                .unwrap_or_default()
                .split([' ', ','])
                .filter_map(|v| v.parse().ok())
                .collect();
            if pts.len() == 4 {
                out.push((pts[0], pts[1], pts[2], pts[3], stroke));
            }
        }
    }
    out
}

/// The linear map from axis value to pixel x, fitted on the numeric x tick labels
/// (labels on one row `y`, parsed with `−` as minus).
pub fn x_axis_map(svg: &str, row_y: f64) -> impl Fn(f64) -> f64 {
    let ticks: Vec<(f64, f64)> = texts(svg)
        .into_iter()
        .filter(|(_, y, _)| (*y - row_y).abs() < 0.5)
        .filter_map(|(x, _, t)| t.replace('−', "-").parse::<f64>().ok().map(|v| (v, x)))
        .collect();
    assert!(ticks.len() >= 2, "need two numeric ticks, got {ticks:?}");
    let (a, b) = (ticks[0], ticks[ticks.len() - 1]);
    let scale = (b.1 - a.1) / (b.0 - a.0);
    move |v| a.1 + (v - a.0) * scale
}

/// The engine's report on the course example, with the treatment arm renamed to
/// `variant_name` (the example calls it `variant`).
pub fn real_named(variant_name: &str) -> Report {
    use splitscope_engine::{analyze, example, plan::Plan, Input, NoProgress};
    let exposures = example::EXPOSURES_CSV.replace(",variant,20", &format!(",{variant_name},20"));
    let plan = Plan::default();
    analyze(
        Input::new("exposures.csv", exposures.as_bytes()),
        Input::new("events.csv", example::EVENTS_CSV.as_bytes()),
        &plan,
        &mut NoProgress,
    )
    .expect("the example analyses")
}

/// The engine's report on the course example.
pub fn real() -> Report {
    real_named("variant")
}
