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
        self.users_per_arm_where(|_| true)
    }

    /// Users analysed per arm among the user ids `keep` accepts.
    pub fn users_per_arm_where(&self, keep: impl Fn(usize) -> bool) -> Vec<u64> {
        let mut counts = vec![0u64; self.arms.len()];
        for (user, state) in self.state.iter().enumerate() {
            if !keep(user) {
                continue;
            }
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
    let held = rows.memory_bytes(0) + n_users as u64 * crate::memory::cleaning_bytes_per_user(plan);
    crate::memory::check(plan, held, || {
        (
            rows.file.name.clone(),
            None,
            format!("all {} rows read", rows.file.rows),
            format!("cleaning the exposures of {n_users} users"),
        )
    })?;
    let mut counts = ExposureCounts {
        rows_read: rows.file.rows,
        ..ExposureCounts::default()
    };
    let mut users = vec![UserFacts::default(); n_users];
    for row in rows.rows.iter().filter(|r| r.bot) {
        if let Some(u) = users.get_mut(row.user as usize) {
            u.bot = true;
        }
    }
    // Each user's first exposure row: earliest, and strict `<` keeps file order on ties.
    for (index, row) in rows.rows.iter().enumerate() {
        let Some(u) = users.get_mut(row.user as usize) else {
            continue;
        };
        if u.bot {
            counts.bot_rows += 1;
        } else if u.first.is_none_or(|(_, ts, _)| row.ts < ts) {
            u.first = Some((index, row.ts, row.variant));
        }
    }
    for (index, row) in rows.rows.iter().enumerate() {
        let Some(u) = users.get_mut(row.user as usize) else {
            continue;
        };
        let Some((first, _, variant)) = u.first else {
            continue;
        };
        if first == index {
            counts.first_exposures += 1;
        } else if variant == row.variant {
            counts.repeat_exposures += 1;
        } else {
            counts.conflicting_exposures += 1;
            u.conflicted = true;
        }
    }
    counts.bot_users = users.iter().filter(|u| u.bot).count() as u64;
    counts.multi_variant_users = users.iter().filter(|u| u.conflicted).count() as u64;
    let exclude = plan.multi_variant_policy == MultiVariantPolicy::Exclude;
    if exclude {
        counts.multi_variant_users_excluded = counts.multi_variant_users;
    }
    let kept = |u: &UserFacts| u.first.filter(|_| !(exclude && u.conflicted));
    let arm_of_variant = order_arms(&rows.variants, plan, users.iter().filter_map(kept))?;
    let arms = arm_names(&rows.variants, &arm_of_variant);
    let state = users
        .iter()
        .map(|u| match (u.bot, kept(u)) {
            (true, _) => UserState::Bot,
            (false, Some((_, exposed_at, variant))) => UserState::Analysed {
                arm: arm_of_variant
                    .get(variant as usize)
                    .copied()
                    .flatten()
                    .unwrap_or(0),
                exposed_at,
            },
            (false, None) => UserState::Excluded,
        })
        .collect();
    let segments = rows
        .segments
        .into_iter()
        .map(|column| UserSegments {
            per_user: users
                .iter()
                .map(|u| {
                    u.first
                        .and_then(|(i, _, _)| column.rows.get(i).copied())
                        .unwrap_or(u32::MAX)
                })
                .collect(),
            name: column.name,
            values: column.values,
        })
        .collect();
    let mut user_ids = rows.users;
    user_ids.freeze();
    Ok(Assignments {
        arms,
        user_ids,
        state,
        segments,
        counts,
    })
}

/// What cleaning learns about one user id from all of its exposure rows.
#[derive(Clone, Copy, Debug, Default)]
struct UserFacts {
    bot: bool,
    conflicted: bool,
    /// Row index, time and variant of the first exposure.
    first: Option<(usize, i64, u32)>,
}

/// Arm index per variant id: control first, then the other analysed variants by name.
fn order_arms(
    variants: &Interner,
    plan: &Plan,
    kept: impl Iterator<Item = (usize, i64, u32)>,
) -> Result<Vec<Option<u16>>, AnalysisError> {
    let mut present = vec![false; variants.len()];
    for (_, _, variant) in kept {
        if let Some(p) = present.get_mut(variant as usize) {
            *p = true;
        }
    }
    let mut names: Vec<(u32, &str)> = present
        .iter()
        .enumerate()
        .filter(|(_, p)| **p)
        .map(|(v, _)| (v as u32, variants.name(v as u32)))
        .collect();
    names.sort_by(|a, b| (a.1 != plan.control, a.1).cmp(&(b.1 != plan.control, b.1)));
    if names.first().map(|n| n.1) != Some(plan.control.as_str()) {
        let found: Vec<String> = names.iter().map(|n| format!("{:?}", n.1)).collect();
        return Err(AnalysisError::Data(format!(
            "the control variant {:?} has no users in the exposures; variants found: {}. \
             Set \"control\" in the plan to one of them.",
            plan.control,
            if found.is_empty() {
                "none".into()
            } else {
                found.join(", ")
            }
        )));
    }
    if names.len() > usize::from(u16::MAX) {
        return Err(AnalysisError::Data(format!(
            "{} variants found; at most {} are supported",
            names.len(),
            u16::MAX
        )));
    }
    let mut arm_of = vec![None; variants.len()];
    for (arm, (variant, _)) in names.iter().enumerate() {
        if let Some(slot) = arm_of.get_mut(*variant as usize) {
            *slot = Some(arm as u16);
        }
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
