//! Bayesian analysis of the relative lift: a Gaussian approximation of the lift's
//! likelihood combined with a normal prior, giving a normal posterior.
//!
//! This follows GrowthBook's Bayesian engine as documented in "Statistical
//! Details" (docs.growthbook.io/statistics/details, `docs/docs/statistics/details.mdx`
//! in growthbook/growthbook) and implemented in gbstats' `EffectBayesianABTest`
//! (`packages/stats/gbstats/bayesian/tests.py`), both read via the search tool:
//!
//! * data: lift `Δ̂ = μ̂_T/μ̂_C − 1` with delta-method variance
//!   `σ̂² = s_T²/(n_T μ̂_C²) + μ̂_T² s_C²/(n_C μ̂_C⁴)` (as [`welch`](super::welch));
//! * prior `N(μ₀, τ²)`; posterior precision `1/σ̂² + 1/τ²`, posterior mean
//!   `(Δ̂/σ̂² + μ₀/τ²) / precision` (a flat prior, `τ = ∞`, leaves the data alone);
//! * chance to win `1 − Φ_post(0)`; credible interval from the posterior quantiles;
//! * risk (`get_risk`): for keeping the control `P(L > 0)·E[L | L > 0] = E[max(0, L)]`,
//!   for shipping the variant `−P(L < 0)·E[L | L < 0] = E[max(0, −L)]`, in the closed
//!   forms `E[max(0, L)] = m·Φ(m/s) + s·φ(m/s)` and
//!   `E[max(0, −L)] = s·φ(m/s) − m·Φ(−m/s)` for `L ~ N(m, s²)`.
//!
//! "Beat" means *higher*: for a metric where lower is better (errors, latency) the
//! caller swaps `chance_to_beat_control` for `1 − chance_to_beat_control` and the
//! two expected losses.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::effect::EffectEstimate;
use super::moments::Moments;
use super::normal;
use super::tdist::valid_alpha;

/// Normal prior on the relative lift, `N(mean, sd²)`.
///
/// The default is weak: mean 0, sd 0.3 (GrowthBook's default proper prior — about
/// 95 % of lifts within ±60 %). [`Prior::flat`] has an infinite `sd`, meaning no
/// prior at all; it serialises as `"sd": null` (JSON has no infinity) and `null`
/// deserialises back to the flat prior.
///
/// ```
/// use splitscope_engine::infer::Prior;
/// assert_eq!(Prior::default(), Prior { mean: 0.0, sd: 0.3 });
/// assert!(Prior::flat().is_flat());
/// let json = serde_json::to_string(&Prior::flat()).unwrap();
/// assert_eq!(json, r#"{"mean":0.0,"sd":null}"#);
/// assert_eq!(serde_json::from_str::<Prior>(&json).unwrap(), Prior::flat());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prior {
    /// Prior mean of the lift (0.02 means +2 %).
    pub mean: f64,
    /// Prior standard deviation of the lift; `f64::INFINITY` for a flat prior.
    #[serde(serialize_with = "ser_sd", deserialize_with = "de_sd")]
    pub sd: f64,
}

fn ser_sd<S: Serializer>(sd: &f64, s: S) -> Result<S::Ok, S::Error> {
    if sd.is_finite() {
        s.serialize_some(sd)
    } else {
        s.serialize_none()
    }
}

fn de_sd<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
}

impl Default for Prior {
    fn default() -> Self {
        Self { mean: 0.0, sd: 0.3 }
    }
}

impl Prior {
    /// No prior: the posterior is the data's Gaussian approximation itself.
    pub fn flat() -> Self {
        Self {
            mean: 0.0,
            sd: f64::INFINITY,
        }
    }

    /// Whether this prior carries no information (`sd` is `+∞`).
    pub fn is_flat(&self) -> bool {
        self.sd == f64::INFINITY
    }
}

/// Posterior summary of the relative lift, from [`bayes_lift`]. Every field is finite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bayes {
    /// Posterior mean of the lift.
    pub posterior_mean: f64,
    /// Posterior standard deviation of the lift.
    pub posterior_sd: f64,
    /// Equal-tailed `1 − alpha` credible interval `[lower, upper]`.
    pub ci: [f64; 2],
    /// Posterior probability that the lift is above 0 (treatment higher).
    pub chance_to_beat_control: f64,
    /// Expected loss of shipping the variant, `E[max(0, −lift)]`, in lift units.
    pub expected_loss_variant: f64,
    /// Expected loss of keeping the control, `E[max(0, lift)]`, in lift units.
    pub expected_loss_control: f64,
}

/// Bayesian posterior of the relative lift `mean_T / mean_C − 1` under `prior`,
/// with an equal-tailed `1 − alpha` credible interval; see the module docs.
///
/// Returns `None` when the lift or its variance is undefined (an arm with fewer
/// than two values, control mean 0, zero variance), `alpha ∉ (0, 1)`, or the
/// prior is unusable (`sd` not positive, NaN, or a non-finite mean).
///
/// ```
/// use splitscope_engine::infer::{bayes_lift, Moments, Prior};
/// let t = Moments::from_sums(10_000, 1_100.0, 1_100.0); // 11.0 % conversion
/// let c = Moments::from_sums(10_000, 1_000.0, 1_000.0); // 10.0 %
/// let b = bayes_lift(&t, &c, &Prior::flat(), 0.05).unwrap();
/// assert!((b.posterior_mean - 0.1).abs() < 1e-12);
/// assert!(b.chance_to_beat_control > 0.98);
/// assert!(b.expected_loss_variant < b.expected_loss_control);
/// let weak = bayes_lift(&t, &c, &Prior::default(), 0.05).unwrap();
/// assert!(weak.posterior_mean < b.posterior_mean); // shrunk toward 0
/// ```
pub fn bayes_lift(
    treatment: &Moments,
    control: &Moments,
    prior: &Prior,
    alpha: f64,
) -> Option<Bayes> {
    bayes_lift_of(&EffectEstimate::of_means(treatment, control)?, prior, alpha)
}

/// [`bayes_lift`] for any effect estimate's lift and its variance — a ratio
/// metric's ([`EffectEstimate::of_ratios`]) as well as a mean's. `None` when the
/// estimate has no lift, for `alpha ∉ (0, 1)` or an unusable prior.
///
/// ```
/// use splitscope_engine::infer::{bayes_lift_of, CoMoments, EffectEstimate, Prior};
/// let t = CoMoments::from_values(&[3.0, 1.0, 6.0, 2.0, 4.0], &[3.0, 1.0, 4.0, 2.0, 3.0]);
/// let c = CoMoments::from_values(&[2.0, 0.0, 5.0, 1.0, 2.0], &[3.0, 1.0, 4.0, 2.0, 3.0]);
/// let e = EffectEstimate::of_ratios(&t, &c).unwrap();
/// let b = bayes_lift_of(&e, &Prior::flat(), 0.05).unwrap();
/// assert!((b.posterior_mean - (16.0 / 10.0 - 1.0)).abs() < 1e-12);
/// ```
pub fn bayes_lift_of(effect: &EffectEstimate, prior: &Prior, alpha: f64) -> Option<Bayes> {
    let usable_prior = prior.mean.is_finite() && prior.sd > 0.0;
    if !valid_alpha(alpha) || !usable_prior {
        return None;
    }
    let (lift, var) = effect.lift?;
    let (mean, sd) = if prior.is_flat() {
        (lift, var.sqrt())
    } else {
        let prior_var = prior.sd * prior.sd;
        let precision = 1.0 / var + 1.0 / prior_var;
        let mean = (lift / var + prior.mean / prior_var) / precision;
        (mean, (1.0 / precision).sqrt())
    };
    if !(mean.is_finite() && sd.is_finite() && sd > 0.0) {
        return None;
    }
    let z = normal::isf(alpha / 2.0)?;
    let ci = [mean - z * sd, mean + z * sd];
    let x = mean / sd;
    let density = normal::pdf(x);
    let loss_control = (mean * normal::cdf(x) + sd * density).max(0.0);
    let loss_variant = (sd * density - mean * normal::sf(x)).max(0.0);
    let result = Bayes {
        posterior_mean: mean,
        posterior_sd: sd,
        ci,
        chance_to_beat_control: normal::cdf(x),
        expected_loss_variant: loss_variant,
        expected_loss_control: loss_control,
    };
    let finite = [ci[0], ci[1], loss_variant, loss_control, x]
        .iter()
        .all(|v| v.is_finite());
    finite.then_some(result)
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
        assert!(bayes_lift(&t, &c, &Prior::default(), 0.0).is_none());
        let bad = [
            Prior { mean: 0.0, sd: 0.0 },
            Prior {
                mean: 0.0,
                sd: -1.0,
            },
            Prior {
                mean: 0.0,
                sd: f64::NAN,
            },
            Prior {
                mean: f64::NAN,
                sd: 1.0,
            },
        ];
        for prior in bad {
            assert!(bayes_lift(&t, &c, &prior, 0.05).is_none());
        }
        let zero = Moments::from_values(&[-1.0, 0.0, 1.0]);
        assert!(bayes_lift(&t, &zero, &Prior::default(), 0.05).is_none());
    }

    #[test]
    fn losses_identity_and_symmetry() {
        // E[max(0, L)] − E[max(0, −L)] = E[L] = posterior mean.
        let (t, c) = arms();
        for prior in [
            Prior::flat(),
            Prior::default(),
            Prior { mean: 0.5, sd: 0.1 },
        ] {
            let b = bayes_lift(&t, &c, &prior, 0.1).unwrap();
            let diff = b.expected_loss_control - b.expected_loss_variant;
            assert!((diff - b.posterior_mean).abs() < 1e-12);
            assert!((b.ci[0] + b.ci[1] - 2.0 * b.posterior_mean).abs() < 1e-12);
        }
        let swapped = bayes_lift(&c, &c, &Prior::flat(), 0.05).unwrap();
        assert_eq!(swapped.posterior_mean, 0.0);
        assert!((swapped.chance_to_beat_control - 0.5).abs() < 1e-15);
        assert_eq!(swapped.expected_loss_variant, swapped.expected_loss_control);
    }

    #[test]
    fn far_from_zero_stays_finite() {
        let t = Moments::from_values(&[1000.0, 1000.1, 999.9]);
        let c = Moments::from_values(&[1.0, 1.1, 0.9]);
        let b = bayes_lift(&t, &c, &Prior::flat(), 0.05).unwrap();
        assert_eq!(b.chance_to_beat_control, 1.0);
        assert!(b.expected_loss_variant >= 0.0 && b.expected_loss_variant < 1e-30);
        assert!((b.expected_loss_control - b.posterior_mean).abs() < 1e-9);
    }
}
