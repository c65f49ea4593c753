//! CUPED (regression adjustment on a pre-period covariate), following GrowthBook's
//! published method ("Technical CUPED details", docs.growthbook.io/statistics/cuped-technical,
//! and `gbstats`: `compute_theta`, `RegressionAdjustedStatistic`,
//! `frequentist_variance_relative_cuped`).
//!
//! With `y` the metric and `x` the pre-period covariate of each user:
//!
//! * `θ = Cov(Y, X) / Var(X)` over all users of both arms pooled
//!   ([`CoMoments::merge`]); `θ = 0` (no adjustment) when the pooled `Var(X)` is 0.
//! * Adjusted mean per arm `ȳ − θ·x̄`; `diff = adj_T − adj_C`. Centring the covariate
//!   on the pooled `x̄` instead (`ȳ − θ(x̄ − x̄_pooled)`) shifts both arms by the same
//!   constant and gives the same `diff`.
//! * Variance of an arm's adjusted mean `V = (s_y² + θ²s_x² − 2θ s_xy)/n` with
//!   within-arm moments; `se = sqrt(V_T + V_C)`; Welch–Satterthwaite degrees of
//!   freedom on `V_T`, `V_C`; interval and p-value from Student t.
//! * `variance_reduction = 1 − (V_T + V_C)/(s_yT²/n_T + s_yC²/n_C)`.
//!
//! **Relative lift** `= diff / ȳ_C` (unadjusted control mean). The exact delta
//! method for `g = diff/ȳ_C` gives
//! `Var(diff)/ȳ_C² + diff²·Var(ȳ_C)/ȳ_C⁴ − 2·diff·Cov(diff, ȳ_C)/ȳ_C³` with
//! `Cov(diff, ȳ_C) = −(s_yC² − θ s_xyC)/n_C`, i.e. a control term in which the
//! factor `(ȳ_C + diff) = ȳ_T − θ(x̄_T − x̄_C)` appears. GrowthBook's production
//! formula replaces that factor by `ȳ_T`, using that the pre-period means are
//! equal in expectation under randomisation:
//!
//! `Var(lift) = (s_yT² + θ²s_xT² − 2θ s_xyT)/(n_T ȳ_C²)
//!            + (s_yC²·ȳ_T²/ȳ_C² − 2θ s_xyC·ȳ_T/ȳ_C + θ² s_xC²)/(n_C ȳ_C²)`.
//!
//! **We use GrowthBook's formula** so results agree with it; the two differ by
//! terms in `θ(x̄_T − x̄_C)`, which is `O(1/√n)` and has mean zero. The relative
//! interval and p-value use the same degrees of freedom as the absolute ones.

use serde::{Deserialize, Serialize};

use super::moments::CoMoments;
use super::tdist::{infer, valid_alpha, welch_df, TInference};

/// Result of a CUPED-adjusted comparison of means ([`cuped`]) or of ratio metrics
/// ([`cuped_ratio`](super::cuped_ratio), where `ȳ` reads as the ratio `R` and `x̄`
/// as the pre-period ratio `P`). Every field is finite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cuped {
    /// Regression slope: pooled `Cov(Y, X)/Var(X)` for means (0 when `Var(X) = 0`);
    /// `Σ Cov(R, P)/Σ Var(P)` over the arms for ratios.
    pub theta: f64,
    /// Difference of adjusted means `(ȳ_T − θx̄_T) − (ȳ_C − θx̄_C)`.
    pub diff: f64,
    /// Standard error of `diff`.
    pub se: f64,
    /// Welch–Satterthwaite degrees of freedom on the adjusted variances.
    pub df: f64,
    /// Two-sided `1 − alpha` confidence interval for `diff`.
    pub ci: [f64; 2],
    /// Two-sided p-value for `diff = 0`.
    pub p_value: f64,
    /// `diff / ȳ_C` (unadjusted control mean); `None` when `ȳ_C = 0` or its variance is not positive.
    pub relative_lift: Option<f64>,
    /// Delta-method `1 − alpha` interval for the lift (GrowthBook's variance, see module docs).
    pub relative_ci: Option<[f64; 2]>,
    /// Two-sided p-value for `lift = 0`.
    pub relative_p_value: Option<f64>,
    /// `1 − Var(diff_adjusted)/Var(diff_unadjusted)`: the share of variance removed.
    /// Negative if the covariate hurts (possible when the pooled slope fits neither arm).
    pub variance_reduction: f64,
}

impl Cuped {
    /// Assembles the result from the slope, the adjusted difference and its degrees
    /// of freedom, the absolute inference, the relative lift with its inference
    /// (if defined) and the variance reduction.
    pub(super) fn from_parts(
        (theta, diff, df): (f64, f64, f64),
        abs: &TInference,
        rel: Option<&(f64, TInference)>,
        variance_reduction: f64,
    ) -> Self {
        Self {
            theta,
            diff,
            se: abs.se,
            df,
            ci: abs.ci,
            p_value: abs.p_value,
            relative_lift: rel.map(|(l, _)| *l),
            relative_ci: rel.map(|(_, r)| r.ci),
            relative_p_value: rel.map(|(_, r)| r.p_value),
            variance_reduction,
        }
    }
}

/// CUPED-adjusted comparison of `treatment` and `control`, each holding the metric
/// as `y` and the pre-period covariate as `x` (see the module docs for formulas).
///
/// Returns `None` when an arm has fewer than two users, when the adjusted or the
/// unadjusted standard error is zero, for non-finite moments, or for `alpha`
/// outside `(0, 1)`. When the pooled covariate variance is zero, `θ = 0` and the
/// result equals Welch's test on `y` (with `variance_reduction = 0`).
///
/// ```
/// use splitscope_engine::infer::{cuped, CoMoments};
/// let t = CoMoments::from_values(&[5.0, 7.0, 9.0, 6.0], &[4.0, 6.0, 8.0, 5.0]);
/// let c = CoMoments::from_values(&[4.0, 6.0, 5.0, 8.0], &[4.0, 6.0, 5.0, 7.5]);
/// let r = cuped(&t, &c, 0.05).unwrap();
/// assert!(r.variance_reduction > 0.9);
/// assert!(r.ci[0] > 0.0);
/// ```
pub fn cuped(treatment: &CoMoments, control: &CoMoments, alpha: f64) -> Option<Cuped> {
    let (t, c) = (treatment, control);
    if !valid_alpha(alpha) || t.y.n < 2 || c.y.n < 2 || t.x.n != t.y.n || c.x.n != c.y.n {
        return None;
    }
    let pooled = t.merge(c);
    let theta = if pooled.x.m2 > 0.0 {
        pooled.cxy / pooled.x.m2
    } else {
        0.0
    };
    if !theta.is_finite() {
        return None;
    }
    // Per-user adjusted variance of one arm: s_y² + θ²s_x² − 2θ s_xy (≥ 0 up to rounding).
    let adj_var = |m: &CoMoments| {
        (m.y.variance() + theta * theta * m.x.variance() - 2.0 * theta * m.covariance()).max(0.0)
    };
    let (n_t, n_c) = (t.y.n as f64, c.y.n as f64);
    let v_t = adj_var(t) / n_t;
    let v_c = adj_var(c) / n_c;
    let var = v_t + v_c;
    let var_unadj = t.y.variance() / n_t + c.y.variance() / n_c;
    let usable = |v: f64| v > 0.0 && v.is_finite();
    if !(usable(var) && usable(var_unadj)) {
        return None;
    }
    let diff = (t.y.mean - theta * t.x.mean) - (c.y.mean - theta * c.x.mean);
    let df = welch_df(v_t, t.y.n, v_c, c.y.n);
    let abs = infer(diff, var, df, alpha)?;

    let (yt, yc) = (t.y.mean, c.y.mean);
    let rel = if yc != 0.0 {
        let lift = diff / yc;
        let yc2 = yc * yc;
        let v_trt = adj_var(t) / (n_t * yc2);
        let ratio = yt / yc;
        let v_ctrl = (c.y.variance() * ratio * ratio - 2.0 * theta * c.covariance() * ratio
            + theta * theta * c.x.variance())
            / (n_c * yc2);
        infer(lift, v_trt + v_ctrl, df, alpha).map(|r| (lift, r))
    } else {
        None
    };

    Some(Cuped::from_parts(
        (theta, diff, df),
        &abs,
        rel.as_ref(),
        1.0 - var / var_unadj,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::{welch, Moments};

    #[test]
    fn constant_covariate_means_no_adjustment() {
        let (yt, yc) = ([3.0, 5.0, 4.0, 9.0], [1.0, 2.0, 6.0, 2.0, 3.0]);
        let t = CoMoments::from_values(&yt, &[1.0; 4]);
        let c = CoMoments::from_values(&yc, &[1.0; 5]);
        let r = cuped(&t, &c, 0.05).unwrap();
        let w = welch(&Moments::from_values(&yt), &Moments::from_values(&yc), 0.05).unwrap();
        assert_eq!(r.theta, 0.0);
        assert_eq!(r.variance_reduction, 0.0);
        assert!((r.diff - w.diff).abs() < 1e-12);
        assert!((r.se - w.se).abs() < 1e-12);
        assert!((r.p_value - w.p_value).abs() < 1e-12);
        // With θ = 0 GrowthBook's relative variance is exactly Welch's delta method.
        assert!((r.relative_p_value.unwrap() - w.relative_p_value.unwrap()).abs() < 1e-12);
    }

    #[test]
    fn too_few_users_is_none() {
        let one = CoMoments::from_values(&[1.0], &[1.0]);
        let ok = CoMoments::from_values(&[1.0, 2.0, 4.0], &[1.0, 3.0, 2.0]);
        assert!(cuped(&one, &ok, 0.05).is_none());
        assert!(cuped(&ok, &one, 0.05).is_none());
    }

    #[test]
    fn perfectly_explained_metric_is_none() {
        // y = 2x exactly in both arms: the adjusted variance is zero.
        let t = CoMoments::from_values(&[2.0, 4.0, 6.0], &[1.0, 2.0, 3.0]);
        let c = CoMoments::from_values(&[2.0, 8.0, 4.0], &[1.0, 4.0, 2.0]);
        assert!(cuped(&t, &c, 0.05).is_none());
    }

    #[test]
    fn zero_control_mean_has_no_relative_fields() {
        let t = CoMoments::from_values(&[1.0, 2.0, 4.0], &[1.0, 3.0, 2.0]);
        let c = CoMoments::from_values(&[-1.0, 0.0, 1.0], &[0.0, 2.0, 1.0]);
        let r = cuped(&t, &c, 0.05).unwrap();
        assert!(
            r.relative_lift.is_none() && r.relative_ci.is_none() && r.relative_p_value.is_none()
        );
    }

    #[test]
    fn identical_arms() {
        let m = CoMoments::from_values(&[1.0, 2.0, 4.0, 3.0], &[1.0, 3.0, 2.0, 2.5]);
        let r = cuped(&m, &m, 0.05).unwrap();
        assert_eq!(r.diff, 0.0);
        assert!((r.p_value - 1.0).abs() < 1e-12);
        assert_eq!(r.relative_lift, Some(0.0));
    }

    #[test]
    fn exact_delta_method_is_close_to_growthbooks() {
        // The brief's exact delta-method variance versus GrowthBook's production
        // formula (used): they differ only through θ(x̄_T − x̄_C).
        let yt = [5.0, 7.0, 9.0, 6.0, 8.0, 10.0, 7.5];
        let xt = [4.0, 6.5, 8.0, 5.0, 7.0, 9.5, 7.0];
        let yc = [4.0, 6.0, 5.0, 8.0, 6.5, 7.0];
        let xc = [4.0, 6.0, 5.5, 7.5, 6.0, 7.5];
        let (t, c) = (
            CoMoments::from_values(&yt, &xt),
            CoMoments::from_values(&yc, &xc),
        );
        let r = cuped(&t, &c, 0.05).unwrap();
        let th = r.theta;
        let ybar_c = c.y.mean;
        let v_t = (t.y.variance() + th * th * t.x.variance() - 2.0 * th * t.covariance()) / 7.0;
        let v_c = (c.y.variance() + th * th * c.x.variance() - 2.0 * th * c.covariance()) / 6.0;
        let cov = -(c.y.variance() - th * c.covariance()) / 6.0;
        let d = r.diff;
        let exact = (v_t + v_c) / ybar_c.powi(2) + d * d * (c.y.variance() / 6.0) / ybar_c.powi(4)
            - 2.0 * d * cov / ybar_c.powi(3);
        // GrowthBook's with ȳ_T replaced by ȳ_C + diff must reproduce `exact`.
        let f = (ybar_c + d) / ybar_c;
        let gb_form = v_t / ybar_c.powi(2)
            + (c.y.variance() * f * f - 2.0 * th * c.covariance() * f + th * th * c.x.variance())
                / (6.0 * ybar_c.powi(2));
        assert!((exact - gb_form).abs() <= 1e-12 * exact);
    }
}
