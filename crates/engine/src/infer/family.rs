//! Multiple-testing control over the family of primary comparisons: every arm ×
//! primary metric × segment. Guardrails stay outside the family, so a correction
//! can never explain a harm away.

use crate::plan::{Plan, Role};
use crate::report::{FamilyCorrection, MetricResult};

/// Adjusts the primary comparisons' p-values across all given result sets (overall
/// and per segment) and re-marks their significance. Other metrics keep their raw
/// p-value as `adjusted_p_value`.
pub fn correct_family(result_sets: &mut [&mut Vec<MetricResult>], plan: &Plan) -> FamilyCorrection {
    let mut raw = Vec::new();
    for set in result_sets.iter() {
        for m in set.iter().filter(|m| m.role == Role::Primary) {
            raw.extend(m.comparisons.iter().filter_map(|c| c.p_value));
        }
    }
    let adjusted = plan.correction.adjust(&raw);
    let mut next = adjusted.into_iter();
    for set in result_sets.iter_mut() {
        for m in set.iter_mut() {
            let primary = m.role == Role::Primary;
            for c in m.comparisons.iter_mut() {
                c.adjusted_p_value = match (primary, c.p_value) {
                    (true, Some(_)) => next.next(),
                    (false, p) => p,
                    (true, None) => None,
                };
                c.significant = c.adjusted_p_value.is_some_and(|p| p < plan.alpha);
            }
        }
    }
    FamilyCorrection {
        method: plan.correction,
        family_size: raw.len(),
    }
}
