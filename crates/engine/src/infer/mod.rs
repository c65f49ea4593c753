//! Stage 7 — infer: effects, confidence intervals and p-values per metric.
//!
//! Closed forms (Welch, delta method, CUPED for means and ratios) work on [`Moments`]; the bootstrap
//! resamples per-user values with an explicitly seeded ChaCha generator.

mod bayes;
mod bootstrap;
mod capping;
mod compare;
mod cuped;
mod cuped_ratio;
mod effect;
mod family;
mod mann_whitney;
mod moments;
mod multiple;
mod normal;
mod over_time;
pub(crate) use over_time::grid_bytes;
pub mod power;
mod quad_moments;
mod ratio;
mod sequential;
pub(crate) mod special;
mod tdist;
mod welch;

pub use bayes::{bayes_lift, bayes_lift_of, Bayes, Prior};
pub use bootstrap::{bootstrap_mean_diff, Bootstrap, Histogram, HISTOGRAM_BINS};
pub use capping::{winsor_bounds, winsorize, WinsorBounds};
pub use compare::{compare, compare_all, POOLED_ARMS};
pub use cuped::{cuped, Cuped};
pub use cuped_ratio::cuped_ratio;
pub use effect::EffectEstimate;
pub use family::correct_family;
pub use mann_whitney::{mann_whitney, MannWhitney};
pub use moments::{CoMoments, Moments};
pub use multiple::{benjamini_hochberg, holm, Correction};
pub use over_time::lift_over_time;
pub use quad_moments::QuadMoments;
pub use ratio::{ratio_moments, welch_ratio, RatioEstimate};
pub use sequential::{
    confidence_sequence, confidence_sequence_of, sequential_p_value, Sequential, SequentialPValue,
};
pub use welch::{welch, Welch};
