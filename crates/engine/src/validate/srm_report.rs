//! The SRM section of the report.

use serde::{Deserialize, Serialize};

/// Chi-square goodness of fit of users per variant against the plan's expected split.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Srm {
    /// The chi-square statistic (`null` with fewer than two variants).
    pub chi2: Option<f64>,
    /// Degrees of freedom (variants − 1).
    pub df: u32,
    /// Its p-value (`null` with fewer than two variants).
    pub p_value: Option<f64>,
    /// The plan's threshold.
    pub threshold: f64,
    /// Whether `p_value < threshold`: the metrics must not be read.
    pub flagged: bool,
    /// Observed and expected users per variant.
    pub arms: Vec<SrmArm>,
}

/// One variant's observed and expected users.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SrmArm {
    /// Variant name.
    pub variant: String,
    /// Users observed.
    pub observed: u64,
    /// Users expected under the plan's split.
    pub expected: f64,
    /// Expected share of users.
    pub expected_share: f64,
}

impl Srm {
    /// Tests users per arm against the plan's expected split (equal when absent; arms
    /// the split does not name get no share, which flags them).
    ///
    /// ```
    /// use splitscope_engine::{plan::Plan, validate::Srm};
    /// let arms = vec!["control".to_string(), "variant".to_string()];
    /// let srm = Srm::check(&arms, &[5000, 5200], &Plan::default());
    /// assert!(!srm.flagged);
    /// let srm = Srm::check(&arms, &[5000, 5600], &Plan::default());
    /// assert!(srm.flagged);
    /// ```
    pub fn check(arms: &[String], users: &[u64], plan: &crate::plan::Plan) -> Self {
        let shares: Vec<f64> = match &plan.expected_split {
            None => vec![1.0; arms.len()],
            Some(split) => arms
                .iter()
                .map(|arm| {
                    split
                        .iter()
                        .find(|s| &s.variant == arm)
                        .map_or(0.0, |s| s.share)
                })
                .collect(),
        };
        let total_share: f64 = shares.iter().sum();
        let total_users: u64 = users.iter().sum();
        let test = super::chi_square(users, &shares);
        let arms = arms
            .iter()
            .zip(users)
            .zip(&shares)
            .map(|((variant, &observed), &share)| {
                let expected_share = if total_share > 0.0 {
                    share / total_share
                } else {
                    0.0
                };
                SrmArm {
                    variant: variant.clone(),
                    observed,
                    expected: expected_share * total_users as f64,
                    expected_share,
                }
            })
            .collect();
        let unplanned_arm = shares.iter().zip(users).any(|(s, u)| *s == 0.0 && *u > 0);
        let p_value = test.as_ref().map(|t| t.p_value);
        Self {
            chi2: test.as_ref().map(|t| t.chi2),
            df: test.as_ref().map_or(0, |t| t.df),
            p_value,
            threshold: plan.srm_threshold,
            flagged: unplanned_arm || p_value.is_some_and(|p| p < plan.srm_threshold),
            arms,
        }
    }
}
