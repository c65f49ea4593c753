//! Always-valid (sequential) confidence intervals: the asymptotic confidence
//! sequence of Waudby-Smith, Arnold, Wu, Howard & Ramdas (2023, "Time-uniform
//! central limit theory and asymptotic confidence sequences", arXiv:2103.06476,
//! eq. 9 with the normal-mixture boundary), with the mixture parameter `ρ` chosen
//! so the sequence is tightest at a planned total sample size (their eq. 161).
//!
//! # Formula
//!
//! For an estimate `Δ̂` (difference of means, or relative lift) with variance
//! `V = Var(Δ̂)` after `N = n_T + n_C` users, and with `s² = V·N` the
//! per-observation variance:
//!
//! ```text
//! ρ          = sqrt( (−2 ln α + ln(1 − 2 ln α)) / S )          S = tuning_n
//! halfwidth  = sqrt(s²) · sqrt( 2(Nρ² + 1) / (Nρ)² · ln( sqrt(Nρ² + 1) / α ) )
//! interval   = Δ̂ ± halfwidth
//! p-value    = min(1, sqrt(Nρ² + 1) · exp(−ρ²·N·z² / (2(Nρ² + 1))))   z² = Δ̂²/V
//! ```
//!
//! The always-valid p-value is the reciprocal of the mixture e-value (eq. 155 of
//! the paper, reparameterised), computed in logs so it cannot overflow:
//! `log e = ρ²·N·z² / (2(Nρ² + 1)) − ln(sqrt(Nρ² + 1))` and `p = min(1, exp(−log e))`;
//! `p < α` exactly when `0` lies outside the interval.
//!
//! # Where this was confirmed
//!
//! GrowthBook documents this method in "Sequential Testing"
//! (docs.growthbook.io/statistics/sequential, source
//! `docs/docs/statistics/sequential.mdx` in growthbook/growthbook): asymptotic
//! confidence sequences (Howard et al. / Waudby-Smith et al.), `N` the sum of both
//! variations' sizes, the tuning parameter `S` an "estimated sample size" where the
//! interval is tightest (default 5 000), `σ̂²` the estimate's variance. The exact
//! half-width, `ρ` and p-value above were read from GrowthBook's code:
//! `sequentialRho`, `sequentialIntervalHalfwidth` and `SequentialTwoSidedTTest.pValue`
//! in its TypeScript port of `gbstats/frequentist/tests.py` (comments citing eq. 9,
//! 155 and 161 of arXiv:2103.06476v7), and the gbstats unit tests
//! (`TestSequentialTTest` in `packages/stats/tests/frequentist/test_tests.py`) whose
//! expected values `tests/stats_beyond.rs` reproduces. All read via the search tool.
//!
//! The relative interval applies the same boundary to the delta-method lift
//! variance of [`welch`](super::welch) (GrowthBook does the same).

use serde::{Deserialize, Serialize};

use super::effect::EffectEstimate;
use super::moments::Moments;
use super::tdist::valid_alpha;

/// Always-valid `1 − alpha` confidence sequence for treatment − control, from
/// [`confidence_sequence`]. Every field is finite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sequential {
    /// Treatment mean minus control mean.
    pub diff: f64,
    /// Always-valid interval for the difference `[lower, upper]`.
    pub ci: [f64; 2],
    /// Relative lift `mean_T / mean_C − 1` (`None` when the control mean is 0 or
    /// the lift variance is not positive).
    pub relative_lift: Option<f64>,
    /// Always-valid interval for the lift, from the delta-method variance.
    pub relative_ci: Option<[f64; 2]>,
    /// Total sample size `S` at which the sequence was tuned to be tightest.
    pub tuning_n: f64,
}

/// Always-valid p-values from [`sequential_p_value`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SequentialPValue {
    /// Always-valid p-value for `diff = 0`, in `[0, 1]`.
    pub p_value: f64,
    /// Always-valid p-value for `lift = 0` (`None` when the lift is undefined).
    pub relative_p_value: Option<f64>,
}

/// Mixture parameter `ρ` tightest at `tuning_n` (two-sided, eq. 161).
fn rho(alpha: f64, tuning_n: f64) -> Option<f64> {
    let usable = valid_alpha(alpha) && tuning_n.is_finite() && tuning_n > 0.0;
    if !usable {
        return None;
    }
    let log_alpha = libm::log(alpha);
    let r = ((-2.0 * log_alpha + libm::log(-2.0 * log_alpha + 1.0)) / tuning_n).sqrt();
    (r.is_finite() && r > 0.0).then_some(r)
}

/// Half-width of the two-sided sequence for an estimate with variance `var` after
/// `n` users in total.
fn halfwidth(var: f64, n: f64, alpha: f64, rho: f64) -> Option<f64> {
    let s2 = var * n;
    let nr2p1 = n * rho * rho + 1.0;
    let nr = n * rho;
    let h = s2.sqrt() * (2.0 * nr2p1 * libm::log(nr2p1.sqrt() / alpha) / (nr * nr)).sqrt();
    h.is_finite().then_some(h)
}

/// Always-valid p-value for `estimate = 0`.
fn p_value(estimate: f64, var: f64, n: f64, rho: f64) -> Option<f64> {
    let z2 = estimate * estimate / var;
    let nr2p1 = n * rho * rho + 1.0;
    let log_e = rho * rho * n * z2 / (2.0 * nr2p1) - libm::log(nr2p1.sqrt());
    let p = libm::exp(-log_e).min(1.0);
    p.is_finite().then_some(p)
}

/// Always-valid `1 − alpha` confidence sequence for `treatment.mean −
/// control.mean` (and for the relative lift), tuned to be tightest at `tuning_n`
/// total users. See the module docs for the formula and its sources.
///
/// Unlike [`welch`](super::welch)'s fixed-horizon interval, this one may be looked
/// at after every day (or every user) and acted on as soon as it excludes 0: the
/// chance that it *ever* misses the true difference stays ≤ `alpha`
/// (asymptotically). It is wider than the fixed-horizon interval at every `N`,
/// least so near `N = tuning_n`.
///
/// Returns `None` when an arm has fewer than two values, the variance of the
/// difference is not positive, moments are non-finite, `alpha ∉ (0, 1)`, or
/// `tuning_n` is not a positive finite number.
///
/// ```
/// use splitscope_engine::infer::{confidence_sequence, welch, Moments};
/// let t = Moments::from_sums(3461, 2422.7, 134698.29);
/// let c = Moments::from_sums(3000, 1396.87, 52377.9767);
/// let cs = confidence_sequence(&t, &c, 0.05, 5000.0).unwrap();
/// let fixed = welch(&t, &c, 0.05).unwrap();
/// assert_eq!(cs.diff, fixed.diff);
/// assert!(cs.ci[0] < fixed.ci[0] && cs.ci[1] > fixed.ci[1]);
/// ```
pub fn confidence_sequence(
    treatment: &Moments,
    control: &Moments,
    alpha: f64,
    tuning_n: f64,
) -> Option<Sequential> {
    confidence_sequence_of(
        &EffectEstimate::of_means(treatment, control)?,
        alpha,
        tuning_n,
    )
}

/// [`confidence_sequence`] for any effect estimate with its variance — a
/// difference of ratios ([`EffectEstimate::of_ratios`]) as well as of means. `None`
/// for `alpha ∉ (0, 1)`, a `tuning_n` that is not a positive finite number, or a
/// non-finite interval.
///
/// ```
/// use splitscope_engine::infer::{confidence_sequence_of, welch_ratio, CoMoments, EffectEstimate};
/// let t = CoMoments::from_values(&[3.0, 1.0, 6.0, 2.0, 4.0], &[3.0, 1.0, 4.0, 2.0, 3.0]);
/// let c = CoMoments::from_values(&[2.0, 0.0, 5.0, 1.0, 2.0], &[3.0, 1.0, 4.0, 2.0, 3.0]);
/// let e = EffectEstimate::of_ratios(&t, &c).unwrap();
/// let cs = confidence_sequence_of(&e, 0.05, 100.0).unwrap();
/// let fixed = welch_ratio(&t, &c, 0.05).unwrap();
/// assert!(cs.ci[0] < fixed.ci[0] && cs.ci[1] > fixed.ci[1]);
/// ```
pub fn confidence_sequence_of(
    effect: &EffectEstimate,
    alpha: f64,
    tuning_n: f64,
) -> Option<Sequential> {
    let r = rho(alpha, tuning_n)?;
    let n = effect.n_total as f64;
    let diff = effect.diff;
    let h = halfwidth(effect.diff_variance, n, alpha, r)?;
    let ci = [diff - h, diff + h];
    if !(ci[0].is_finite() && ci[1].is_finite()) {
        return None;
    }
    let rel = effect.lift.and_then(|(lift, v)| {
        let h = halfwidth(v, n, alpha, r)?;
        let ci = [lift - h, lift + h];
        (ci[0].is_finite() && ci[1].is_finite()).then_some((lift, ci))
    });
    Some(Sequential {
        diff,
        ci,
        relative_lift: rel.map(|(lift, _)| lift),
        relative_ci: rel.map(|(_, ci)| ci),
        tuning_n,
    })
}

/// Always-valid p-values matching [`confidence_sequence`] with the same `alpha`
/// and `tuning_n` (the mixture `ρ` depends on both): `p_value < alpha` exactly
/// when the sequence excludes 0. Same `None` cases as [`confidence_sequence`].
///
/// ```
/// use splitscope_engine::infer::{confidence_sequence, sequential_p_value, Moments};
/// let t = Moments::from_sums(3461, 2422.0, 2422.0);
/// let c = Moments::from_sums(3000, 1396.0, 1396.0);
/// let p = sequential_p_value(&t, &c, 0.05, 5000.0).unwrap();
/// let cs = confidence_sequence(&t, &c, 0.05, 5000.0).unwrap();
/// assert!(p.p_value < 0.05 && cs.ci[0] > 0.0);
/// ```
pub fn sequential_p_value(
    treatment: &Moments,
    control: &Moments,
    alpha: f64,
    tuning_n: f64,
) -> Option<SequentialPValue> {
    let r = rho(alpha, tuning_n)?;
    let effect = EffectEstimate::of_means(treatment, control)?;
    let n = effect.n_total as f64;
    let p = p_value(effect.diff, effect.diff_variance, n, r)?;
    let relative_p_value = effect.lift.and_then(|(lift, v)| p_value(lift, v, n, r));
    Some(SequentialPValue {
        p_value: p,
        relative_p_value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arms() -> (Moments, Moments) {
        (
            Moments::from_values(&[1.0, 4.0, 2.0, 8.0, 5.0, 7.0]),
            Moments::from_values(&[2.0, 3.0, 1.0, 2.0, 4.0]),
        )
    }

    #[test]
    fn invalid_inputs_are_none() {
        let (t, c) = arms();
        for (alpha, s) in [(0.0, 100.0), (1.0, 100.0), (0.05, 0.0), (0.05, f64::NAN)] {
            assert!(confidence_sequence(&t, &c, alpha, s).is_none());
            assert!(sequential_p_value(&t, &c, alpha, s).is_none());
        }
        let one = Moments::from_values(&[1.0]);
        assert!(confidence_sequence(&one, &c, 0.05, 100.0).is_none());
        let flat = Moments::from_values(&[2.0, 2.0]);
        assert!(confidence_sequence(&flat, &flat, 0.05, 100.0).is_none());
    }

    #[test]
    fn p_value_agrees_with_interval() {
        let (t, c) = arms();
        for alpha in [0.01, 0.05, 0.1, 0.3, 0.6] {
            for s in [5.0, 11.0, 100.0, 1e5] {
                let cs = confidence_sequence(&t, &c, alpha, s).unwrap();
                let p = sequential_p_value(&t, &c, alpha, s).unwrap();
                let excludes = cs.ci[0] > 0.0 || cs.ci[1] < 0.0;
                assert_eq!(p.p_value < alpha, excludes, "alpha {alpha}, S {s}");
                let rel = cs.relative_ci.unwrap();
                let rel_excludes = rel[0] > 0.0 || rel[1] < 0.0;
                assert_eq!(p.relative_p_value.unwrap() < alpha, rel_excludes);
            }
        }
    }

    #[test]
    fn zero_control_mean_has_no_relative_fields() {
        let t = Moments::from_values(&[1.0, 2.0, 3.0]);
        let c = Moments::from_values(&[-1.0, 0.0, 1.0]);
        let cs = confidence_sequence(&t, &c, 0.05, 100.0).unwrap();
        assert!(cs.relative_lift.is_none() && cs.relative_ci.is_none());
        let json = serde_json::to_string(&cs).unwrap();
        assert_eq!(serde_json::from_str::<Sequential>(&json).unwrap(), cs);
    }

    #[test]
    fn huge_effect_gives_p_zero_not_nan() {
        let t = Moments::from_values(&[1000.0, 1000.1, 999.9]);
        let c = Moments::from_values(&[0.0, 0.1, -0.1]);
        let p = sequential_p_value(&t, &c, 0.05, 10.0).unwrap();
        assert!(p.p_value >= 0.0 && p.p_value < 1e-10);
    }
}
