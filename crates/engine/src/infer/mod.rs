//! Stage 7 — infer: effects, confidence intervals and p-values per metric.
//!
//! Closed forms (Welch, delta method, CUPED) work on [`Moments`]; the bootstrap
//! resamples per-user values with an explicitly seeded ChaCha generator.

mod bootstrap;
mod compare;
mod cuped;
mod moments;
mod ratio;
mod tdist;
mod welch;

pub use bootstrap::{bootstrap_mean_diff, Bootstrap, Histogram, HISTOGRAM_BINS};
pub use compare::compare_all;
pub use cuped::{cuped, Cuped};
pub use moments::{CoMoments, Moments};
pub use ratio::{ratio_moments, welch_ratio, RatioEstimate};
pub use welch::{welch, Welch};
