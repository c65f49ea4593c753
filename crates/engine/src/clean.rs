//! Stage 3 — clean: one first exposure per user, bot/test traffic out, users seen in
//! more than one variant counted (and kept on their first variant, or excluded).

use crate::error::AnalysisError;
use crate::ingest::{ExposureRows, Interner};
use crate::plan::{MultiVariantPolicy, Plan};
use crate::validate::ExposureCounts;

/// What the analysis knows about one user id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserState {
    /// In the analysis: arm index into [`Assignments::arms`] and first exposure time.
    Analysed {
        /// Arm index.
        arm: u16,
        /// First exposure, UTC milliseconds.
        exposed_at: i64,
    },
    /// Flagged as bot/test traffic.
    Bot,
    /// Seen in several variants and excluded by the plan.
    Excluded,
}

/// A segment column's value per user (taken from the user's first exposure).
#[derive(Clone, Debug, Default)]
pub struct UserSegments {
    /// Column header.
    pub name: String,
    /// Distinct values.
    pub values: Interner,
    /// Value id per user id.
    pub per_user: Vec<u32>,
}

/// Users and their arms after cleaning.
#[derive(Clone, Debug, Default)]
pub struct Assignments {
    /// Arm names: the control first, then the others by name.
    pub arms: Vec<String>,
    /// User ids, numbered as in [`Assignments::state`].
    pub user_ids: Interner,
    /// Every user's state.
    pub state: Vec<UserState>,
    /// Segment values per user.
    pub segments: Vec<UserSegments>,
    /// The exposures' fate, for diagnostics.
    pub counts: ExposureCounts,
}

impl Assignments {
    /// Users analysed per arm.
    pub fn users_per_arm(&self) -> Vec<u64> {
        let mut counts = vec![0u64; self.arms.len()];
        for state in &self.state {
            if let UserState::Analysed { arm, .. } = state {
                if let Some(c) = counts.get_mut(usize::from(*arm)) {
                    *c += 1;
                }
            }
        }
        counts
    }
}

/// Cleans the exposures: first exposure per user (earliest time, ties by file order),
/// bot users out, multi-variant users handled by the plan's policy.
///
/// ```
/// use splitscope_engine::{clean::clean, ingest::{read_exposures, BadRowLog, Input}};
/// use splitscope_engine::{example, plan::Plan, NoProgress};
/// let plan = Plan::default();
/// let mut bad = BadRowLog::new(plan.on_bad_row);
/// let rows = read_exposures(Input::new("e.csv", example::EXPOSURES_CSV.as_bytes()),
///                           &plan, &mut bad, &mut NoProgress).unwrap();
/// let a = clean(rows, &plan).unwrap();
/// assert_eq!(a.arms, ["control", "variant"]);
/// assert_eq!(a.users_per_arm(), [3, 2]);
/// assert_eq!(a.counts.multi_variant_users, 1);
/// ```
pub fn clean(rows: ExposureRows, plan: &Plan) -> Result<Assignments, AnalysisError> {
    let n_users = rows.users.len();
    let mut counts = ExposureCounts {
        rows_read: rows.file.rows,
        ..ExposureCounts::default()
    };
    let mut is_bot = vec![false; n_users];
    for row in rows.rows.iter().filter(|r| r.bot) {
        is_bot[row.user as usize] = true;
    }
    // Index of each user's first exposure row (earliest; strict `<` keeps file order on ties).
    let mut first: Vec<Option<usize>> = vec![None; n_users];
    for (index, row) in rows.rows.iter().enumerate() {
        if is_bot[row.user as usize] {
            counts.bot_rows += 1;
            continue;
        }
        let slot = &mut first[row.user as usize];
        match slot {
            Some(best) if rows.rows[*best].ts <= row.ts => {}
            _ => *slot = Some(index),
        }
    }
    counts.bot_users = is_bot.iter().filter(|b| **b).count() as u64;
    let mut conflicted = vec![false; n_users];
    for (index, row) in rows.rows.iter().enumerate() {
        let Some(best) = first[row.user as usize] else { continue };
        if best == index {
            counts.first_exposures += 1;
        } else if rows.rows[best].variant == row.variant {
            counts.repeat_exposures += 1;
        } else {
            counts.conflicting_exposures += 1;
            conflicted[row.user as usize] = true;
        }
    }
    counts.multi_variant_users = conflicted.iter().filter(|c| **c).count() as u64;
    let exclude = plan.multi_variant_policy == MultiVariantPolicy::Exclude;
    if exclude {
        counts.multi_variant_users_excluded = counts.multi_variant_users;
    }
    let keep = |user: usize| first[user].filter(|_| !(exclude && conflicted[user]));
    let arm_of_variant = order_arms(&rows, plan, (0..n_users).filter_map(keep))?;
    let arms = arm_names(&rows.variants, &arm_of_variant);
    let state = (0..n_users)
        .map(|user| match (is_bot[user], keep(user)) {
            (true, _) => UserState::Bot,
            (false, Some(index)) => UserState::Analysed {
                arm: arm_of_variant[rows.rows[index].variant as usize].unwrap_or(0),
                exposed_at: rows.rows[index].ts,
            },
            (false, None) => UserState::Excluded,
        })
        .collect();
    let segments = rows
        .segments
        .into_iter()
        .map(|column| UserSegments {
            per_user: (0..n_users)
                .map(|u| first[u].map_or(u32::MAX, |i| column.rows[i]))
                .collect(),
            name: column.name,
            values: column.values,
        })
        .collect();
    Ok(Assignments {
        arms,
        user_ids: rows.users,
        state,
        segments,
        counts,
    })
}

/// Arm index per variant id: control first, then the other analysed variants by name.
fn order_arms(
    rows: &ExposureRows,
    plan: &Plan,
    kept_rows: impl Iterator<Item = usize>,
) -> Result<Vec<Option<u16>>, AnalysisError> {
    let mut present = vec![false; rows.variants.len()];
    for index in kept_rows {
        present[rows.rows[index].variant as usize] = true;
    }
    let mut names: Vec<(u32, &str)> = (0..rows.variants.len() as u32)
        .filter(|v| present[*v as usize])
        .map(|v| (v, rows.variants.name(v)))
        .collect();
    names.sort_by(|a, b| (a.1 != plan.control, a.1).cmp(&(b.1 != plan.control, b.1)));
    if names.first().map(|n| n.1) != Some(plan.control.as_str()) {
        let found: Vec<String> = names.iter().map(|n| format!("{:?}", n.1)).collect();
        return Err(AnalysisError::Data(format!(
            "the control variant {:?} has no users in the exposures; variants found: {}. \
             Set \"control\" in the plan to one of them.",
            plan.control,
            if found.is_empty() { "none".into() } else { found.join(", ") }
        )));
    }
    if names.len() > usize::from(u16::MAX) {
        return Err(AnalysisError::Data(format!(
            "{} variants found; at most {} are supported",
            names.len(),
            u16::MAX
        )));
    }
    let mut arm_of = vec![None; rows.variants.len()];
    for (arm, (variant, _)) in names.iter().enumerate() {
        arm_of[*variant as usize] = Some(arm as u16);
    }
    Ok(arm_of)
}

fn arm_names(variants: &Interner, arm_of: &[Option<u16>]) -> Vec<String> {
    let mut named: Vec<(u16, String)> = arm_of
        .iter()
        .enumerate()
        .filter_map(|(v, arm)| arm.map(|a| (a, variants.name(v as u32).to_string())))
        .collect();
    named.sort();
    named.into_iter().map(|(_, name)| name).collect()
}
