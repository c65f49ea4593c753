//! Standard normal helpers shared by the sequential, Bayesian, Mann–Whitney and
//! power modules (crate-private).
//!
//! Every transcendental comes from the pure-Rust `libm` crate (directly or through
//! [`super::special`]), so native and wasm32 builds give bit-identical numbers.
//! Quantiles start from [`super::special::erfc_inv`] and are polished with Newton
//! steps on the survival function, which brings them to the last few ulps of
//! `scipy.stats.norm.isf`.

/// `1 / sqrt(2π)`.
const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// Density `φ(x)`.
pub(crate) fn pdf(x: f64) -> f64 {
    FRAC_1_SQRT_2PI * libm::exp(-0.5 * x * x)
}

/// Lower tail `Φ(x) = erfc(−x/√2)/2`, accurate in both tails.
pub(crate) fn cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / core::f64::consts::SQRT_2)
}

/// Upper tail `1 − Φ(x)`, computed directly (no cancellation for large `x`).
pub(crate) fn sf(x: f64) -> f64 {
    0.5 * libm::erfc(x / core::f64::consts::SQRT_2)
}

/// Upper quantile `z` with `P(Z > z) = tail`, for `0 < tail < 1`
/// (`scipy.stats.norm.isf(tail)`); `None` outside that range.
pub(crate) fn isf(tail: f64) -> Option<f64> {
    if !(tail > 0.0 && tail < 1.0) {
        return None;
    }
    let mut z = core::f64::consts::SQRT_2 * super::special::erfc_inv(2.0 * tail);
    for _ in 0..3 {
        let density = pdf(z);
        if density.is_nan() || density <= 0.0 {
            break;
        }
        let step = (sf(z) - tail) / density;
        if !step.is_finite() {
            break;
        }
        z += step;
        if step.abs() <= 1e-16 * z.abs() {
            break;
        }
    }
    z.is_finite().then_some(z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // scipy.stats.norm.isf(0.025) -> 1.959963984540054
        let z = isf(0.025).unwrap();
        assert!((z - 1.959963984540054).abs() < 2e-15);
        // scipy.stats.norm.isf(0.2) -> 0.8416212335729143
        assert!((isf(0.2).unwrap() - 0.8416212335729143).abs() < 2e-15);
        // scipy.stats.norm.isf(0.9) -> -1.2815515655446004
        assert!((isf(0.9).unwrap() + 1.2815515655446004).abs() < 2e-15);
        assert!((cdf(0.0) - 0.5).abs() < 1e-16);
        assert!((sf(1.959963984540054) - 0.025).abs() < 1e-16);
        assert!(isf(0.0).is_none() && isf(1.0).is_none() && isf(f64::NAN).is_none());
    }
}
