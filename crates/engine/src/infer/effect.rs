//! An effect estimate with its variance, the common input of the sequential and the
//! Bayesian read-outs: for a mean metric the difference of means, for a ratio metric
//! the difference of ratios (delta method), each with the relative lift.

use super::moments::{CoMoments, Moments};
use super::ratio::ratio_moments;

/// Treatment − control and the relative lift, each with the variance of the estimate,
/// after `n_total` users in both arms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EffectEstimate {
    /// Users in both arms together.
    pub n_total: u64,
    /// Difference of the arms' estimates (means or ratios).
    pub diff: f64,
    /// Variance of `diff` (positive).
    pub diff_variance: f64,
    /// Relative lift `T/C − 1` and its delta-method variance; `None` when the
    /// control's estimate is 0 or the variance is not positive.
    pub lift: Option<(f64, f64)>,
}

impl EffectEstimate {
    /// Difference of means with variance `s_T²/n_T + s_C²/n_C`, and the lift
    /// `μ_T/μ_C − 1` with variance `v_T/μ_C² + μ_T²·v_C/μ_C⁴` (`v = s²/n`), exactly
    /// as [`welch`](super::welch). `None` when an arm has fewer than two values, the
    /// variance is not positive, or anything is non-finite.
    ///
    /// ```
    /// use splitscope_engine::infer::{EffectEstimate, Moments};
    /// let t = Moments::from_values(&[2.0, 4.0, 6.0]);
    /// let c = Moments::from_values(&[1.0, 2.0, 3.0]);
    /// let e = EffectEstimate::of_means(&t, &c).unwrap();
    /// assert_eq!((e.n_total, e.diff), (6, 2.0));
    /// assert!((e.diff_variance - (4.0 / 3.0 + 1.0 / 3.0)).abs() < 1e-12);
    /// assert!((e.lift.unwrap().0 - 1.0).abs() < 1e-12);
    /// ```
    pub fn of_means(t: &Moments, c: &Moments) -> Option<Self> {
        if t.n < 2 || c.n < 2 {
            return None;
        }
        let v_t = t.variance() / t.n as f64;
        let v_c = c.variance() / c.n as f64;
        Self::from_arms((t.mean, v_t), (c.mean, v_c), t.n + c.n)
    }

    /// Difference of ratios `ȳ/x̄` with their delta-method variances
    /// ([`ratio_moments`]), and the lift `R_T/R_C − 1` with variance
    /// `V_T/R_C² + R_T²·V_C/R_C⁴`, exactly as [`welch_ratio`](super::welch_ratio).
    /// `None` when an arm has fewer than two users or a zero denominator mean, the
    /// variance is not positive, or anything is non-finite.
    ///
    /// ```
    /// use splitscope_engine::infer::{welch_ratio, CoMoments, EffectEstimate};
    /// let t = CoMoments::from_values(&[3.0, 1.0, 6.0, 2.0], &[3.0, 1.0, 4.0, 2.0]);
    /// let c = CoMoments::from_values(&[2.0, 0.0, 5.0, 1.0], &[3.0, 1.0, 4.0, 2.0]);
    /// let e = EffectEstimate::of_ratios(&t, &c).unwrap();
    /// let w = welch_ratio(&t, &c, 0.05).unwrap();
    /// assert!((e.diff - w.diff).abs() < 1e-15);
    /// assert!((e.diff_variance.sqrt() - w.se).abs() < 1e-15);
    /// ```
    pub fn of_ratios(t: &CoMoments, c: &CoMoments) -> Option<Self> {
        if t.y.n < 2 || c.y.n < 2 || t.x.mean == 0.0 || c.x.mean == 0.0 {
            return None;
        }
        let (rt, rc) = (ratio_moments(t), ratio_moments(c));
        Self::from_arms(
            (rt.ratio, rt.variance_of_ratio),
            (rc.ratio, rc.variance_of_ratio),
            t.y.n + c.y.n,
        )
    }

    /// From each arm's estimate and the variance of that estimate.
    fn from_arms((m_t, v_t): (f64, f64), (m_c, v_c): (f64, f64), n_total: u64) -> Option<Self> {
        let diff = m_t - m_c;
        let diff_variance = v_t + v_c;
        let usable = diff.is_finite() && diff_variance.is_finite() && diff_variance > 0.0;
        if !usable {
            return None;
        }
        let lift = (m_c != 0.0)
            .then(|| {
                let m_c2 = m_c * m_c;
                (
                    m_t / m_c - 1.0,
                    v_t / m_c2 + m_t * m_t * v_c / (m_c2 * m_c2),
                )
            })
            .filter(|(l, v)| l.is_finite() && v.is_finite() && *v > 0.0);
        Some(Self {
            n_total,
            diff,
            diff_variance,
            lift,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_cases_are_none() {
        let one = Moments::from_values(&[1.0]);
        let ok = Moments::from_values(&[1.0, 2.0]);
        assert!(EffectEstimate::of_means(&one, &ok).is_none());
        let flat = Moments::from_values(&[2.0, 2.0]);
        assert!(EffectEstimate::of_means(&flat, &flat).is_none());
        let zero_den = CoMoments::from_values(&[1.0, 2.0], &[-1.0, 1.0]);
        let r = CoMoments::from_values(&[1.0, 2.0, 3.0], &[1.0, 1.0, 2.0]);
        assert!(EffectEstimate::of_ratios(&zero_den, &r).is_none());
        assert!(EffectEstimate::of_ratios(&r, &zero_den).is_none());
    }

    #[test]
    fn zero_control_has_no_lift() {
        let t = Moments::from_values(&[1.0, 2.0, 3.0]);
        let c = Moments::from_values(&[-1.0, 0.0, 1.0]);
        let e = EffectEstimate::of_means(&t, &c).unwrap();
        assert!(e.lift.is_none());
    }

    #[test]
    fn constant_denominator_is_a_scaled_mean() {
        let (yt, yc) = ([3.0, 5.0, 4.0, 9.0], [1.0, 2.0, 6.0, 2.0, 3.0]);
        let r = EffectEstimate::of_ratios(
            &CoMoments::from_values(&yt, &[2.0; 4]),
            &CoMoments::from_values(&yc, &[2.0; 5]),
        )
        .unwrap();
        let half = |v: &[f64]| Moments::from_values(&v.iter().map(|a| a / 2.0).collect::<Vec<_>>());
        let m = EffectEstimate::of_means(&half(&yt), &half(&yc)).unwrap();
        assert!((r.diff - m.diff).abs() < 1e-12);
        assert!((r.diff_variance - m.diff_variance).abs() < 1e-12);
        let (rl, ml) = (r.lift.unwrap(), m.lift.unwrap());
        assert!((rl.0 - ml.0).abs() < 1e-12 && (rl.1 - ml.1).abs() < 1e-12);
        assert_eq!(r.n_total, 9);
    }
}
