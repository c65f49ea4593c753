//! Welch's unequal-variance t-test on the difference of two means, with the
//! relative lift by the delta method.
//!
//! The relative part follows GrowthBook's frequentist engine as published in its
//! "Statistical Details" page (docs.growthbook.io/statistics/details, equations
//! for `Δ_r` and `σ²_{Δ_r}`) and in `gbstats` (`TTest.variance`, `TTest.dof` in
//! `packages/stats/gbstats/frequentist/tests.py`, `frequentist_variance` in
//! `gbstats/utils.py`): lift `= μ̂_T/μ̂_C − 1`, variance
//! `s_T²/(n_T μ̂_C²) + μ̂_T² s_C²/(n_C μ̂_C⁴)`, the same Welch–Satterthwaite degrees
//! of freedom as the absolute test, interval `lift ± t_{1−α/2,ν}·σ` and p-value
//! from `lift / σ`. (Confirmed against both sources, read via the search tool.)

use serde::{Deserialize, Serialize};

use super::moments::Moments;
use super::tdist::{infer, valid_alpha, welch_df};

/// Result of a two-sample comparison of means (or of ratios, see
/// [`welch_ratio`](super::welch_ratio)): absolute difference with Welch's test and
/// relative lift by the delta method.
///
/// Every field is finite. The relative fields are `None` when the lift is
/// undefined: control mean (or ratio) exactly zero, or a lift variance that is not
/// positive.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Welch {
    /// Treatment mean minus control mean.
    pub diff: f64,
    /// Standard error of `diff`: `sqrt(v_T + v_C)` with `v = s²/n`.
    pub se: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// t statistic `diff / se`.
    pub t: f64,
    /// Two-sided `1 − alpha` confidence interval for the difference `[lower, upper]`.
    pub ci: [f64; 2],
    /// Two-sided p-value for `diff = 0`.
    pub p_value: f64,
    /// Relative lift `mean_T / mean_C − 1`.
    pub relative_lift: Option<f64>,
    /// Delta-method `1 − alpha` interval for the lift, with the same degrees of freedom.
    pub relative_ci: Option<[f64; 2]>,
    /// Two-sided p-value for `lift = 0` from `lift / sqrt(Var(lift))`.
    pub relative_p_value: Option<f64>,
}

/// Welch's t-test of `treatment.mean − control.mean` at level `alpha`.
///
/// Equal to `scipy.stats.ttest_ind(treatment, control, equal_var=False)` (statistic,
/// p-value, `df`, and `.confidence_interval(1 - alpha)`), plus the delta-method
/// relative lift documented at the module level.
///
/// Returns `None` when the test is undefined: fewer than two values in an arm,
/// both arms with zero variance (zero standard error), non-finite moments, or
/// `alpha` outside `(0, 1)`.
///
/// ```
/// use splitscope_engine::infer::{welch, Moments};
/// let t = Moments::from_values(&[12.0, 15.0, 11.0, 14.0, 13.0]);
/// let c = Moments::from_values(&[10.0, 11.0, 12.0, 9.0, 10.0, 11.0]);
/// let w = welch(&t, &c, 0.05).unwrap();
/// assert!((w.diff - 2.5).abs() < 1e-12);
/// assert!(w.ci[0] > 0.0 && w.p_value < 0.05);
/// assert!((w.relative_lift.unwrap() - 0.2380952380952381).abs() < 1e-12);
/// ```
pub fn welch(treatment: &Moments, control: &Moments, alpha: f64) -> Option<Welch> {
    if treatment.n < 2 || control.n < 2 {
        return None;
    }
    let v_t = treatment.variance() / treatment.n as f64;
    let v_c = control.variance() / control.n as f64;
    compare(
        (treatment.mean, v_t, treatment.n),
        (control.mean, v_c, control.n),
        alpha,
    )
}

/// Shared core of [`welch`] and [`welch_ratio`](super::welch_ratio): each arm is
/// `(estimate, variance of the estimate, n)`.
pub(crate) fn compare(
    (m_t, v_t, n_t): (f64, f64, u64),
    (m_c, v_c, n_c): (f64, f64, u64),
    alpha: f64,
) -> Option<Welch> {
    if !valid_alpha(alpha) || n_t < 2 || n_c < 2 {
        return None;
    }
    let usable = v_t >= 0.0 && v_c >= 0.0 && m_t.is_finite() && m_c.is_finite();
    if !usable {
        return None;
    }
    let diff = m_t - m_c;
    let var = v_t + v_c;
    if !(var.is_finite() && var > 0.0) {
        return None;
    }
    let df = welch_df(v_t, n_t, v_c, n_c);
    let abs = infer(diff, var, df, alpha)?;

    let rel = if m_c != 0.0 {
        let lift = m_t / m_c - 1.0;
        let m_c2 = m_c * m_c;
        let var_rel = v_t / m_c2 + m_t * m_t * v_c / (m_c2 * m_c2);
        infer(lift, var_rel, df, alpha).map(|r| (lift, r))
    } else {
        None
    };

    Some(Welch {
        diff,
        se: abs.se,
        df,
        t: abs.t,
        ci: abs.ci,
        p_value: abs.p_value,
        relative_lift: rel.as_ref().map(|(lift, _)| *lift),
        relative_ci: rel.as_ref().map(|(_, r)| r.ci),
        relative_p_value: rel.as_ref().map(|(_, r)| r.p_value),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_few_values_is_none() {
        let one = Moments::from_values(&[1.0]);
        let two = Moments::from_values(&[1.0, 2.0]);
        assert!(welch(&one, &two, 0.05).is_none());
        assert!(welch(&two, &one, 0.05).is_none());
        assert!(welch(&Moments::default(), &two, 0.05).is_none());
    }

    #[test]
    fn both_arms_constant_is_none() {
        let a = Moments::from_values(&[3.0, 3.0, 3.0]);
        let b = Moments::from_values(&[1.0, 1.0]);
        assert!(welch(&a, &b, 0.05).is_none());
    }

    #[test]
    fn one_arm_constant_uses_the_other_arms_df() {
        let a = Moments::from_values(&[3.0, 3.0, 3.0]);
        let b = Moments::from_values(&[1.0, 2.0, 4.0, 5.0]);
        let w = welch(&a, &b, 0.05).unwrap();
        assert!((w.df - 3.0).abs() < 1e-12);
    }

    #[test]
    fn zero_control_mean_has_no_relative_fields() {
        let t = Moments::from_values(&[1.0, 2.0, 3.0]);
        let c = Moments::from_values(&[-1.0, 0.0, 1.0]);
        let w = welch(&t, &c, 0.05).unwrap();
        assert_eq!(w.diff, 2.0);
        assert!(w.relative_lift.is_none());
        assert!(w.relative_ci.is_none());
        assert!(w.relative_p_value.is_none());
    }

    #[test]
    fn identical_arms_give_zero_effect_and_p_one() {
        let m = Moments::from_values(&[1.0, 4.0, 2.0, 8.0]);
        let w = welch(&m, &m, 0.05).unwrap();
        assert_eq!(w.diff, 0.0);
        assert_eq!(w.t, 0.0);
        assert!((w.p_value - 1.0).abs() < 1e-12);
        assert!((w.ci[0] + w.ci[1]).abs() < 1e-12);
        assert_eq!(w.relative_lift, Some(0.0));
        assert!((w.relative_p_value.unwrap() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn bad_alpha_is_none() {
        let m = Moments::from_values(&[1.0, 4.0, 2.0, 8.0]);
        for alpha in [0.0, 1.0, -0.1, f64::NAN] {
            assert!(welch(&m, &m, alpha).is_none());
        }
    }

    #[test]
    fn non_finite_moments_are_none() {
        let m = Moments::from_values(&[1.0, 4.0, 2.0, 8.0]);
        let bad = Moments::from_values(&[1.0, f64::INFINITY]);
        assert!(welch(&m, &bad, 0.05).is_none());
    }

    #[test]
    fn result_serialises_to_json() {
        let t = Moments::from_values(&[1.0, 2.0, 3.0]);
        let c = Moments::from_values(&[-1.0, 0.0, 1.0]);
        let w = welch(&t, &c, 0.05).unwrap();
        let json = serde_json::to_string(&w).unwrap();
        assert!(json.contains("\"relative_lift\":null"));
        let back: Welch = serde_json::from_str(&json).unwrap();
        assert!((back.p_value - w.p_value).abs() <= 1e-15);
    }
}
