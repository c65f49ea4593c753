//! Capping (winsorising) user-level values at percentiles, to tame the outliers
//! that dominate revenue-like metrics.
//!
//! The cut points are computed **once, on both arms pooled**, and the same
//! bounds are applied to every arm — capping each arm at its own percentile would
//! shift the arms differently and bias the comparison. Report the bounds beside the
//! results so readers know what was capped.

use super::bootstrap::percentile_linear;

/// Cut points for winsorising: `(lower, upper)`, each present when its percentile
/// was asked for.
pub type WinsorBounds = (Option<f64>, Option<f64>);

/// Percentile cut points of `values` — pass **all arms pooled** — at `lower_pct`
/// and/or `upper_pct` (percent, `0 ..= 100`), each equal to numpy's
/// `np.percentile(pooled, q)` (default linear interpolation).
///
/// Returns `None` when `values` is empty or holds a non-finite value, a percentile is
/// outside `[0, 100]` or NaN, or `lower_pct > upper_pct`. Asking for neither gives
/// `Some((None, None))`.
///
/// ```
/// use splitscope_engine::infer::{winsor_bounds, winsorize};
/// let treatment = [1.0, 2.0, 3.0, 4.0, 100.0];
/// let control = [0.0, 2.0, 2.5, 3.0, 5.0];
/// let pooled: Vec<f64> = treatment.iter().chain(&control).copied().collect();
/// // np.percentile(pooled, 90) -> 14.499999999999966 (numpy's rounding, matched bit for bit)
/// let bounds = winsor_bounds(&pooled, None, Some(90.0)).unwrap();
/// assert_eq!(bounds, (None, Some(14.499999999999966)));
/// let mut t = treatment.to_vec();
/// winsorize(&mut t, bounds);
/// assert_eq!(t, vec![1.0, 2.0, 3.0, 4.0, 14.499999999999966]);
/// ```
pub fn winsor_bounds(
    values: &[f64],
    lower_pct: Option<f64>,
    upper_pct: Option<f64>,
) -> Option<WinsorBounds> {
    let pct_ok = |p: Option<f64>| p.is_none_or(|p| (0.0..=100.0).contains(&p));
    if !(pct_ok(lower_pct) && pct_ok(upper_pct)) {
        return None;
    }
    if let (Some(lo), Some(hi)) = (lower_pct, upper_pct) {
        if lo > hi {
            return None;
        }
    }
    if lower_pct.is_none() && upper_pct.is_none() {
        return Some((None, None));
    }
    if values.is_empty() || !values.iter().all(|v| v.is_finite()) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    // numpy divides q by 100 before interpolating.
    let cut = |p: Option<f64>| p.map(|p| percentile_linear(&sorted, p / 100.0));
    Some((cut(lower_pct), cut(upper_pct)))
}

/// Clamps every value into `bounds` (from [`winsor_bounds`]) in place: values below
/// the lower cut become the lower cut, values above the upper cut the upper cut. A
/// missing bound leaves that side alone; NaN values are left as they are.
///
/// ```
/// use splitscope_engine::infer::winsorize;
/// let mut v = [-5.0, 0.5, 2.0, 40.0];
/// winsorize(&mut v, (Some(0.0), Some(10.0)));
/// assert_eq!(v, [0.0, 0.5, 2.0, 10.0]);
/// ```
pub fn winsorize(values: &mut [f64], bounds: WinsorBounds) {
    let (lower, upper) = bounds;
    for v in values.iter_mut() {
        if let Some(lo) = lower {
            if *v < lo {
                *v = lo;
            }
        }
        if let Some(hi) = upper {
            if *v > hi {
                *v = hi;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_inputs_are_none() {
        assert!(winsor_bounds(&[], Some(1.0), None).is_none());
        assert!(winsor_bounds(&[1.0, f64::NAN], Some(1.0), None).is_none());
        assert!(winsor_bounds(&[1.0], Some(-1.0), None).is_none());
        assert!(winsor_bounds(&[1.0], None, Some(100.5)).is_none());
        assert!(winsor_bounds(&[1.0], Some(f64::NAN), None).is_none());
        assert!(winsor_bounds(&[1.0, 2.0], Some(90.0), Some(10.0)).is_none());
        assert_eq!(winsor_bounds(&[], None, None), Some((None, None)));
    }

    #[test]
    fn extremes_and_single_value() {
        let v = [3.0, -1.0, 8.0, 2.0];
        assert_eq!(
            winsor_bounds(&v, Some(0.0), Some(100.0)),
            Some((Some(-1.0), Some(8.0)))
        );
        assert_eq!(
            winsor_bounds(&[7.0], Some(5.0), Some(95.0)),
            Some((Some(7.0), Some(7.0)))
        );
    }

    #[test]
    fn winsorize_is_idempotent_and_keeps_order() {
        let mut v: Vec<f64> = (0..50).map(|i| ((i * 37) % 50) as f64).collect();
        let b = winsor_bounds(&v, Some(5.0), Some(95.0)).unwrap();
        winsorize(&mut v, b);
        let once = v.clone();
        winsorize(&mut v, b);
        assert_eq!(once, v);
        assert!(v.iter().all(|&x| x >= b.0.unwrap() && x <= b.1.unwrap()));
    }
}
