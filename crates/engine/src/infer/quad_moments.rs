//! Joint moments of four aligned per-user quantities: what CUPED for a ratio metric
//! needs (post-period numerator and denominator, pre-period numerator and
//! denominator). Kept, like [`CoMoments`], as count, means and centred sums of
//! cross-products, mergeable with Chan et al.'s parallel update.

use serde::{Deserialize, Serialize};

use super::moments::{CoMoments, Moments};

/// Count, means and centred cross-product sums of four aligned samples, in the
/// order `[m, d, x, e]`: post numerator, post denominator, pre numerator, pre
/// denominator (see [`cuped_ratio`](super::cuped_ratio)).
///
/// ```
/// use splitscope_engine::infer::QuadMoments;
/// let q = QuadMoments::from_values(
///     &[2.0, 0.0, 5.0, 1.0],
///     &[3.0, 1.0, 4.0, 2.0],
///     &[1.0, 1.0, 4.0, 0.0],
///     &[2.0, 1.0, 3.0, 2.0],
/// );
/// assert_eq!(q.n, 4);
/// assert_eq!(q.mean, [2.0, 2.5, 1.5, 2.0]);
/// // Per-unit sample covariance (n − 1) of the post numerator and denominator.
/// assert!((q.covariance(0, 1) - 8.0 / 3.0).abs() < 1e-12);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuadMoments {
    /// Number of users.
    pub n: u64,
    /// Means of `[m, d, x, e]` (0 when `n == 0`).
    pub mean: [f64; 4],
    /// `cross[i][j] = Σ (v_i − v̄_i)(v_j − v̄_j)`; symmetric.
    pub cross: [[f64; 4]; 4],
}

impl QuadMoments {
    /// Joint moments of four slices, in two passes for accuracy; the shortest
    /// length is used when they differ.
    pub fn from_values(m: &[f64], d: &[f64], x: &[f64], e: &[f64]) -> Self {
        let len = m.len().min(d.len()).min(x.len()).min(e.len());
        if len == 0 {
            return Self::default();
        }
        let cols = [m, d, x, e].map(|v| v.get(..len).unwrap_or_default());
        let mean = cols.map(|v| v.iter().sum::<f64>() / len as f64);
        let mut cross = [[0.0; 4]; 4];
        for (row, (ci, mi)) in cross.iter_mut().zip(cols.iter().zip(mean)) {
            for (cell, (cj, mj)) in row.iter_mut().zip(cols.iter().zip(mean)) {
                *cell = ci.iter().zip(*cj).map(|(a, b)| (a - mi) * (b - mj)).sum();
            }
        }
        Self {
            n: len as u64,
            mean,
            cross,
        }
    }

    /// Joint moments from warehouse-style sums: `sums[i] = Σ v_i` and
    /// `products[i][j] = Σ v_i·v_j` (squares on the diagonal; read as symmetric,
    /// the upper triangle is used).
    pub fn from_sums(n: u64, sums: [f64; 4], products: [[f64; 4]; 4]) -> Self {
        if n == 0 {
            return Self::default();
        }
        let mean = sums.map(|s| s / n as f64);
        let mut cross = [[0.0; 4]; 4];
        for (i, (row, si)) in cross.iter_mut().zip(sums).enumerate() {
            for (j, (cell, mj)) in row.iter_mut().zip(mean).enumerate() {
                let (lo, hi) = (i.min(j), i.max(j));
                let p = products
                    .get(lo)
                    .and_then(|r| r.get(hi))
                    .copied()
                    .unwrap_or(0.0);
                let c = p - si * mj;
                // A variance is never negative; rounding can make one so.
                *cell = if i == j { c.max(0.0) } else { c };
            }
        }
        Self { n, mean, cross }
    }

    /// Pools two groups into one (Chan et al.'s parallel update).
    pub fn merge(&self, other: &Self) -> Self {
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        if n == 0.0 {
            return Self::default();
        }
        let mut delta = other.mean;
        delta.iter_mut().zip(self.mean).for_each(|(d, a)| *d -= a);
        let mut mean = self.mean;
        mean.iter_mut()
            .zip(delta)
            .for_each(|(m, d)| *m += d * nb / n);
        let mut cross = self.cross;
        for ((row, other_row), di) in cross.iter_mut().zip(&other.cross).zip(delta) {
            for ((cell, o), dj) in row.iter_mut().zip(other_row).zip(delta) {
                *cell += o + di * dj * na * nb / n;
            }
        }
        Self {
            n: self.n + other.n,
            mean,
            cross,
        }
    }

    /// Per-unit sample covariance (`n − 1` denominator) of variables `i` and `j`
    /// (0 m, 1 d, 2 x, 3 e); NaN below two users or for an index above 3.
    pub fn covariance(&self, i: usize, j: usize) -> f64 {
        match self.cross.get(i).and_then(|r| r.get(j)) {
            Some(c) if self.n >= 2 => c / (self.n - 1) as f64,
            _ => f64::NAN,
        }
    }

    /// `aᵀ Λ b` with `Λ` the per-unit sample covariance matrix (NaN below two users).
    pub fn quadratic(&self, a: [f64; 4], b: [f64; 4]) -> f64 {
        if self.n < 2 {
            return f64::NAN;
        }
        let sum: f64 = a
            .iter()
            .zip(&self.cross)
            .map(|(ai, row)| ai * row.iter().zip(b).map(|(c, bj)| c * bj).sum::<f64>())
            .sum();
        sum / (self.n - 1) as f64
    }

    /// The post-period numerator (`y`) and denominator (`x`) alone, as the plain
    /// delta-method ratio test takes them.
    pub fn post(&self) -> CoMoments {
        self.pair(0, 1)
    }

    /// The pre-period numerator (`y`) and denominator (`x`) alone.
    pub fn pre(&self) -> CoMoments {
        self.pair(2, 3)
    }

    fn pair(&self, i: usize, j: usize) -> CoMoments {
        let one = |k: usize| Moments {
            n: self.n,
            mean: self.mean.get(k).copied().unwrap_or(0.0),
            m2: self
                .cross
                .get(k)
                .and_then(|r| r.get(k))
                .copied()
                .unwrap_or(0.0),
        };
        CoMoments {
            y: one(i),
            x: one(j),
            cxy: self
                .cross
                .get(i)
                .and_then(|r| r.get(j))
                .copied()
                .unwrap_or(0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: [f64; 7] = [2.0, 0.0, 5.0, 1.0, 3.5, 4.0, 0.5];
    const D: [f64; 7] = [3.0, 1.0, 4.0, 2.0, 3.0, 5.0, 1.0];
    const X: [f64; 7] = [1.0, 1.0, 4.0, 0.0, 2.0, 3.0, 1.5];
    const E: [f64; 7] = [2.0, 1.0, 3.0, 2.0, 2.5, 4.0, 1.0];

    fn close(a: &QuadMoments, b: &QuadMoments) {
        assert_eq!(a.n, b.n);
        for (x, y) in a.mean.iter().zip(b.mean) {
            assert!((x - y).abs() < 1e-12, "{x} vs {y}");
        }
        for (ra, rb) in a.cross.iter().zip(b.cross) {
            for (x, y) in ra.iter().zip(rb) {
                assert!((x - y).abs() < 1e-10, "{x} vs {y}");
            }
        }
    }

    #[test]
    fn merge_equals_pooled() {
        let a = QuadMoments::from_values(&M[..3], &D[..3], &X[..3], &E[..3]);
        let b = QuadMoments::from_values(&M[3..], &D[3..], &X[3..], &E[3..]);
        close(&a.merge(&b), &QuadMoments::from_values(&M, &D, &X, &E));
        close(&QuadMoments::default().merge(&a), &a);
    }

    #[test]
    fn sums_match_values() {
        let cols = [&M, &D, &X, &E];
        let sums = cols.map(|c| c.iter().sum::<f64>());
        let products =
            cols.map(|a| cols.map(|b| a.iter().zip(b.iter()).map(|(p, q)| p * q).sum::<f64>()));
        close(
            &QuadMoments::from_sums(7, sums, products),
            &QuadMoments::from_values(&M, &D, &X, &E),
        );
    }

    #[test]
    fn pairs_agree_with_comoments() {
        let q = QuadMoments::from_values(&M, &D, &X, &E);
        let (post, pre) = (
            CoMoments::from_values(&M, &D),
            CoMoments::from_values(&X, &E),
        );
        assert!((q.post().cxy - post.cxy).abs() < 1e-12);
        assert!((q.post().x.m2 - post.x.m2).abs() < 1e-12);
        assert!((q.pre().covariance() - pre.covariance()).abs() < 1e-12);
        assert!(q.covariance(4, 0).is_nan());
        let unit = [1.0, 0.0, 0.0, 0.0];
        assert!((q.quadratic(unit, unit) - post.y.variance()).abs() < 1e-12);
    }
}
