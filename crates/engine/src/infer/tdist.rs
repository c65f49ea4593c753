//! Student-t helpers shared by the closed-form tests (crate-private).
//!
//! The distribution functions come from [`super::special`], written on the
//! pure-Rust `libm` so native and wasm32 builds return the same bits: the upper
//! tail through the regularised incomplete beta function, the quantile by
//! safeguarded Newton iterations on the survival function, which match
//! `scipy.stats.t.isf` to ~1e-13 relative.

use super::special;

/// Welch–Satterthwaite degrees of freedom from the variances of the two means
/// (`v = s² / n`) and the sample sizes. Both `n` must be at least 2.
pub(crate) fn welch_df(v_t: f64, n_t: u64, v_c: f64, n_c: u64) -> f64 {
    let num = (v_t + v_c) * (v_t + v_c);
    let den = v_t * v_t / (n_t - 1) as f64 + v_c * v_c / (n_c - 1) as f64;
    num / den
}

/// Two-sided p-value `2·P(T_df > |t|)`, computed from the upper tail directly
/// (no `1 − cdf` cancellation for small p).
pub(crate) fn two_sided_p(t: f64, df: f64) -> Option<f64> {
    let p = 2.0 * special::student_t_sf(t.abs(), df);
    p.is_finite().then_some(p.min(1.0))
}

/// Upper quantile `q` with `P(T_df > q) = tail` (`0 < tail < 0.5`).
pub(crate) fn upper_quantile(df: f64, tail: f64) -> Option<f64> {
    let q = special::student_t_isf(tail, df);
    (q.is_finite() && q > 0.0).then_some(q)
}

/// Everything a two-sided t inference reports for an estimate with variance `var`.
pub(crate) struct TInference {
    pub se: f64,
    pub t: f64,
    pub ci: [f64; 2],
    pub p_value: f64,
}

/// Standard error, t statistic, `1 − alpha` interval and two-sided p-value for
/// `estimate` with variance `var` and `df` degrees of freedom; `None` when the
/// variance is not positive or anything is non-finite.
pub(crate) fn infer(estimate: f64, var: f64, df: f64, alpha: f64) -> Option<TInference> {
    let usable = var > 0.0 && var.is_finite() && estimate.is_finite() && df > 0.0;
    if !usable {
        return None;
    }
    let se = var.sqrt();
    let t = estimate / se;
    let q = upper_quantile(df, alpha / 2.0)?;
    let ci = [estimate - q * se, estimate + q * se];
    let p_value = two_sided_p(t, df)?;
    (t.is_finite() && ci[0].is_finite() && ci[1].is_finite()).then_some(TInference {
        se,
        t,
        ci,
        p_value,
    })
}

/// `alpha` must lie strictly between 0 and 1.
pub(crate) fn valid_alpha(alpha: f64) -> bool {
    alpha > 0.0 && alpha < 1.0
}
