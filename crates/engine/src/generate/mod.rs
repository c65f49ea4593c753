//! Synthetic experiment data: a deterministic, streaming generator of realistic
//! exposures and events CSVs with a known truth.
//!
//! The generator writes the two files the engine reads (`user_id,variant,exposure_ts`
//! and `user_id,event,amount,event_ts`, timestamps `YYYY-MM-DD HH:MM:SS`, UTC) to any
//! [`std::io::Write`], holding only one block of users in memory at a time, so 10 million
//! events take a few megabytes. Everything random comes from one ChaCha8 stream
//! seeded with [`GeneratorConfig::seed`]: the same configuration always writes the
//! same bytes, on every platform.
//!
//! # The model
//!
//! Users arrive in exposure order, spread evenly over [`GeneratorConfig::days`] with
//! a random jitter, and are assigned a variant by [`VariantSpec::weight`]. Each human
//! user has two latent traits:
//!
//! * a *propensity* `z ~ N(0, 1)`: the user converts in the analysis window when
//!   `√c·z + √(1−c)·ε < Φ⁻¹(p_v)` (fresh `ε ~ N(0, 1)`), so the conversion rate of
//!   arm `v` is exactly `p_v`; the same construction with another `ε` decides a
//!   purchase in the pre-period, so pre-period and in-window conversion are
//!   correlated with coefficient `c` ([`GeneratorConfig::propensity_correlation`]) on
//!   the latent scale — the covariate CUPED needs. Activity (views) scales with
//!   `exp(σ_a·z − σ_a²/2)` (mean 1), so engaged users also browse more;
//! * a *basket factor* `s ~ LogNormal(−σ²/2, σ)` (mean 1): every order value is a
//!   catalogue price ([`GeneratorConfig::prices`], e.g. 9.99, 19.99, …, picked by
//!   [`GeneratorConfig::price_weights`]) times `s` times the arm's order-value
//!   multiplier, rounded to cents. The factor is shared by the user's pre-period and
//!   in-window orders (skewed, correlated revenue).
//!
//! A converting user places `1 + Poisson(repeat_purchases)` orders in the window,
//! each preceded by an `add_to_cart` event; `error` events (the guardrail) arrive as
//! `Poisson(error_rate·(1 + error_lift))`. Views fill the remaining event budget so
//! the total is close to [`GeneratorConfig::events`] (in expectation). Some events
//! fall before the exposure (all inside the pre-period of
//! [`GeneratorConfig::pre_days`]) and some after the window; a share of rows belongs
//! to users never exposed. Bots (flagged `is_bot = 1` in the exposures file) browse
//! ten times as much and never buy. A share of users is exposed twice to the same
//! variant, and a smaller share a second time to another variant (the first
//! exposure decides their behaviour, as the course's "keep first" rule assumes).
//!
//! # The truth
//!
//! For arm `v` with conversion lift `ℓ`, revenue lift `L` and error lift `ε`:
//! conversion rate `p·(1+ℓ)`; revenue per user `p·(1+ℓ)·(1+r)·E[price]·m` with
//! `m = (1+L)/(1+ℓ)`, hence exactly `(1+L)` times the control's; errors per user
//! `e·(1+ε)`. [`Truth`] returns these expectations (over human users; rounding to
//! cents moves revenue by less than half a cent per order) and exact counts of
//! every kind of row written, which the engine's diagnostics must reproduce.
//!
//! ```
//! use splitscope_engine::generate::{generate, GeneratorConfig};
//! let config = GeneratorConfig::new(200, 2_000);
//! let (mut exposures, mut events) = (Vec::new(), Vec::new());
//! let truth = generate(&config, &mut exposures, &mut events).unwrap();
//! assert!(exposures.starts_with(b"user_id,variant,exposure_ts\n"));
//! assert!(events.starts_with(b"user_id,event,amount,event_ts\n"));
//! assert_eq!(truth.counts.users, 200);
//! assert!((truth.variants[1].revenue_per_user / truth.variants[0].revenue_per_user - 1.08).abs() < 1e-12);

mod config;
mod dist;
mod events;
mod exposures;
mod generator;
mod text;

pub(crate) use text::civil_date;
mod truth;

#[cfg(test)]
mod tests;

use std::io::Write;

pub use config::{GeneratorConfig, VariantSpec};
pub use truth::{Counts, GenerateError, Truth, VariantTruth};

use generator::Generator;
use text::Counting;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Writes generated exposures and events as CSV to the two writers and returns
/// the truth. Streams: memory is bounded by [`GeneratorConfig::block_users`]
/// users' events, whatever the totals. The writers are flushed at the end; wrap
/// files in a [`std::io::BufWriter`].
pub fn generate<E: Write, V: Write>(
    config: &GeneratorConfig,
    exposures: E,
    events: V,
) -> Result<Truth, GenerateError> {
    config.check()?;
    let mut g = Generator::new(config);
    let mut exp = Counting::new(exposures);
    let mut evt = Counting::new(events);
    g.run(&mut exp, &mut evt)?;
    g.counts.exposure_bytes = exp.finish()?;
    g.counts.event_bytes = evt.finish()?;
    Ok(Truth {
        variants: config.expected(),
        counts: g.counts,
    })
}
