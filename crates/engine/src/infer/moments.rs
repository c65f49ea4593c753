//! Sufficient statistics of per-user values: what every closed-form test needs.
//!
//! Kept as count, mean and sum of squared deviations (Welford / Chan), which stay
//! accurate where the textbook `sum_sq - n * mean^2` loses digits to cancellation.

use serde::{Deserialize, Serialize};

/// Count, mean and centred second moment of one sample.
///
/// ```
/// use splitscope_engine::infer::Moments;
/// let m = Moments::from_values(&[1.0, 2.0, 3.0, 4.0]);
/// assert_eq!(m.n, 4);
/// assert_eq!(m.mean, 2.5);
/// assert!((m.variance() - 5.0 / 3.0).abs() < 1e-15);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    /// Number of values.
    pub n: u64,
    /// Arithmetic mean (0 when `n == 0`).
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
}

impl Moments {
    /// Moments of a slice, in two passes for accuracy.
    pub fn from_values(values: &[f64]) -> Self {
        let n = values.len() as u64;
        if n == 0 {
            return Self::default();
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let m2 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        Self { n, mean, m2 }
    }

    /// Moments from warehouse-style sums: count, sum and sum of squares.
    pub fn from_sums(n: u64, sum: f64, sum_sq: f64) -> Self {
        if n == 0 {
            return Self::default();
        }
        let mean = sum / n as f64;
        Self {
            n,
            mean,
            m2: (sum_sq - sum * mean).max(0.0),
        }
    }

    /// Adds one value (Welford's update).
    pub fn push(&mut self, value: f64) {
        self.n += 1;
        let delta = value - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (value - self.mean);
    }

    /// Sample variance with `ddof = 1` (NaN below two values), as numpy's `var(ddof=1)`.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }

    /// Sum of the values.
    pub fn sum(&self) -> f64 {
        self.mean * self.n as f64
    }
}

/// Joint moments of two aligned samples (a metric `y` and a covariate `x`, or a
/// ratio's numerator `y` and denominator `x`).
///
/// ```
/// use splitscope_engine::infer::CoMoments;
/// let c = CoMoments::from_values(&[1.0, 2.0, 3.0], &[2.0, 4.0, 7.0]);
/// assert!((c.covariance() - 2.5).abs() < 1e-12);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CoMoments {
    /// Moments of `y`.
    pub y: Moments,
    /// Moments of `x`.
    pub x: Moments,
    /// Sum of cross-deviations `Σ (y − ȳ)(x − x̄)`.
    pub cxy: f64,
}

impl CoMoments {
    /// Joint moments of two slices of equal length (the shorter length is used otherwise).
    pub fn from_values(y: &[f64], x: &[f64]) -> Self {
        let len = y.len().min(x.len());
        let (y, x) = (
            y.get(..len).unwrap_or_default(),
            x.get(..len).unwrap_or_default(),
        );
        let my = Moments::from_values(y);
        let mx = Moments::from_values(x);
        let cxy = y
            .iter()
            .zip(x)
            .map(|(a, b)| (a - my.mean) * (b - mx.mean))
            .sum();
        Self { y: my, x: mx, cxy }
    }

    /// Joint moments from warehouse-style sums.
    pub fn from_sums(
        n: u64,
        (sum_y, sum_y2): (f64, f64),
        (sum_x, sum_x2): (f64, f64),
        sum_xy: f64,
    ) -> Self {
        let y = Moments::from_sums(n, sum_y, sum_y2);
        let x = Moments::from_sums(n, sum_x, sum_x2);
        let cxy = if n == 0 { 0.0 } else { sum_xy - sum_y * x.mean };
        Self { y, x, cxy }
    }

    /// Sample covariance with `ddof = 1`, as numpy's `cov`.
    pub fn covariance(&self) -> f64 {
        if self.y.n < 2 {
            f64::NAN
        } else {
            self.cxy / (self.y.n - 1) as f64
        }
    }

    /// Pools two groups into one (Chan et al.'s parallel update).
    pub fn merge(&self, other: &Self) -> Self {
        let (na, nb) = (self.y.n as f64, other.y.n as f64);
        let n = na + nb;
        if n == 0.0 {
            return Self::default();
        }
        let dy = other.y.mean - self.y.mean;
        let dx = other.x.mean - self.x.mean;
        let merge_one = |a: &Moments, b: &Moments, d: f64| Moments {
            n: a.n + b.n,
            mean: a.mean + d * nb / n,
            m2: a.m2 + b.m2 + d * d * na * nb / n,
        };
        Self {
            y: merge_one(&self.y, &other.y, dy),
            x: merge_one(&self.x, &other.x, dx),
            cxy: self.cxy + other.cxy + dy * dx * na * nb / n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_matches_two_pass() {
        let values = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let mut streamed = Moments::default();
        values.iter().for_each(|v| streamed.push(*v));
        let direct = Moments::from_values(&values);
        assert_eq!(streamed.n, direct.n);
        assert!((streamed.mean - direct.mean).abs() < 1e-12);
        assert!((streamed.m2 - direct.m2).abs() < 1e-12);
    }

    #[test]
    fn sums_match_values() {
        let values = [2.0, 7.0, 1.0, 8.0];
        let sum: f64 = values.iter().sum();
        let sum_sq: f64 = values.iter().map(|v| v * v).sum();
        let m = Moments::from_sums(4, sum, sum_sq);
        assert!((m.variance() - Moments::from_values(&values).variance()).abs() < 1e-12);
    }

    #[test]
    fn merge_equals_pooled() {
        let (y1, x1) = ([1.0, 2.0, 5.0], [0.5, 1.0, 3.0]);
        let (y2, x2) = ([7.0, 3.0], [4.0, 2.5]);
        let merged = CoMoments::from_values(&y1, &x1).merge(&CoMoments::from_values(&y2, &x2));
        let all = CoMoments::from_values(&[1.0, 2.0, 5.0, 7.0, 3.0], &[0.5, 1.0, 3.0, 4.0, 2.5]);
        assert!((merged.cxy - all.cxy).abs() < 1e-12);
        assert!((merged.x.m2 - all.x.m2).abs() < 1e-12);
        assert!((merged.y.mean - all.y.mean).abs() < 1e-12);
    }
}
