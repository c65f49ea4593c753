//! Ratio metrics (for example clicks per session) by the delta method.
//!
//! For one arm with per-user numerator `y` and denominator `x`, the ratio of sums
//! `R = ȳ / x̄` has approximate variance
//! `Var(R) ≈ (1/n)·(s_y²/x̄² − 2·ȳ·s_xy/x̄³ + ȳ²·s_x²/x̄⁴)` (Deng et al. 2018;
//! GrowthBook's "Ratio metrics" section of its statistical details). Two arms are
//! then compared exactly as [`welch`](super::welch) compares two means, with the
//! ratio variances in place of `s²/n`.

use serde::{Deserialize, Serialize};

use super::moments::CoMoments;
use super::welch::{compare, Welch};

/// One arm's ratio of means and its delta-method variance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatioEstimate {
    /// `ȳ / x̄` (the ratio of sums); `0.0` when `x̄ = 0` (undefined, see [`ratio_moments`]).
    pub ratio: f64,
    /// Delta-method variance of `ratio`; `0.0` when undefined (`x̄ = 0` or `n < 2`).
    pub variance_of_ratio: f64,
    /// Number of users (randomisation units).
    pub n: u64,
}

/// Ratio `ȳ/x̄` of an arm's numerator `y` and denominator `x`, with its
/// delta-method variance.
///
/// The ratio is undefined when the denominator mean is zero and its variance when
/// there are fewer than two users; results never hold NaN, so, like GrowthBook's
/// `RatioStatistic`, those cases report `0.0`. Check `c.x.mean != 0.0 && c.y.n >= 2`
/// before trusting the numbers; [`welch_ratio`](super::welch_ratio) does and
/// returns `None` instead. A slightly negative variance from rounding is clamped to 0.
///
/// ```
/// use splitscope_engine::infer::{ratio_moments, CoMoments};
/// // clicks (y) and sessions (x) for four users
/// let c = CoMoments::from_values(&[2.0, 0.0, 5.0, 1.0], &[3.0, 1.0, 4.0, 2.0]);
/// let r = ratio_moments(&c);
/// assert!((r.ratio - 0.8).abs() < 1e-12);
/// assert!(r.variance_of_ratio > 0.0);
/// ```
pub fn ratio_moments(c: &CoMoments) -> RatioEstimate {
    let n = c.y.n;
    let (my, mx) = (c.y.mean, c.x.mean);
    if mx == 0.0 || !mx.is_finite() || !my.is_finite() {
        return RatioEstimate {
            ratio: 0.0,
            variance_of_ratio: 0.0,
            n,
        };
    }
    let ratio = my / mx;
    let variance_of_ratio = if n < 2 {
        0.0
    } else {
        let (vy, vx, cxy) = (c.y.variance(), c.x.variance(), c.covariance());
        let mx2 = mx * mx;
        let v = (vy / mx2 - 2.0 * my * cxy / (mx2 * mx) + my * my * vx / (mx2 * mx2)) / n as f64;
        if v.is_finite() {
            v.max(0.0)
        } else {
            0.0
        }
    };
    RatioEstimate {
        ratio,
        variance_of_ratio,
        n,
    }
}

/// Compares two ratio metrics: `R_T − R_C` with a Welch-style t-test on the
/// delta-method variances, and the relative lift `R_T/R_C − 1` with variance
/// `Var(R_T)/R_C² + R_T²·Var(R_C)/R_C⁴` (the same delta method as
/// [`welch`](super::welch)).
///
/// Degrees of freedom are Welch–Satterthwaite on the two ratio variances with
/// `n − 1` per arm: `(V_T + V_C)² / (V_T²/(n_T−1) + V_C²/(n_C−1))`, which is what
/// GrowthBook's `TTest.dof` computes from its per-unit `RatioStatistic.variance`.
///
/// Returns `None` when an arm has fewer than two users, a zero denominator mean,
/// non-finite moments, when both ratio variances are zero, or for `alpha` outside
/// `(0, 1)`. The `t` field is `diff / se` as in [`Welch`].
///
/// ```
/// use splitscope_engine::infer::{welch_ratio, CoMoments};
/// let t = CoMoments::from_values(&[3.0, 1.0, 6.0, 2.0, 4.0], &[3.0, 1.0, 4.0, 2.0, 3.0]);
/// let c = CoMoments::from_values(&[2.0, 0.0, 5.0, 1.0, 2.0], &[3.0, 1.0, 4.0, 2.0, 3.0]);
/// let w = welch_ratio(&t, &c, 0.05).unwrap();
/// assert!((w.diff - (16.0 / 13.0 - 10.0 / 13.0)).abs() < 1e-12);
/// ```
pub fn welch_ratio(t: &CoMoments, c: &CoMoments, alpha: f64) -> Option<Welch> {
    if t.y.n < 2 || c.y.n < 2 || t.x.mean == 0.0 || c.x.mean == 0.0 {
        return None;
    }
    let rt = ratio_moments(t);
    let rc = ratio_moments(c);
    compare(
        (rt.ratio, rt.variance_of_ratio, rt.n),
        (rc.ratio, rc.variance_of_ratio, rc.n),
        alpha,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_denominator_mean_is_undefined() {
        let c = CoMoments::from_values(&[1.0, 2.0], &[-1.0, 1.0]);
        let r = ratio_moments(&c);
        assert_eq!((r.ratio, r.variance_of_ratio, r.n), (0.0, 0.0, 2));
        let ok = CoMoments::from_values(&[1.0, 2.0, 3.0], &[1.0, 1.0, 2.0]);
        assert!(welch_ratio(&c, &ok, 0.05).is_none());
        assert!(welch_ratio(&ok, &c, 0.05).is_none());
    }

    #[test]
    fn single_user_has_ratio_but_no_variance() {
        let c = CoMoments::from_values(&[3.0], &[2.0]);
        let r = ratio_moments(&c);
        assert_eq!((r.ratio, r.variance_of_ratio), (1.5, 0.0));
        let ok = CoMoments::from_values(&[1.0, 2.0, 3.0], &[1.0, 1.0, 2.0]);
        assert!(welch_ratio(&c, &ok, 0.05).is_none());
    }

    #[test]
    fn constant_denominator_reduces_to_a_scaled_mean() {
        // x ≡ 2: R = ȳ/2 and Var(R) = s_y²/(4n); the comparison equals Welch on y/2.
        let (yt, yc) = ([3.0, 5.0, 4.0, 9.0], [1.0, 2.0, 6.0, 2.0, 3.0]);
        let t = CoMoments::from_values(&yt, &[2.0; 4]);
        let c = CoMoments::from_values(&yc, &[2.0; 5]);
        let half = |v: &[f64]| {
            super::super::Moments::from_values(&v.iter().map(|a| a / 2.0).collect::<Vec<_>>())
        };
        let w = welch_ratio(&t, &c, 0.05).unwrap();
        let m = super::super::welch(&half(&yt), &half(&yc), 0.05).unwrap();
        assert!((w.diff - m.diff).abs() < 1e-12);
        assert!((w.se - m.se).abs() < 1e-12);
        assert!((w.df - m.df).abs() < 1e-9);
        assert!((w.p_value - m.p_value).abs() < 1e-12);
    }

    #[test]
    fn identical_arms() {
        let c = CoMoments::from_values(&[2.0, 0.0, 5.0, 1.0], &[3.0, 1.0, 4.0, 2.0]);
        let w = welch_ratio(&c, &c, 0.05).unwrap();
        assert_eq!(w.diff, 0.0);
        assert_eq!(w.relative_lift, Some(0.0));
        assert!((w.p_value - 1.0).abs() < 1e-12);
    }
}
