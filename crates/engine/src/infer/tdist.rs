//! Student-t helpers shared by the closed-form tests (crate-private).
//!
//! `statrs` supplies the CDF (via the regularised incomplete beta function); its
//! inverse CDF is only accurate to a few parts in 1e10, so quantiles are polished
//! with Newton steps on the survival function to match `scipy.stats.t.ppf` to
//! ~1e-13 relative.

use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};

/// Welch–Satterthwaite degrees of freedom from the variances of the two means
/// (`v = s² / n`) and the sample sizes. Both `n` must be at least 2.
pub(crate) fn welch_df(v_t: f64, n_t: u64, v_c: f64, n_c: u64) -> f64 {
    let num = (v_t + v_c) * (v_t + v_c);
    let den = v_t * v_t / (n_t - 1) as f64 + v_c * v_c / (n_c - 1) as f64;
    num / den
}

fn dist(df: f64) -> Option<StudentsT> {
    StudentsT::new(0.0, 1.0, df).ok()
}

/// Two-sided p-value `2·P(T_df > |t|)`, computed from the upper tail directly
/// (no `1 − cdf` cancellation for small p).
pub(crate) fn two_sided_p(t: f64, df: f64) -> Option<f64> {
    let p = 2.0 * dist(df)?.sf(t.abs());
    p.is_finite().then_some(p.min(1.0))
}

/// Upper quantile `q` with `P(T_df > q) = tail` (`0 < tail < 0.5`).
pub(crate) fn upper_quantile(df: f64, tail: f64) -> Option<f64> {
    let d = dist(df)?;
    let mut q = d.inverse_cdf(1.0 - tail);
    for _ in 0..4 {
        let step = (d.sf(q) - tail) / d.pdf(q);
        if !step.is_finite() {
            break;
        }
        q += step;
        if step.abs() <= 1e-15 * q.abs() {
            break;
        }
    }
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
