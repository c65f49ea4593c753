//! Power analysis for a two-sided two-sample z-test: sample size, minimum
//! detectable effect (MDE) and duration, for means and for proportions.
//!
//! # Conventions
//!
//! * `treatment_share` `s ∈ (0, 1)` is the share of users in the treatment arm;
//!   `N` users in total give `n_T = s·N` and `n_C = (1 − s)·N`.
//! * Power is computed as statsmodels' `NormalIndPower` does, *including the far
//!   tail*: `power(λ) = 1 − Φ(z − λ) + Φ(−z − λ)` with `z = Φ⁻¹(1 − α/2)` and
//!   noncentrality `λ = d·sqrt(n_eff)`, `n_eff = n_T n_C/(n_T + n_C) = s(1−s)N`;
//!   `λ` is solved by Newton's method (starting from the textbook `z + z_power`), so
//!   results equal `NormalIndPower().solve_power(effect_size=d, alpha=alpha,
//!   power=power, ratio=s/(1−s))` — its `nobs1` is our exact control size
//!   `(1 − s)·N` — within 1e-9 relative (`tests/stats_beyond.rs`). For the MDE,
//!   statsmodels' `solve_power(effect_size=None, …)` stops early (relative error
//!   ~1e-5), so the tests compare with a tight root of its `power` function instead.
//! * Means: `d = mde / sd` (one common standard deviation per user).
//! * Proportions: Cohen's arcsine effect size `h = 2·asin(√p₂) − 2·asin(√p₁)`, as
//!   statsmodels' `proportion_effectsize(p2, p1)`; the variance-stabilising
//!   transform makes `Var(2·asin√p̂) ≈ 1/n` in each arm. (The "unpooled variance"
//!   formula `(z+z_β)²(p₁q₁/n_C + p₂q₂/n_T)` differs from it by a few percent at
//!   small baselines; we follow statsmodels so the numbers are checkable.)

use serde::{Deserialize, Serialize};

use super::normal;

/// Users needed for a test, from [`sample_size_means`] or
/// [`sample_size_proportions`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampleSize {
    /// Users in the treatment arm: `ceil(s · total_exact)`.
    pub treatment: u64,
    /// Users in the control arm: `ceil((1 − s) · total_exact)`.
    pub control: u64,
    /// `treatment + control`.
    pub total: u64,
    /// Unrounded total `N` solving the power equation.
    pub total_exact: f64,
}

/// Noncentrality `λ` with two-sided power exactly `power` at level `alpha`.
fn noncentrality(alpha: f64, power: f64) -> Option<f64> {
    let valid = alpha > 0.0 && alpha < 1.0 && power > alpha && power < 1.0;
    if !valid {
        return None;
    }
    let z = normal::isf(alpha / 2.0)?;
    let mut lambda = (z + normal::isf(1.0 - power)?).max(0.0);
    for _ in 0..50 {
        let f = normal::sf(z - lambda) + normal::cdf(-z - lambda) - power;
        let slope = normal::pdf(z - lambda) - normal::pdf(z + lambda);
        if slope.is_nan() || slope <= 0.0 {
            break;
        }
        let step = f / slope;
        // Stay on λ > 0, where power is increasing.
        let next = if lambda - step > 0.0 {
            lambda - step
        } else {
            lambda / 2.0
        };
        let done = (next - lambda).abs() <= 1e-15 * next;
        lambda = next;
        if done {
            break;
        }
    }
    (lambda.is_finite() && lambda > 0.0).then_some(lambda)
}

fn valid_share(s: f64) -> bool {
    s > 0.0 && s < 1.0
}

/// Sample size for a standardised effect `d` (> 0).
fn sample_size(d: f64, alpha: f64, power: f64, share: f64) -> Option<SampleSize> {
    if !(valid_share(share) && d.is_finite() && d > 0.0) {
        return None;
    }
    let lambda = noncentrality(alpha, power)?;
    let n_eff = (lambda / d) * (lambda / d);
    let total_exact = n_eff / (share * (1.0 - share));
    let (t, c) = (share * total_exact, (1.0 - share) * total_exact);
    // Above 2^53 users the counts are not representable anyway.
    if !(t.is_finite() && c.is_finite() && t.max(c) < 9.0e15) {
        return None;
    }
    let (treatment, control) = (t.ceil() as u64, c.ceil() as u64);
    Some(SampleSize {
        treatment,
        control,
        total: treatment + control,
        total_exact,
    })
}

/// Standardised MDE `d = λ / sqrt(n_eff)` for `n_total` users.
fn mde_standardised(n_total: u64, alpha: f64, power: f64, share: f64) -> Option<f64> {
    if !valid_share(share) || n_total == 0 {
        return None;
    }
    let lambda = noncentrality(alpha, power)?;
    let n_eff = share * (1.0 - share) * n_total as f64;
    let d = lambda / n_eff.sqrt();
    (d.is_finite() && d > 0.0).then_some(d)
}

/// Users needed to detect an absolute change `absolute_mde` in a mean whose
/// per-user standard deviation is `sd`, with a two-sided test at level `alpha`
/// and the given `power`. `None` for a non-positive `sd` or zero MDE, `alpha ∉ (0,1)`,
/// `power ∉ (alpha, 1)`, or `treatment_share ∉ (0, 1)`. The sign of the MDE does not
/// matter.
///
/// ```
/// use splitscope_engine::infer::power::sample_size_means;
/// // NormalIndPower().solve_power(effect_size=0.1, alpha=0.05, power=0.8, ratio=1)
/// //   -> 1569.7721019023288 users in the control arm (and as many in treatment)
/// let n = sample_size_means(10.0, 1.0, 0.05, 0.8, 0.5).unwrap();
/// assert_eq!((n.control, n.treatment, n.total), (1570, 1570, 3140));
/// assert!((n.total_exact / 2.0 - 1569.7721019023288).abs() < 1e-6);
/// ```
pub fn sample_size_means(
    sd: f64,
    absolute_mde: f64,
    alpha: f64,
    power: f64,
    treatment_share: f64,
) -> Option<SampleSize> {
    if !(sd.is_finite() && sd > 0.0) {
        return None;
    }
    sample_size(absolute_mde.abs() / sd, alpha, power, treatment_share)
}

/// Users needed to detect a relative change `relative_mde` (0.05 = +5 %) in a
/// conversion rate `baseline`, by Cohen's arcsine effect size (module docs).
/// `None` when `baseline ∉ (0, 1)`, the target rate `baseline·(1 + relative_mde)` is
/// not in `(0, 1)`, `relative_mde == 0`, or as for [`sample_size_means`].
///
/// ```
/// use splitscope_engine::infer::power::sample_size_proportions;
/// // h = proportion_effectsize(0.11, 0.10)
/// // NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8, ratio=1)
/// //   -> 14744.104836925611 per arm
/// let n = sample_size_proportions(0.10, 0.10, 0.05, 0.8, 0.5).unwrap();
/// assert_eq!((n.control, n.treatment, n.total), (14_745, 14_745, 29_490));
/// ```
pub fn sample_size_proportions(
    baseline: f64,
    relative_mde: f64,
    alpha: f64,
    power: f64,
    treatment_share: f64,
) -> Option<SampleSize> {
    let target = baseline * (1.0 + relative_mde);
    let valid = baseline > 0.0 && baseline < 1.0 && target > 0.0 && target < 1.0;
    if !valid {
        return None;
    }
    let h = 2.0 * libm::asin(target.sqrt()) - 2.0 * libm::asin(baseline.sqrt());
    sample_size(h.abs(), alpha, power, treatment_share)
}

/// Smallest absolute change in a mean (per-user standard deviation `sd`) detectable
/// with `n_total` users at level `alpha` and the given `power` (positive). `None`
/// for `n_total == 0` or invalid arguments as in [`sample_size_means`].
///
/// ```
/// use splitscope_engine::infer::power::{mde_means, sample_size_means};
/// let mde = mde_means(10.0, 3140, 0.05, 0.8, 0.5).unwrap();
/// assert!(mde > 0.99 && mde < 1.0); // 3140 users were enough for an MDE of 1.0
/// ```
pub fn mde_means(
    sd: f64,
    n_total: u64,
    alpha: f64,
    power: f64,
    treatment_share: f64,
) -> Option<f64> {
    if !(sd.is_finite() && sd > 0.0) {
        return None;
    }
    let mde = mde_standardised(n_total, alpha, power, treatment_share)? * sd;
    mde.is_finite().then_some(mde)
}

/// Smallest relative increase of a conversion rate `baseline` detectable with
/// `n_total` users (0.05 = +5 %), inverting Cohen's `h`:
/// `p₂ = sin²(asin(√p₁) + h/2)`. `None` when even a rate of 100 % would not be
/// detectable, `baseline ∉ (0, 1)`, or as in [`mde_means`].
///
/// ```
/// use splitscope_engine::infer::power::{mde_proportions, sample_size_proportions};
/// let n = sample_size_proportions(0.10, 0.10, 0.05, 0.8, 0.5).unwrap();
/// let mde = mde_proportions(0.10, n.total, 0.05, 0.8, 0.5).unwrap();
/// assert!(mde <= 0.10 && mde > 0.099);
/// ```
pub fn mde_proportions(
    baseline: f64,
    n_total: u64,
    alpha: f64,
    power: f64,
    treatment_share: f64,
) -> Option<f64> {
    if !(baseline > 0.0 && baseline < 1.0) {
        return None;
    }
    let h = mde_standardised(n_total, alpha, power, treatment_share)?;
    let angle = libm::asin(baseline.sqrt()) + h / 2.0;
    if angle >= core::f64::consts::FRAC_PI_2 {
        return None;
    }
    let root = libm::sin(angle);
    let relative = root * root / baseline - 1.0;
    (relative.is_finite() && relative > 0.0).then_some(relative)
}

/// Whole days needed to enrol `n_total` users at `daily_users` a day
/// (`ceil(n_total / daily_users)`); `None` unless `daily_users` is positive and finite.
///
/// ```
/// use splitscope_engine::infer::power::duration_days;
/// assert_eq!(duration_days(3140, 500.0), Some(7));
/// assert_eq!(duration_days(3000, 500.0), Some(6));
/// assert_eq!(duration_days(10, 0.0), None);
/// ```
pub fn duration_days(n_total: u64, daily_users: f64) -> Option<u64> {
    if !(daily_users.is_finite() && daily_users > 0.0) {
        return None;
    }
    let days = (n_total as f64 / daily_users).ceil();
    (days < 9.0e15).then_some(days as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noncentrality_reaches_the_power() {
        for (alpha, power) in [(0.05, 0.8), (0.01, 0.9), (0.1, 0.5), (0.5, 0.55)] {
            let l = noncentrality(alpha, power).unwrap();
            let z = normal::isf(alpha / 2.0).unwrap();
            let got = normal::sf(z - l) + normal::cdf(-z - l);
            assert!((got - power).abs() < 1e-14, "{alpha} {power}: {got}");
        }
        assert!(noncentrality(0.05, 0.05).is_none());
        assert!(noncentrality(0.05, 1.0).is_none());
    }

    #[test]
    fn invalid_inputs_are_none() {
        assert!(sample_size_means(0.0, 1.0, 0.05, 0.8, 0.5).is_none());
        assert!(sample_size_means(1.0, 0.0, 0.05, 0.8, 0.5).is_none());
        assert!(sample_size_means(1.0, 1.0, 0.05, 0.8, 1.0).is_none());
        assert!(sample_size_proportions(0.6, 1.0, 0.05, 0.8, 0.5).is_none());
        assert!(sample_size_proportions(0.0, 0.1, 0.05, 0.8, 0.5).is_none());
        assert!(mde_proportions(0.5, 10, 0.05, 0.8, 0.5).is_none());
        assert!(mde_means(1.0, 0, 0.05, 0.8, 0.5).is_none());
        // 1e-9 of a standard deviation needs more users than a u64 can count sensibly.
        assert!(sample_size_means(1.0, 1e-9, 0.05, 0.8, 0.5).is_none());
    }

    #[test]
    fn mde_inverts_sample_size() {
        let n = sample_size_means(3.0, 0.25, 0.05, 0.9, 0.3).unwrap();
        let exact = n.total_exact;
        let d = mde_standardised(exact.ceil() as u64, 0.05, 0.9, 0.3).unwrap();
        assert!(d * 3.0 <= 0.25 && d * 3.0 > 0.2499);
        assert!(n.treatment as f64 >= 0.3 * exact && n.control as f64 >= 0.7 * exact);
    }
}
