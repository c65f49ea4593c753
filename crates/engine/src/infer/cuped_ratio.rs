//! CUPED for ratio metrics: regression adjustment of a ratio of means on the same
//! ratio in the pre-period, following GrowthBook's method ("Technical CUPED
//! details", section "Ratio metric", docs.growthbook.io/statistics/cuped-technical;
//! `gbstats`: `RegressionAdjustedRatioStatistic`,
//! `compute_theta_regression_adjusted_ratio`,
//! `frequentist_variance_relative_cuped_ratio`).
//!
//! Every user carries four numbers: the numerator `m` and denominator `d` of the
//! ratio in the analysis window, and the same two, `x` and `e`, over the
//! pre-period. In each arm we keep the means `β = (m̄, d̄, x̄, ē)` and the 4×4
//! per-user sample covariance matrix `Λ` (divisor `n − 1`), as [`QuadMoments`].
//!
//! * The arm's ratio now is `R = m̄/d̄` and before the experiment `P = x̄/ē`. The
//!   adjusted estimate is `R − θ·P`; to first order its per-user variance is
//!   `∇ᵀΛ∇` with the gradient `∇ = (1/d̄, −m̄/d̄², −θ/ē, θ·x̄/ē²)`, and the
//!   variance of the estimate is that over `n`.
//! * One `θ` serves both arms. Writing `g₁ = (1/d̄, −m̄/d̄²)` for the gradient of
//!   `R` on the post block and `g₂ = (1/ē, −x̄/ē²)` for that of `P` on the pre
//!   block, each arm has a per-user `c = g₂ᵀΛ[pre,post]g₁` (covariance of `R` and
//!   `P`) and `v = g₂ᵀΛ[pre,pre]g₂` (variance of `P`), and
//!   `θ = (c_T + c_C)/(v_T + v_C)` — the per-user quantities summed, not weighted
//!   by the arm sizes, as GrowthBook does. `θ = 0` when `v_T + v_C = 0`, and, as
//!   GrowthBook reverts to its plain ratio statistic then, also when
//!   `|θ| < 1e-8`; with `θ = 0` the result is the delta-method test of
//!   [`welch_ratio`](super::welch_ratio).
//! * `diff = (R_T − θP_T) − (R_C − θP_C)`, `se = sqrt(V_T + V_C)` with
//!   `V = ∇ᵀΛ∇/n` per arm, Welch–Satterthwaite degrees of freedom on `V_T`, `V_C`
//!   with `n − 1` per arm, interval and p-value from Student t.
//! * `variance_reduction = 1 − (V_T + V_C)/(Var(R_T) + Var(R_C))`, the
//!   denominator being the plain delta-method variances of the two ratios.
//!
//! **Relative lift** `= diff / R_C` (the unadjusted control ratio). Its variance is
//! GrowthBook's delta method: with `D = |R_C|` and `g = diff·sign(R_C)`, the
//! control's gradient is
//! `a = (−(D + g)/(d̄_C D²), m̄_C(D + g)/(d̄_C² D²), −∇_C[2]/D, −∇_C[3]/D)`, the
//! treatment's `b = ∇_T/D`, and `Var = aᵀΛ_C a/n_C + bᵀΛ_T b/n_T`. (As for means,
//! the control term uses the estimate itself, so it is the exact first-order
//! variance of `diff/|R_C|` — and of `diff/R_C`, which only differs in sign.) The
//! relative interval and p-value use the absolute degrees of freedom.

use super::cuped::Cuped;
use super::quad_moments::QuadMoments;
use super::tdist::{infer, valid_alpha, welch_df};

/// GrowthBook treats `|θ|` below this as no adjustment.
const THETA_FLOOR: f64 = 1e-8;

/// CUPED-adjusted comparison of the ratio metric of `treatment` and `control`,
/// each the joint moments of `[m, d, x, e]` (post numerator, post denominator, pre
/// numerator, pre denominator; see the module docs for the formulas).
///
/// Returns `None` when an arm has fewer than two users, a post- or pre-period
/// denominator mean is zero, a moment is not finite, the adjusted or the unadjusted
/// variance is not positive, or `alpha` is outside `(0, 1)`. The relative fields
/// are `None` when the control ratio is zero or the relative variance is not
/// positive.
///
/// ```
/// use splitscope_engine::infer::{cuped_ratio, welch_ratio, QuadMoments};
/// // Revenue (m) per session (d), now and in the pre-period (x, e): the users who
/// // spent much before spend much now.
/// let t = QuadMoments::from_values(
///     &[5.0, 9.0, 2.0, 7.0, 4.0],
///     &[2.0, 3.0, 1.0, 3.0, 2.0],
///     &[4.0, 8.0, 1.0, 6.0, 4.0],
///     &[2.0, 3.0, 1.0, 3.0, 2.0],
/// );
/// let c = QuadMoments::from_values(
///     &[3.0, 8.0, 2.0, 6.0, 1.0, 4.0],
///     &[2.0, 3.0, 1.0, 3.0, 1.0, 2.0],
///     &[3.0, 9.0, 2.0, 5.0, 1.0, 4.0],
///     &[2.0, 3.0, 1.0, 3.0, 1.0, 2.0],
/// );
/// let r = cuped_ratio(&t, &c, 0.05).unwrap();
/// let plain = welch_ratio(&t.post(), &c.post(), 0.05).unwrap();
/// assert!(r.theta > 0.0);
/// assert!(r.variance_reduction > 0.0 && r.se < plain.se);
/// ```
pub fn cuped_ratio(treatment: &QuadMoments, control: &QuadMoments, alpha: f64) -> Option<Cuped> {
    let (t, c) = (treatment, control);
    let finite = |q: &QuadMoments| {
        q.mean.iter().all(|v| v.is_finite()) && q.cross.iter().flatten().all(|v| v.is_finite())
    };
    if !valid_alpha(alpha) || t.n < 2 || c.n < 2 || !finite(t) || !finite(c) {
        return None;
    }
    let nonzero_denominators = |q: &QuadMoments| {
        let [_, d, _, e] = q.mean;
        d != 0.0 && e != 0.0
    };
    if !(nonzero_denominators(t) && nonzero_denominators(c)) {
        return None;
    }
    // Gradients of R (post block) and P (pre block), zero on the other block.
    let g_post = |q: &QuadMoments| {
        let [m, d, _, _] = q.mean;
        [1.0 / d, -m / (d * d), 0.0, 0.0]
    };
    let g_pre = |q: &QuadMoments| {
        let [_, _, x, e] = q.mean;
        [0.0, 0.0, 1.0 / e, -x / (e * e)]
    };
    let cov_rp = |q: &QuadMoments| q.quadratic(g_pre(q), g_post(q));
    let var_p = |q: &QuadMoments| q.quadratic(g_pre(q), g_pre(q));
    let v = var_p(t) + var_p(c);
    let theta = if v > 0.0 {
        (cov_rp(t) + cov_rp(c)) / v
    } else {
        0.0
    };
    if !theta.is_finite() {
        return None;
    }
    let theta = if theta.abs() < THETA_FLOOR {
        0.0
    } else {
        theta
    };
    let grad = |q: &QuadMoments| {
        let [m, d, x, e] = q.mean;
        [1.0 / d, -m / (d * d), -theta / e, theta * x / (e * e)]
    };
    let (n_t, n_c) = (t.n as f64, c.n as f64);
    let per_unit = |q: &QuadMoments, g: [f64; 4]| q.quadratic(g, g).max(0.0);
    let v_t = per_unit(t, grad(t)) / n_t;
    let v_c = per_unit(c, grad(c)) / n_c;
    let var = v_t + v_c;
    let var_unadj = per_unit(t, g_post(t)) / n_t + per_unit(c, g_post(c)) / n_c;
    let usable = |v: f64| v > 0.0 && v.is_finite();
    if !(usable(var) && usable(var_unadj)) {
        return None;
    }
    let adjusted = |q: &QuadMoments| {
        let [m, d, x, e] = q.mean;
        m / d - theta * (x / e)
    };
    let diff = adjusted(t) - adjusted(c);
    let df = welch_df(v_t, t.n, v_c, c.n);
    let abs = infer(diff, var, df, alpha)?;

    let [m_c, d_c, _, _] = c.mean;
    let r_c = m_c / d_c;
    let rel = if r_c != 0.0 {
        let big_d = r_c.abs();
        let g = diff * r_c.signum();
        let d2 = big_d * big_d;
        let [_, _, gc2, gc3] = grad(c);
        let a = [
            -(big_d + g) / d_c / d2,
            (m_c * big_d / (d_c * d_c) + m_c * g / (d_c * d_c)) / d2,
            -gc2 / big_d,
            -gc3 / big_d,
        ];
        let b = grad(t).map(|v| v / big_d);
        let var_rel = c.quadratic(a, a) / n_c + t.quadratic(b, b) / n_t;
        let lift = diff / r_c;
        infer(lift, var_rel, df, alpha).map(|r| (lift, r))
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
    use crate::infer::{cuped, welch_ratio, CoMoments};

    const MT: [f64; 7] = [5.0, 9.0, 2.0, 7.0, 4.0, 6.5, 3.0];
    const DT: [f64; 7] = [2.0, 3.0, 1.0, 3.0, 2.0, 4.0, 1.0];
    const XT: [f64; 7] = [4.0, 8.0, 1.0, 6.0, 4.0, 5.0, 3.5];
    const ET: [f64; 7] = [2.0, 3.0, 1.0, 2.0, 2.0, 3.0, 2.0];
    const MC: [f64; 6] = [3.0, 8.0, 2.0, 6.0, 1.0, 4.0];
    const DC: [f64; 6] = [2.0, 3.0, 1.0, 3.0, 1.0, 2.0];
    const XC: [f64; 6] = [3.0, 9.0, 2.0, 5.0, 1.0, 4.0];
    const EC: [f64; 6] = [1.0, 3.0, 2.0, 3.0, 1.0, 2.0];

    #[track_caller]
    fn near(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol * b.abs().max(1.0), "{a} vs {b}");
    }

    #[test]
    fn constant_pre_period_is_the_plain_ratio_test() {
        // x ≡ 2, e ≡ 1: P has no variance, θ = 0.
        let t = QuadMoments::from_values(&MT, &DT, &[2.0; 7], &[1.0; 7]);
        let c = QuadMoments::from_values(&MC, &DC, &[2.0; 6], &[1.0; 6]);
        let r = cuped_ratio(&t, &c, 0.05).unwrap();
        let w = welch_ratio(&t.post(), &c.post(), 0.05).unwrap();
        assert_eq!(r.theta, 0.0);
        near(r.variance_reduction, 0.0, 1e-12);
        near(r.diff, w.diff, 1e-12);
        near(r.se, w.se, 1e-12);
        near(r.df, w.df, 1e-9);
        near(r.p_value, w.p_value, 1e-12);
        near(r.relative_lift.unwrap(), w.relative_lift.unwrap(), 1e-12);
        near(
            r.relative_p_value.unwrap(),
            w.relative_p_value.unwrap(),
            1e-12,
        );
        let (rc, wc) = (r.relative_ci.unwrap(), w.relative_ci.unwrap());
        near(rc[0], wc[0], 1e-12);
        near(rc[1], wc[1], 1e-12);
    }

    #[test]
    fn constant_denominators_are_mean_cuped() {
        // d ≡ 2, e ≡ 4: R = m̄/2 and P = x̄/4, so the test is mean CUPED on (m/2, x/4)
        // once both use the same θ. Mean CUPED's pooled slope equals the per-unit sum
        // (c_T + c_C)/(v_T + v_C) when the arms have equal sizes and equal x̄.
        let xt = [4.0, 8.0, 1.0, 6.0, 4.0, 1.0]; // Σ = 24 = Σ XC
        let mt = [5.0, 9.0, 2.0, 7.0, 4.0, 6.5];
        let t = QuadMoments::from_values(&mt, &[2.0; 6], &xt, &[4.0; 6]);
        let c = QuadMoments::from_values(&MC, &[2.0; 6], &XC, &[4.0; 6]);
        let r = cuped_ratio(&t, &c, 0.05).unwrap();
        let scaled = |m: &[f64], x: &[f64]| {
            let m: Vec<f64> = m.iter().map(|v| v / 2.0).collect();
            let x: Vec<f64> = x.iter().map(|v| v / 4.0).collect();
            CoMoments::from_values(&m, &x)
        };
        let mean = cuped(&scaled(&mt, &xt), &scaled(&MC, &XC), 0.05).unwrap();
        assert!(r.theta > 0.1);
        near(r.theta, mean.theta, 1e-12);
        near(r.diff, mean.diff, 1e-12);
        near(r.se, mean.se, 1e-12);
        near(r.df, mean.df, 1e-9);
        near(r.p_value, mean.p_value, 1e-12);
        near(r.variance_reduction, mean.variance_reduction, 1e-12);
        near(r.relative_lift.unwrap(), mean.relative_lift.unwrap(), 1e-12);
        near(
            r.relative_p_value.unwrap(),
            mean.relative_p_value.unwrap(),
            1e-12,
        );
        let (rc, mc) = (r.relative_ci.unwrap(), mean.relative_ci.unwrap());
        near(rc[0], mc[0], 1e-12);
        near(rc[1], mc[1], 1e-12);
    }

    #[test]
    fn degenerate_inputs_are_none() {
        let ok = QuadMoments::from_values(&MT, &DT, &XT, &ET);
        let one = QuadMoments::from_values(&[1.0], &[1.0], &[1.0], &[1.0]);
        assert!(cuped_ratio(&one, &ok, 0.05).is_none());
        assert!(cuped_ratio(&ok, &one, 0.05).is_none());
        let zero_d = QuadMoments::from_values(&[1.0, 2.0], &[-1.0, 1.0], &[1.0, 2.0], &[1.0, 1.0]);
        let zero_e = QuadMoments::from_values(&[1.0, 2.0], &[1.0, 1.0], &[1.0, 2.0], &[1.0, -1.0]);
        for bad in [zero_d, zero_e] {
            assert!(cuped_ratio(&bad, &ok, 0.05).is_none());
            assert!(cuped_ratio(&ok, &bad, 0.05).is_none());
        }
        let mut nan = ok;
        nan.mean[2] = f64::NAN;
        assert!(cuped_ratio(&nan, &ok, 0.05).is_none());
        assert!(cuped_ratio(&ok, &ok, 1.0).is_none());
        // m = 2d in every user: R has no variance at all.
        let flat = QuadMoments::from_values(&[2.0, 4.0, 6.0], &[1.0, 2.0, 3.0], &XT, &ET);
        assert!(cuped_ratio(&flat, &flat, 0.05).is_none());
    }

    #[test]
    fn identical_arms() {
        let q = QuadMoments::from_values(&MT, &DT, &XT, &ET);
        let r = cuped_ratio(&q, &q, 0.05).unwrap();
        assert_eq!(r.diff, 0.0);
        assert!((r.p_value - 1.0).abs() < 1e-12);
        assert_eq!(r.relative_lift, Some(0.0));
        assert!(r.theta > 0.0);
    }

    #[test]
    fn correlated_pre_period_reduces_variance() {
        let t = QuadMoments::from_values(&MT, &DT, &XT, &ET);
        let c = QuadMoments::from_values(&MC, &DC, &XC, &EC);
        let r = cuped_ratio(&t, &c, 0.05).unwrap();
        let w = welch_ratio(&t.post(), &c.post(), 0.05).unwrap();
        assert!(r.variance_reduction > 0.0);
        near(r.variance_reduction, 1.0 - (r.se / w.se).powi(2), 1e-12);
    }
}
