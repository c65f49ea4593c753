//! The distributions the generator draws from, and small numeric helpers.
//!
//! Every transcendental comes from the pure-Rust `libm` crate and every sampler
//! is written here rather than taken from `rand_distr` or `statrs`: those call
//! `num-traits`, which switches to the platform's maths library as soon as any
//! crate in the build enables its `std` feature (the CLI's chart dependency
//! does). With `libm` and IEEE arithmetic only, the same seed writes the same
//! bytes on every platform and in every build.

use rand::{Rng, RngExt};

/// `√(2π)`.
const SQRT_2PI: f64 = 2.506_628_274_631_000_5;

/// A uniform draw in the open interval `(0, 1)` (53 random bits, centred).
pub(super) fn open_uniform<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// A standard normal draw, by inversion of an open uniform.
pub(super) fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    acklam(open_uniform(rng))
}

/// `Φ⁻¹(p)` for the standard normal, to a few ulps: Acklam's approximation
/// polished by one Halley step on `Φ`. `±∞` at 0 and 1, NaN outside.
pub(super) fn normal_quantile(p: f64) -> f64 {
    let x = acklam(p);
    if !x.is_finite() {
        return x;
    }
    let e = 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2) - p;
    let u = e * SQRT_2PI * libm::exp(0.5 * x * x);
    x - u / (1.0 + 0.5 * x * u)
}

/// P. J. Acklam's rational approximation of `Φ⁻¹(p)` (relative error below
/// 1.2e-9), enough for sampling.
#[allow(clippy::excessive_precision)]
fn acklam(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383577518672690e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-03,
        3.224671290700398e-01,
        2.445134137142996e+00,
        3.754408661907416e+00,
    ];
    const LOW: f64 = 0.02425;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        f64::NAN
    } else if p == 0.0 {
        f64::NEG_INFINITY
    } else if p == 1.0 {
        f64::INFINITY
    } else if p < LOW {
        tail((-2.0 * libm::log(p)).sqrt())
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * libm::log(1.0 - p)).sqrt())
    }
}

/// A Poisson distribution: inversion by sequential search for small means,
/// W. Hörmann's PTRS (transformed rejection with squeeze, 1993) for large ones.
#[derive(Clone, Copy, Debug)]
pub(super) enum Poisson {
    /// Mean below 10: `e^{−λ}` and `λ`.
    Inversion { exp_neg: f64, lambda: f64 },
    /// Mean of 10 or more: PTRS's constants.
    Ptrs {
        lambda: f64,
        log_lambda: f64,
        a: f64,
        b: f64,
        log_inv_alpha: f64,
        vr: f64,
    },
}

impl Poisson {
    fn new(lambda: f64) -> Self {
        if lambda < 10.0 {
            return Self::Inversion {
                exp_neg: libm::exp(-lambda),
                lambda,
            };
        }
        let b = 0.931 + 2.53 * lambda.sqrt();
        Self::Ptrs {
            lambda,
            log_lambda: libm::log(lambda),
            a: -0.059 + 0.02483 * b,
            b,
            log_inv_alpha: libm::log(1.1239 + 1.1328 / (b - 3.4)),
            vr: 0.9277 - 3.6224 / (b - 2.0),
        }
    }

    /// One draw.
    pub(super) fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        match *self {
            Self::Inversion { exp_neg, lambda } => {
                let u: f64 = rng.random();
                let (mut k, mut p) = (0u64, exp_neg);
                let mut cdf = p;
                // The cap only guards against rounding leaving `cdf` below `u`.
                while u >= cdf && k < 1000 {
                    k += 1;
                    p *= lambda / k as f64;
                    cdf += p;
                }
                k
            }
            Self::Ptrs {
                lambda,
                log_lambda,
                a,
                b,
                log_inv_alpha,
                vr,
            } => loop {
                let u = rng.random::<f64>() - 0.5;
                let v: f64 = rng.random();
                let us = 0.5 - u.abs();
                let k = ((2.0 * a / us + b) * u + lambda + 0.43).floor();
                if us >= 0.07 && v <= vr {
                    return k as u64;
                }
                if k < 0.0 || (us < 0.013 && v > us) {
                    continue;
                }
                let lhs = libm::log(v) + log_inv_alpha - libm::log(a / (us * us) + b);
                if lhs <= -lambda + k * log_lambda - libm::lgamma(k + 1.0) {
                    return k as u64;
                }
            },
        }
    }
}

/// A Poisson distribution of mean `mean`, or `None` (always 0) when the mean is
/// not a positive finite number.
pub(super) fn poisson(mean: f64) -> Option<Poisson> {
    (mean > 0.0 && mean.is_finite()).then(|| Poisson::new(mean))
}

/// A draw from `dist` (0 for `None`).
pub(super) fn sample_count<R: Rng + ?Sized>(dist: Option<&Poisson>, rng: &mut R) -> u64 {
    dist.map_or(0, |d| d.sample(rng))
}

/// The cumulative, normalised weights (the last is 1).
pub(super) fn cdf(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    let mut out: Vec<f64> = weights
        .map(|w| {
            acc += w;
            acc
        })
        .collect();
    for x in &mut out {
        *x /= acc;
    }
    out
}

/// The index picked by a uniform `u` in `[0, 1)` under the cumulative weights.
pub(super) fn pick(cdf: &[f64], u: f64) -> usize {
    cdf.iter()
        .position(|&c| u < c)
        .unwrap_or(cdf.len().saturating_sub(1))
}

/// Greatest common divisor.
pub(super) fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
