//! Number formatting for the page (shared by tables and exports).

/// A byte count for people: `812 B`, `1.5 KB`, `400.0 MB`.
pub fn bytes(n: f64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1000.0 {
        return format!("{n} B");
    }
    let mut v = n;
    let mut unit = "B";
    for u in UNITS {
        if v < 1000.0 {
            break;
        }
        v /= 1000.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

/// A rate or probability with four decimals: `0.3333`.
pub fn rate(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.4}")
    } else {
        "—".into()
    }
}

/// A mean with up to four decimals, trailing zeros trimmed but one kept: `10.0`, `12.3457`.
pub fn mean(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.to_string()
    }
}

/// A signed relative change as a percentage: `+50.0%`.
pub fn percent(x: f64) -> String {
    if x.is_finite() {
        format!("{:+.1}%", x * 100.0)
    } else {
        "—".into()
    }
}

/// A p-value: four decimals, or `< 0.0001`.
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "—".into()
    } else if p < 1e-4 {
        "< 0.0001".into()
    } else {
        format!("{p:.4}")
    }
}

/// An interval `[lo, hi]` with [`mean`] formatting.
pub fn interval(ci: [f64; 2]) -> String {
    format!("[{}, {}]", mean(ci[0]), mean(ci[1]))
}

/// An optional value formatted with `f`, or a dash.
pub fn opt<T>(x: Option<T>, f: impl Fn(T) -> String) -> String {
    x.map(f).unwrap_or_else(|| "—".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_numbers_read_like_the_course() {
        assert_eq!(rate(1.0 / 3.0), "0.3333");
        assert_eq!(rate(0.5), "0.5000");
        assert_eq!(mean(10.0), "10.0");
        assert_eq!(mean(25.0), "25.0");
        assert_eq!(mean(12.345_67), "12.3457");
        assert_eq!(mean(-0.5), "-0.5");
    }

    #[test]
    fn other_formats() {
        assert_eq!(bytes(812.0), "812 B");
        assert_eq!(bytes(1500.0), "1.5 KB");
        assert_eq!(bytes(400e6), "400.0 MB");
        assert_eq!(percent(0.5), "+50.0%");
        assert_eq!(percent(-0.125), "-12.5%");
        assert_eq!(p_value(0.00001), "< 0.0001");
        assert_eq!(p_value(0.04), "0.0400");
        assert_eq!(interval([1.0, 2.5]), "[1.0, 2.5]");
        assert_eq!(opt(None::<f64>, rate), "—");
        assert_eq!(rate(f64::NAN), "—");
    }
}
