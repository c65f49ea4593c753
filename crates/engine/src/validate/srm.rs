//! Sample-ratio mismatch: Pearson's chi-square goodness-of-fit test of the
//! observed arm sizes against the planned traffic split.

use serde::{Deserialize, Serialize};

/// Result of [`chi_square`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SrmTest {
    /// Pearson's statistic `Σ (observed − expected)² / expected`.
    pub chi2: f64,
    /// Degrees of freedom: number of arms − 1.
    pub df: u32,
    /// Upper-tail probability of `chi2` under `χ²(df)`.
    pub p_value: f64,
    /// Expected count per arm: `share / Σ shares × Σ observed`.
    pub expected: Vec<f64>,
}

/// Chi-square test that `observed` arm sizes follow `expected_shares`.
///
/// Shares are normalised to sum to 1, so `[50.0, 50.0]` and `[0.5, 0.5]` are the
/// same plan. Equal to `scipy.stats.chisquare(observed, f_exp=expected)` where
/// `expected` is [`SrmTest::expected`].
///
/// Returns `None` when there are fewer than two arms, the slices differ in length,
/// no users were observed, or a share is not a finite positive number (a zero
/// share makes the statistic infinite).
///
/// ```
/// use splitscope_engine::validate::chi_square;
/// let t = chi_square(&[5_120, 4_880], &[0.5, 0.5]).unwrap();
/// assert_eq!(t.expected, vec![5000.0, 5000.0]);
/// assert!((t.chi2 - 5.76).abs() < 1e-12);
/// assert!(t.p_value < 0.05);
/// ```
pub fn chi_square(observed: &[u64], expected_shares: &[f64]) -> Option<SrmTest> {
    let k = observed.len();
    if k < 2 || expected_shares.len() != k {
        return None;
    }
    if !expected_shares.iter().all(|s| s.is_finite() && *s > 0.0) {
        return None;
    }
    let total: u64 = observed.iter().sum();
    if total == 0 {
        return None;
    }
    let share_sum: f64 = expected_shares.iter().sum();
    let expected: Vec<f64> = expected_shares
        .iter()
        .map(|s| s / share_sum * total as f64)
        .collect();
    let chi2: f64 = observed
        .iter()
        .zip(&expected)
        .map(|(o, e)| {
            let d = *o as f64 - e;
            d * d / e
        })
        .sum();
    let df = u32::try_from(k - 1).ok()?;
    // libm-only special function: identical bits on native and wasm32.
    let p_value = crate::infer::special::chi_square_sf(chi2, f64::from(df));
    (chi2.is_finite() && p_value.is_finite() && expected.iter().all(|e| e.is_finite())).then_some(
        SrmTest {
            chi2,
            df,
            p_value,
            expected,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_inputs_are_none() {
        assert!(chi_square(&[10], &[1.0]).is_none());
        assert!(chi_square(&[10, 10], &[1.0]).is_none());
        assert!(chi_square(&[0, 0], &[1.0, 1.0]).is_none());
        assert!(chi_square(&[10, 10], &[1.0, 0.0]).is_none());
        assert!(chi_square(&[10, 10], &[1.0, f64::NAN]).is_none());
        assert!(chi_square(&[10, 10], &[1.0, -1.0]).is_none());
    }

    #[test]
    fn perfect_split_has_p_one() {
        let t = chi_square(&[300, 100], &[3.0, 1.0]).unwrap();
        assert_eq!(t.chi2, 0.0);
        assert_eq!(t.df, 1);
        assert!((t.p_value - 1.0).abs() < 1e-15);
    }

    #[test]
    fn shares_are_normalised() {
        let a = chi_square(&[480, 520, 1010], &[1.0, 1.0, 2.0]).unwrap();
        let b = chi_square(&[480, 520, 1010], &[0.25, 0.25, 0.5]).unwrap();
        assert_eq!(a, b);
    }
}
