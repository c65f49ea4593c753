//! Mann–Whitney U (Wilcoxon rank-sum) test: a check of whether one arm's values
//! tend to be larger than the other's.
//!
//! **It tests distributions, not means.** Its null hypothesis is that a random
//! treatment user and a random control user are equally likely to be the larger
//! one; a significant result says the distributions differ (in location, shape or
//! spread), not that the *average* revenue per user moved. A revenue metric can
//! shift its mean with no rank signal (a few large spenders) and vice versa. Use it
//! beside the Welch / bootstrap results on skewed metrics, never instead of them.

use serde::{Deserialize, Serialize};

use super::normal;

/// Result of [`mann_whitney`]. Every field is finite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MannWhitney {
    /// `U` of the treatment arm: the number of (treatment, control) pairs where the
    /// treatment value is larger, ties counting ½ (scipy's `statistic`).
    pub u: f64,
    /// Standardised statistic with tie and continuity corrections: positive when
    /// treatment values tend to be larger; the correction pulls it toward 0.
    pub z: f64,
    /// Two-sided p-value from the normal approximation.
    pub p_value: f64,
    /// Common-language effect size `U / (n_T n_C)` = P(T > C) + ½ P(T = C):
    /// 0.5 under the null.
    pub common_language_effect: f64,
}

/// Two-sided Mann–Whitney U test of `treatment` against `control` with the
/// tie-corrected normal approximation and continuity correction.
///
/// Equal to `scipy.stats.mannwhitneyu(treatment, control, alternative='two-sided',
/// method='asymptotic', use_continuity=True)` (`u` = its `statistic`, `p_value` = its
/// `pvalue`). Ranks come from one sort (`f64::total_cmp`) with average ranks for
/// ties: `O(n log n)`. This tests distributions, not means — see the module docs.
///
/// Returns `None` when an arm is empty, a value is not finite, or every value is
/// the same (zero variance of `U`).
///
/// ```
/// use splitscope_engine::infer::mann_whitney;
/// let t = [3.0, 5.0, 5.0, 9.0, 12.0];
/// let c = [1.0, 2.0, 5.0, 4.0];
/// let mw = mann_whitney(&t, &c).unwrap();
/// // scipy.stats.mannwhitneyu(t, c, alternative='two-sided', method='asymptotic')
/// //   -> statistic 17.0, pvalue 0.10536405286983037
/// assert_eq!(mw.u, 17.0);
/// assert!((mw.p_value - 0.10536405286983037).abs() < 1e-12);
/// assert!((mw.common_language_effect - 17.0 / 20.0).abs() < 1e-15);
/// assert!(mw.z > 0.0);
/// ```
pub fn mann_whitney(treatment: &[f64], control: &[f64]) -> Option<MannWhitney> {
    if treatment.is_empty() || control.is_empty() {
        return None;
    }
    if !treatment.iter().chain(control).all(|v| v.is_finite()) {
        return None;
    }
    let (n1, n2) = (treatment.len(), control.len());
    // (value, is_treatment); ties between arms need no particular order.
    let mut pooled: Vec<(f64, bool)> = treatment
        .iter()
        .map(|&v| (v, true))
        .chain(control.iter().map(|&v| (v, false)))
        .collect();
    pooled.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));

    let mut rank_sum_t = 0.0_f64;
    let mut tie_term: u128 = 0;
    let mut start = 0usize;
    while start < pooled.len() {
        let value = pooled.get(start).map_or(0.0, |p| p.0);
        let len = pooled
            .get(start..)
            .map_or(1, |rest| rest.iter().take_while(|p| p.0 == value).count());
        // Ranks start + 1 … start + len; their average is start + (len + 1)/2.
        let average = start as f64 + (len as f64 + 1.0) / 2.0;
        let in_t = pooled
            .get(start..start + len)
            .map_or(0, |g| g.iter().filter(|p| p.1).count());
        rank_sum_t += average * in_t as f64;
        let t = len as u128;
        tie_term += t * t * t - t;
        start += len;
    }

    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let u1 = rank_sum_t - n1f * (n1f + 1.0) / 2.0;
    let mu = n1f * n2f / 2.0;
    let n = n1f + n2f;
    // scipy: s = sqrt(n1*n2/12 * ((n + 1) - tie_term/(n*(n-1))))
    let s2 = n1f * n2f / 12.0 * ((n + 1.0) - tie_term as f64 / (n * (n - 1.0)));
    if s2.is_nan() || s2 <= 0.0 {
        return None;
    }
    let s = s2.sqrt();
    // scipy uses U = max(U1, U2), subtracts 0.5 and takes 2·sf(z), clipped to 1.
    let distance = (u1 - mu).abs();
    let p_value = (2.0 * normal::sf((distance - 0.5) / s)).min(1.0);
    let z = ((distance - 0.5).max(0.0) / s).copysign(u1 - mu);
    let result = MannWhitney {
        u: u1,
        z,
        p_value,
        common_language_effect: u1 / (n1f * n2f),
    };
    (z.is_finite() && p_value.is_finite()).then_some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_inputs_are_none() {
        assert!(mann_whitney(&[], &[1.0]).is_none());
        assert!(mann_whitney(&[1.0], &[]).is_none());
        assert!(mann_whitney(&[1.0, f64::NAN], &[1.0]).is_none());
        assert!(mann_whitney(&[2.0, 2.0], &[2.0, 2.0, 2.0]).is_none());
    }

    #[test]
    fn swapping_arms_mirrors_the_result() {
        let t = [0.0, 0.0, 3.5, 7.0, 7.0, 12.0, 1.0];
        let c = [0.0, 1.0, 1.0, 2.0, 7.0];
        let a = mann_whitney(&t, &c).unwrap();
        let b = mann_whitney(&c, &t).unwrap();
        assert_eq!(a.u + b.u, (t.len() * c.len()) as f64);
        assert_eq!(a.z, -b.z);
        assert_eq!(a.p_value, b.p_value);
    }

    #[test]
    fn identical_samples_give_p_one() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let mw = mann_whitney(&x, &x).unwrap();
        assert_eq!(mw.u, 8.0);
        assert_eq!(mw.z, 0.0);
        assert_eq!(mw.p_value, 1.0);
        assert_eq!(mw.common_language_effect, 0.5);
    }
}
