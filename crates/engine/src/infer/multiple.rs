//! Multiple-testing corrections: Holm (family-wise error rate) and
//! Benjamini–Hochberg (false discovery rate), as adjusted p-values.
//!
//! Both reproduce `statsmodels.stats.multitest.multipletests(p, method=…)[1]`
//! operation for operation: Holm multiplies the `i`-th smallest p-value (0-based)
//! by `m − i` and takes running maxima; Benjamini–Hochberg divides it by
//! `(i + 1)/m` and takes running minima from the largest down; both clip at 1.
//! Ties need no special care: the running max/min gives tied p-values the same
//! adjusted value whichever order they are visited in.
//!
//! Inputs are sanitised rather than rejected, so the output is always a vector of
//! the same length with every value in `[0, 1]`: a p-value that is not finite
//! (NaN) counts as 1 (no evidence), and values are clamped to `[0, 1]`.

use serde::{Deserialize, Serialize};

/// Which correction to apply over a family of p-values.
///
/// Serialised in snake case: `"none"`, `"holm"`, `"benjamini_hochberg"`.
///
/// ```
/// use splitscope_engine::infer::Correction;
/// let p = [0.01, 0.04, 0.03];
/// assert_eq!(Correction::None.adjust(&p), vec![0.01, 0.04, 0.03]);
/// assert_eq!(Correction::Holm.adjust(&p), vec![0.03, 0.06, 0.06]);
/// let json = serde_json::to_string(&Correction::BenjaminiHochberg).unwrap();
/// assert_eq!(json, "\"benjamini_hochberg\"");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// No correction: the p-values are returned as they are (sanitised).
    #[default]
    None,
    /// Holm's step-down procedure, controlling the family-wise error rate.
    Holm,
    /// Benjamini–Hochberg step-up procedure, controlling the false discovery rate
    /// (for independent or positively dependent tests).
    BenjaminiHochberg,
}

impl Correction {
    /// Adjusted p-values in the input order (see [`holm`] and [`benjamini_hochberg`]).
    pub fn adjust(self, p: &[f64]) -> Vec<f64> {
        match self {
            Correction::None => p.iter().map(|&v| sanitise(v)).collect(),
            Correction::Holm => holm(p),
            Correction::BenjaminiHochberg => benjamini_hochberg(p),
        }
    }
}

/// NaN → 1; everything else clamped to `[0, 1]`.
fn sanitise(p: f64) -> f64 {
    if p.is_nan() {
        1.0
    } else {
        p.clamp(0.0, 1.0)
    }
}

/// Indices that sort the sanitised p-values ascending, and the sanitised values.
fn sorted(p: &[f64]) -> (Vec<usize>, Vec<f64>) {
    let clean: Vec<f64> = p.iter().map(|&v| sanitise(v)).collect();
    let mut order: Vec<usize> = (0..clean.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (clean.get(a), clean.get(b));
        x.zip(y)
            .map_or(core::cmp::Ordering::Equal, |(x, y)| x.total_cmp(y))
    });
    let values = order
        .iter()
        .filter_map(|&i| clean.get(i).copied())
        .collect();
    (order, values)
}

/// Writes `adjusted` (in sorted order) back to the input positions.
fn unsort(order: &[usize], adjusted: &[f64]) -> Vec<f64> {
    let mut out = vec![1.0; order.len()];
    for (&i, &v) in order.iter().zip(adjusted) {
        if let Some(slot) = out.get_mut(i) {
            *slot = v.min(1.0);
        }
    }
    out
}

/// Holm–Bonferroni adjusted p-values, in the input order.
///
/// Equal to `statsmodels.stats.multitest.multipletests(p, method='holm')[1]`.
///
/// ```
/// use splitscope_engine::infer::holm;
/// // multipletests([0.01, 0.02, 0.03, 0.5], method='holm')[1]
/// //   -> [0.04, 0.06, 0.06, 0.5]
/// let adj = holm(&[0.01, 0.02, 0.03, 0.5]);
/// let expected = [0.04, 0.06, 0.06, 0.5];
/// assert!(adj.iter().zip(expected).all(|(a, e)| (a - e).abs() < 1e-15));
/// ```
pub fn holm(p: &[f64]) -> Vec<f64> {
    let (order, values) = sorted(p);
    let m = values.len();
    let mut running = 0.0_f64;
    let adjusted: Vec<f64> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            running = running.max(v * (m - i) as f64);
            running
        })
        .collect();
    unsort(&order, &adjusted)
}

/// Benjamini–Hochberg adjusted p-values (q-values), in the input order.
///
/// Equal to `statsmodels.stats.multitest.multipletests(p, method='fdr_bh')[1]`.
///
/// ```
/// use splitscope_engine::infer::benjamini_hochberg;
/// // multipletests([0.01, 0.02, 0.03, 0.5], method='fdr_bh')[1]
/// //   -> [0.04, 0.04, 0.04, 0.5]
/// let adj = benjamini_hochberg(&[0.01, 0.02, 0.03, 0.5]);
/// let expected = [0.04, 0.04, 0.04, 0.5];
/// assert!(adj.iter().zip(expected).all(|(a, e)| (a - e).abs() < 1e-15));
/// ```
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let (order, values) = sorted(p);
    let m = values.len() as f64;
    // statsmodels: pvals_sorted / (arange(1, m + 1) / m), then a reversed running minimum.
    let raw: Vec<f64> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| v / ((i + 1) as f64 / m))
        .collect();
    let mut adjusted = vec![1.0; raw.len()];
    let mut running = f64::MAX;
    for (slot, &r) in adjusted.iter_mut().zip(&raw).rev() {
        running = running.min(r);
        *slot = running;
    }
    unsort(&order, &adjusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_single() {
        assert!(holm(&[]).is_empty());
        assert!(benjamini_hochberg(&[]).is_empty());
        assert_eq!(holm(&[0.3]), vec![0.3]);
        assert_eq!(benjamini_hochberg(&[0.3]), vec![0.3]);
    }

    #[test]
    fn nan_and_out_of_range_are_sanitised() {
        let p = [f64::NAN, -0.1, 1.5, 0.01];
        for adj in [
            holm(&p),
            benjamini_hochberg(&p),
            Correction::None.adjust(&p),
        ] {
            assert_eq!(adj.len(), 4);
            assert!(adj.iter().all(|v| (0.0..=1.0).contains(v)));
        }
        assert_eq!(Correction::None.adjust(&p), vec![1.0, 0.0, 1.0, 0.01]);
    }

    #[test]
    fn adjusted_never_below_raw_and_holm_dominates_bh() {
        let p = [0.2, 0.001, 0.04, 0.04, 0.9, 0.013];
        let (h, b) = (holm(&p), benjamini_hochberg(&p));
        for ((raw, h), b) in p.iter().zip(&h).zip(&b) {
            assert!(h >= raw && b >= raw && h >= b);
        }
    }

    #[test]
    fn serde_names() {
        for (c, name) in [
            (Correction::None, "\"none\""),
            (Correction::Holm, "\"holm\""),
            (Correction::BenjaminiHochberg, "\"benjamini_hochberg\""),
        ] {
            assert_eq!(serde_json::to_string(&c).unwrap(), name);
            assert_eq!(serde_json::from_str::<Correction>(name).unwrap(), c);
        }
    }
}
