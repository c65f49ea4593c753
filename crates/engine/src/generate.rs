//! Synthetic experiment data: a deterministic, streaming generator of realistic
//! exposures and events CSVs with a known truth.
//!
//! The generator writes the two files the engine reads (`user_id,variant,exposure_ts`
//! and `user_id,event,amount,event_ts`, timestamps `YYYY-MM-DD HH:MM:SS`, UTC) to any
//! [`io::Write`], holding only one block of users in memory at a time, so 10 million
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
//! ```

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::io::{self, Write};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson, StandardNormal};
use serde::Serialize;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// How much more bots browse than the average human.
const BOT_ACTIVITY: f64 = 10.0;

/// Log-scale standard deviation of user activity (views).
const ACTIVITY_SIGMA: f64 = 0.8;

/// Share of the view budget spent before exposure, inside the window, and after it.
const VIEW_SPLIT: [f64; 3] = [0.25, 0.60, 0.15];

/// Probability of a (non-counting) purchase after the window, relative to the
/// control's conversion rate.
const AFTER_WINDOW_PURCHASE: f64 = 0.3;

/// Countries of the optional `country` column, with their shares.
const COUNTRIES: [(&str, f64); 8] = [
    ("US", 0.35),
    ("IN", 0.15),
    ("GB", 0.10),
    ("DE", 0.10),
    ("BR", 0.10),
    ("FR", 0.08),
    ("JP", 0.07),
    ("CA", 0.05),
];

/// Devices of the optional `device` column, with their shares.
const DEVICES: [(&str, f64); 3] = [("mobile", 0.58), ("desktop", 0.36), ("tablet", 0.06)];

/// Event names, indexed by [`Kind`].
const EVENT_NAMES: [&str; 4] = ["view", "add_to_cart", "purchase", "error"];

/// One arm of the generated experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantSpec {
    /// Variant name as written in the exposures file.
    pub name: String,
    /// Relative share of users assigned to it (normalised over all variants).
    pub weight: f64,
    /// True relative lift of the conversion rate over the control (0.05 = +5 %).
    pub conversion_lift: f64,
    /// True relative lift of revenue per user over the control.
    pub revenue_lift: f64,
    /// True relative lift of error events per user over the control.
    pub error_lift: f64,
}

impl VariantSpec {
    /// A variant of weight 1 with the given conversion and revenue lifts and no
    /// change in errors.
    pub fn new(name: &str, conversion_lift: f64, revenue_lift: f64) -> Self {
        Self {
            name: name.into(),
            weight: 1.0,
            conversion_lift,
            revenue_lift,
            error_lift: 0.0,
        }
    }
}

/// Everything that shapes the generated data. Start from [`GeneratorConfig::new`]
/// and change fields.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratorConfig {
    /// Users exposed (humans and bots).
    pub users: u64,
    /// Target total of event rows (met in expectation; the exact count is in
    /// [`Counts::event_rows`]).
    pub events: u64,
    /// The arms; the first is the control (its lifts are ignored).
    pub variants: Vec<VariantSpec>,
    /// Seed of the ChaCha8 generator.
    pub seed: u64,
    /// First possible exposure, seconds since 1970-01-01 UTC.
    pub start: i64,
    /// Days over which exposures are spread.
    pub days: u32,
    /// The analysis window after exposure, in days (the engine's default is 7).
    pub window_days: u32,
    /// The pre-period before exposure, in days (the engine's CUPED default is 7).
    pub pre_days: u32,
    /// The control's conversion rate in the window.
    pub conversion_rate: f64,
    /// Mean number of extra orders of a converting user (orders = 1 + Poisson).
    pub repeat_purchases: f64,
    /// Catalogue prices orders are drawn from.
    pub prices: Vec<f64>,
    /// Relative popularity of each price (same length as [`Self::prices`]).
    pub price_weights: Vec<f64>,
    /// Log-scale standard deviation of the user's basket factor (skew of revenue).
    pub order_value_sigma: f64,
    /// Correlation of the latent pre-period and in-window purchase propensities
    /// (0 makes the CUPED covariate useless, close to 1 makes it strong).
    pub propensity_correlation: f64,
    /// The control's error events per user in the window (the guardrail).
    pub error_rate: f64,
    /// Share of users that are bots (flagged in an `is_bot` column).
    pub bot_share: f64,
    /// Share of users exposed a second time to the same variant.
    pub duplicate_share: f64,
    /// Share of users exposed a second time to another variant.
    pub multi_variant_share: f64,
    /// Share of event rows belonging to users never exposed.
    pub unknown_user_share: f64,
    /// Write an `is_bot` column (0/1) in the exposures file; forced on when
    /// [`Self::bot_share`] is positive.
    pub bot_column: bool,
    /// Write `country` and `device` columns in the exposures file.
    pub segments: bool,
    /// Users generated per block: memory use is proportional to this.
    pub block_users: usize,
}

impl GeneratorConfig {
    /// Defaults for `users` users and about `events` events: control and
    /// `variant` (equal split, +5 % conversion, +8 % revenue, errors unchanged),
    /// seed 42, exposures over 14 days from 2024-03-01, 7-day window and
    /// pre-period, 8 % control conversion, catalogue 4.99…199.99, 5 % duplicate
    /// and 0.5 % multi-variant exposures, 0.2 % unknown-user events, no bots.
    pub fn new(users: u64, events: u64) -> Self {
        Self {
            users,
            events,
            variants: vec![
                VariantSpec::new("control", 0.0, 0.0),
                VariantSpec::new("variant", 0.05, 0.08),
            ],
            seed: 42,
            start: 1_709_251_200, // 2024-03-01 00:00:00 UTC
            days: 14,
            window_days: 7,
            pre_days: 7,
            conversion_rate: 0.08,
            repeat_purchases: 0.3,
            prices: vec![4.99, 9.99, 14.99, 19.99, 29.99, 49.99, 99.99, 199.99],
            price_weights: vec![0.10, 0.22, 0.16, 0.20, 0.13, 0.10, 0.06, 0.03],
            order_value_sigma: 0.6,
            propensity_correlation: 0.6,
            error_rate: 0.05,
            bot_share: 0.0,
            duplicate_share: 0.05,
            multi_variant_share: 0.005,
            unknown_user_share: 0.002,
            bot_column: false,
            segments: false,
            block_users: 4096,
        }
    }

    /// Checks the configuration; every [`generate`] call does this first.
    pub fn check(&self) -> Result<(), GenerateError> {
        let fail = |msg: String| Err(GenerateError::Config(msg));
        let share = |x: f64| (0.0..1.0).contains(&x);
        if self.users == 0 {
            return fail("users must be at least 1".into());
        }
        if self.variants.len() < 2 {
            return fail("at least two variants are needed (the first is the control)".into());
        }
        for (i, v) in self.variants.iter().enumerate() {
            if v.name.is_empty() || v.name.contains([',', '"', '\n', '\r']) {
                return fail(format!(
                    "variant name {:?} must be non-empty, without commas, quotes or newlines",
                    v.name
                ));
            }
            if self.variants[..i].iter().any(|o| o.name == v.name) {
                return fail(format!("variant {:?} is listed twice", v.name));
            }
            if !(v.weight > 0.0 && v.weight.is_finite()) {
                return fail(format!("variant {:?} needs a positive weight", v.name));
            }
            let lifts = [v.conversion_lift, v.revenue_lift, v.error_lift];
            if lifts.iter().any(|l| !(*l > -1.0 && l.is_finite())) {
                return fail(format!("lifts of {:?} must be finite and above -1", v.name));
            }
            if self.conversion_rate * (1.0 + self.arm_conversion_lift(i)) >= 1.0 {
                return fail(format!(
                    "conversion rate of {:?} would reach 100 %; lower the rate or the lift",
                    v.name
                ));
            }
        }
        if !(self.conversion_rate > 0.0 && self.conversion_rate < 1.0) {
            return fail(format!(
                "conversion rate must be between 0 and 1, got {}",
                self.conversion_rate
            ));
        }
        if self.days == 0 || self.window_days == 0 {
            return fail("days and window_days must be at least 1".into());
        }
        if self.prices.is_empty()
            || self.prices.len() != self.price_weights.len()
            || self.prices.iter().any(|p| !(*p > 0.0 && p.is_finite()))
            || self
                .price_weights
                .iter()
                .any(|w| !(*w > 0.0 && w.is_finite()))
        {
            return fail("prices and price_weights must be positive and of equal length".into());
        }
        let nonneg = [
            ("repeat_purchases", self.repeat_purchases),
            ("order_value_sigma", self.order_value_sigma),
            ("error_rate", self.error_rate),
        ];
        for (name, x) in nonneg {
            if !(x >= 0.0 && x.is_finite()) {
                return fail(format!("{name} must be a non-negative number, got {x}"));
            }
        }
        let shares = [
            ("propensity_correlation", self.propensity_correlation),
            ("bot_share", self.bot_share),
            ("duplicate_share", self.duplicate_share),
            ("multi_variant_share", self.multi_variant_share),
            ("unknown_user_share", self.unknown_user_share),
        ];
        for (name, x) in shares {
            if !share(x) {
                return fail(format!("{name} must be in [0, 1), got {x}"));
            }
        }
        if self.duplicate_share + self.multi_variant_share >= 1.0 {
            return fail("duplicate_share + multi_variant_share must stay below 1".into());
        }
        if self.block_users == 0 {
            return fail("block_users must be at least 1".into());
        }
        Ok(())
    }

    fn arm_conversion_lift(&self, arm: usize) -> f64 {
        if arm == 0 {
            0.0
        } else {
            self.variants[arm].conversion_lift
        }
    }

    fn arm_revenue_lift(&self, arm: usize) -> f64 {
        if arm == 0 {
            0.0
        } else {
            self.variants[arm].revenue_lift
        }
    }

    fn arm_error_lift(&self, arm: usize) -> f64 {
        if arm == 0 {
            0.0
        } else {
            self.variants[arm].error_lift
        }
    }

    /// Mean catalogue price under [`Self::price_weights`].
    pub fn mean_price(&self) -> f64 {
        let total: f64 = self.price_weights.iter().sum();
        self.prices
            .iter()
            .zip(&self.price_weights)
            .map(|(p, w)| p * w / total)
            .sum()
    }

    /// The true per-arm expectations implied by the configuration (human users).
    pub fn expected(&self) -> Vec<VariantTruth> {
        let total_weight: f64 = self.variants.iter().map(|v| v.weight).sum();
        let base_rpu = self.conversion_rate * (1.0 + self.repeat_purchases) * self.mean_price();
        self.variants
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let conversion_lift = self.arm_conversion_lift(i);
                let revenue_lift = self.arm_revenue_lift(i);
                let error_lift = self.arm_error_lift(i);
                VariantTruth {
                    name: v.name.clone(),
                    share: v.weight / total_weight,
                    conversion_rate: self.conversion_rate * (1.0 + conversion_lift),
                    revenue_per_user: base_rpu * (1.0 + revenue_lift),
                    errors_per_user: self.error_rate * (1.0 + error_lift),
                    conversion_lift,
                    revenue_lift,
                    error_lift,
                }
            })
            .collect()
    }

    /// Expected event rows of one human user (excluding views), used to size the
    /// view budget.
    fn fixed_rows_per_human(&self) -> f64 {
        let total_weight: f64 = self.variants.iter().map(|v| v.weight).sum();
        let orders = 1.0 + self.repeat_purchases;
        let mut in_window = 0.0;
        for (i, v) in self.variants.iter().enumerate() {
            let share = v.weight / total_weight;
            let p = self.conversion_rate * (1.0 + self.arm_conversion_lift(i));
            let e = self.error_rate * (1.0 + self.arm_error_lift(i));
            in_window += share * (2.0 * p * orders + e);
        }
        let pre = 2.0 * self.pre_conversion_rate() * orders + self.error_rate * self.pre_scale();
        let after = 2.0 * AFTER_WINDOW_PURCHASE * self.conversion_rate;
        in_window + pre + after
    }

    /// Pre-period length relative to the window.
    fn pre_scale(&self) -> f64 {
        f64::from(self.pre_days) / f64::from(self.window_days)
    }

    /// Probability of a purchase in the pre-period (control behaviour).
    fn pre_conversion_rate(&self) -> f64 {
        (self.conversion_rate * self.pre_scale()).min(0.95)
    }
}

/// The true expectations of one arm.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantTruth {
    /// Variant name.
    pub name: String,
    /// Expected share of users.
    pub share: f64,
    /// Probability that a user converts in the window.
    pub conversion_rate: f64,
    /// Expected revenue per user in the window.
    pub revenue_per_user: f64,
    /// Expected error events per user in the window.
    pub errors_per_user: f64,
    /// Relative lift of the conversion rate over the control.
    pub conversion_lift: f64,
    /// Relative lift of revenue per user over the control.
    pub revenue_lift: f64,
    /// Relative lift of errors per user over the control.
    pub error_lift: f64,
}

/// Exact counts of what was written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Users exposed (humans and bots).
    pub users: u64,
    /// Human users per arm, in [`GeneratorConfig::variants`] order (by first exposure).
    pub users_per_variant: Vec<u64>,
    /// Bot users (all their events are in the window).
    pub bot_users: u64,
    /// Data rows of the exposures file.
    pub exposure_rows: u64,
    /// Second exposures to the same variant.
    pub repeat_exposures: u64,
    /// Users with a second exposure to another variant.
    pub multi_variant_users: u64,
    /// Data rows of the events file.
    pub event_rows: u64,
    /// Event rows of bot users.
    pub bot_events: u64,
    /// Event rows of users never exposed.
    pub unknown_user_events: u64,
    /// Human event rows before exposure (all inside the pre-period).
    pub pre_period_events: u64,
    /// Human event rows inside the analysis window (inclusive bounds).
    pub in_window_events: u64,
    /// Human event rows after the window.
    pub after_window_events: u64,
    /// Bytes written to the exposures writer.
    pub exposure_bytes: u64,
    /// Bytes written to the events writer.
    pub event_bytes: u64,
}

/// What [`generate`] returns: the expectations and the counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Truth {
    /// Per-arm expectations, control first.
    pub variants: Vec<VariantTruth>,
    /// Rows written, by kind.
    pub counts: Counts,
}

/// Why data could not be generated.
#[derive(Debug)]
pub enum GenerateError {
    /// The configuration is inconsistent; the message says which field.
    Config(String),
    /// A writer failed.
    Io(io::Error),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config(msg) => write!(f, "invalid generator settings: {msg}"),
            Self::Io(e) => write!(f, "cannot write generated data: {e}"),
        }
    }
}

impl std::error::Error for GenerateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(e) => Some(e),
            Self::Config(_) => None,
        }
    }
}

impl From<io::Error> for GenerateError {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

/// Event kinds, indexing [`EVENT_NAMES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    View = 0,
    Cart = 1,
    Purchase = 2,
    Error = 3,
}

/// One pending event row of the current block.
#[derive(Clone, Copy, Debug)]
struct Row {
    ts: i64,
    user: u64,
    kind: Kind,
    cents: u64,
}

/// A later exposure waiting for its time to come (kept in a min-heap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Pending {
    ts: i64,
    seq: u64,
    user: u64,
    arm: usize,
    country: usize,
    device: usize,
}

/// A writer that counts the bytes passed through.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Counting<W> {
    fn put(&mut self, buf: &[u8]) -> io::Result<()> {
        self.bytes += buf.len() as u64;
        self.inner.write_all(buf)
    }
}

/// Writes generated exposures and events as CSV to the two writers and returns
/// the truth. Streams: memory is bounded by [`GeneratorConfig::block_users`]
/// users' events, whatever the totals. The writers are flushed at the end; wrap
/// files in a [`io::BufWriter`].
pub fn generate<E: Write, V: Write>(
    config: &GeneratorConfig,
    exposures: E,
    events: V,
) -> Result<Truth, GenerateError> {
    config.check()?;
    let mut g = Generator::new(config);
    let mut exp = Counting {
        inner: exposures,
        bytes: 0,
    };
    let mut evt = Counting {
        inner: events,
        bytes: 0,
    };
    g.run(&mut exp, &mut evt)?;
    exp.inner.flush()?;
    evt.inner.flush()?;
    g.counts.exposure_bytes = exp.bytes;
    g.counts.event_bytes = evt.bytes;
    Ok(Truth {
        variants: config.expected(),
        counts: g.counts,
    })
}

/// Per-arm constants derived once.
struct Arm {
    /// `Φ⁻¹(p_v)`: the conversion threshold on the latent scale.
    threshold: f64,
    /// Order-value multiplier `(1+L)/(1+ℓ)`.
    order_multiplier: f64,
    /// Error events per user in the window.
    errors: Option<Poisson<f64>>,
}

struct Generator<'a> {
    config: &'a GeneratorConfig,
    rng: ChaCha8Rng,
    arms: Vec<Arm>,
    /// Cumulative arm weights (normalised).
    arm_cdf: Vec<f64>,
    price_cdf: Vec<f64>,
    country_cdf: Vec<f64>,
    device_cdf: Vec<f64>,
    pre_threshold: f64,
    repeat: Option<Poisson<f64>>,
    /// Mean views of an average-activity human in the pre-period, window, after.
    views: [f64; 3],
    pre_errors: Option<Poisson<f64>>,
    loading: f64,
    noise: f64,
    multiplier: u64,
    counts: Counts,
    pending: BinaryHeap<Reverse<Pending>>,
    seq: u64,
    rows: Vec<Row>,
    line: Vec<u8>,
    date_cache: (i64, [u8; 10]),
}

/// `Φ⁻¹(p)` for the standard normal.
fn normal_quantile(p: f64) -> f64 {
    -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p)
}

fn cdf(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    let mut out: Vec<f64> = weights
        .map(|w| {
            acc += w;
            acc
        })
        .collect();
    for x in &mut out {
        *x /= acc;
    }
    out
}

fn pick(cdf: &[f64], u: f64) -> usize {
    cdf.iter().position(|&c| u < c).unwrap_or(cdf.len() - 1)
}

fn poisson(mean: f64) -> Option<Poisson<f64>> {
    if mean > 0.0 {
        Poisson::new(mean).ok()
    } else {
        None
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl<'a> Generator<'a> {
    fn new(config: &'a GeneratorConfig) -> Self {
        let arms = (0..config.variants.len())
            .map(|i| {
                let cl = config.arm_conversion_lift(i);
                Arm {
                    threshold: normal_quantile(config.conversion_rate * (1.0 + cl)),
                    order_multiplier: (1.0 + config.arm_revenue_lift(i)) / (1.0 + cl),
                    errors: poisson(config.error_rate * (1.0 + config.arm_error_lift(i))),
                }
            })
            .collect();
        // View budget: target rows per exposed user, minus the fixed rows.
        let n = config.users as f64;
        let b = config.bot_share;
        let per_user = config.events as f64 * (1.0 - config.unknown_user_share) / n;
        let fixed = (1.0 - b) * config.fixed_rows_per_human();
        let per_view_unit = (1.0 - b) + b * BOT_ACTIVITY * VIEW_SPLIT[1];
        let lambda = ((per_user - fixed) / per_view_unit).max(0.0);
        // A multiplier coprime with `users` permutes the ids 1..=users.
        let mut multiplier = ((config.users as f64 * 0.618_033_988_7) as u64) | 1;
        while gcd(multiplier, config.users) != 1 {
            multiplier += 2;
        }
        let c = config.propensity_correlation;
        Self {
            config,
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            arms,
            arm_cdf: cdf(config.variants.iter().map(|v| v.weight)),
            price_cdf: cdf(config.price_weights.iter().copied()),
            country_cdf: cdf(COUNTRIES.iter().map(|c| c.1)),
            device_cdf: cdf(DEVICES.iter().map(|d| d.1)),
            pre_threshold: normal_quantile(config.pre_conversion_rate()),
            repeat: poisson(config.repeat_purchases),
            views: VIEW_SPLIT.map(|s| s * lambda),
            pre_errors: poisson(config.error_rate * config.pre_scale()),
            loading: c.sqrt(),
            noise: (1.0 - c).sqrt(),
            multiplier: multiplier % config.users.max(1),
            counts: Counts {
                users_per_variant: vec![0; config.variants.len()],
                ..Counts::default()
            },
            pending: BinaryHeap::new(),
            seq: 0,
            rows: Vec::new(),
            line: Vec::with_capacity(128),
            date_cache: (i64::MIN, [0; 10]),
        }
    }

    fn run<E: Write, V: Write>(
        &mut self,
        exp: &mut Counting<E>,
        evt: &mut Counting<V>,
    ) -> io::Result<()> {
        let cfg = self.config;
        let bot_column = cfg.bot_column || cfg.bot_share > 0.0;
        let mut header = String::from("user_id,variant,exposure_ts");
        if bot_column {
            header.push_str(",is_bot");
        }
        if cfg.segments {
            header.push_str(",country,device");
        }
        header.push('\n');
        exp.put(header.as_bytes())?;
        evt.put(b"user_id,event,amount,event_ts\n")?;

        let span = i64::from(cfg.days) * DAY;
        let n = cfg.users;
        let mut i = 0u64;
        while i < n {
            let end = (i + cfg.block_users as u64).min(n);
            self.rows.clear();
            for k in i..end {
                let u: f64 = self.rng.random();
                let ts = cfg.start + ((k as f64 + u) / n as f64 * span as f64) as i64;
                self.user(k, ts, bot_column, exp)?;
            }
            self.unknown_users();
            self.rows.sort_by_key(|r| r.ts);
            for r in std::mem::take(&mut self.rows) {
                self.write_event(&r, evt)?;
                self.rows.push(r); // keep the allocation
            }
            i = end;
        }
        while let Some(Reverse(p)) = self.pending.pop() {
            self.write_exposure(
                p.user, p.arm, p.ts, false, p.country, p.device, bot_column, exp,
            )?;
        }
        Ok(())
    }

    fn user_id(&self, k: u64) -> u64 {
        1 + ((u128::from(k) * u128::from(self.multiplier)) % u128::from(self.config.users)) as u64
    }

    fn uniform_offset(&mut self, from: i64, to: i64) -> i64 {
        // Inclusive bounds.
        from + (self.rng.random::<f64>() * (to - from + 1) as f64) as i64
    }

    #[allow(clippy::too_many_arguments)]
    fn write_exposure<E: Write>(
        &mut self,
        user: u64,
        arm: usize,
        ts: i64,
        bot: bool,
        country: usize,
        device: usize,
        bot_column: bool,
        exp: &mut Counting<E>,
    ) -> io::Result<()> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        push_u64(&mut line, user);
        line.push(b',');
        line.extend_from_slice(self.config.variants[arm].name.as_bytes());
        line.push(b',');
        self.push_ts(&mut line, ts);
        if bot_column {
            line.extend_from_slice(if bot { b",1" } else { b",0" });
        }
        if self.config.segments {
            line.push(b',');
            line.extend_from_slice(COUNTRIES[country].0.as_bytes());
            line.push(b',');
            line.extend_from_slice(DEVICES[device].0.as_bytes());
        }
        line.push(b'\n');
        let res = exp.put(&line);
        self.line = line;
        self.counts.exposure_rows += 1;
        res
    }

    fn write_event<V: Write>(&mut self, r: &Row, evt: &mut Counting<V>) -> io::Result<()> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        push_u64(&mut line, r.user);
        line.push(b',');
        line.extend_from_slice(EVENT_NAMES[r.kind as usize].as_bytes());
        line.push(b',');
        push_cents(&mut line, r.cents);
        line.push(b',');
        self.push_ts(&mut line, r.ts);
        line.push(b'\n');
        let res = evt.put(&line);
        self.line = line;
        self.counts.event_rows += 1;
        res
    }

    /// One exposed user: the exposure row (and any later ones), then the events.
    fn user<E: Write>(
        &mut self,
        k: u64,
        ts: i64,
        bot_column: bool,
        exp: &mut Counting<E>,
    ) -> io::Result<()> {
        let cfg = self.config;
        let id = self.user_id(k);
        let arm = pick(&self.arm_cdf, self.rng.random());
        let bot = cfg.bot_share > 0.0 && self.rng.random::<f64>() < cfg.bot_share;
        let (country, device) = if cfg.segments {
            (
                pick(&self.country_cdf, self.rng.random()),
                pick(&self.device_cdf, self.rng.random()),
            )
        } else {
            (0, 0)
        };
        // Earlier later-exposures of other users come first: the file stays in time order.
        while let Some(Reverse(p)) = self.pending.peek().copied() {
            if p.ts > ts {
                break;
            }
            self.pending.pop();
            self.write_exposure(
                p.user, p.arm, p.ts, false, p.country, p.device, bot_column, exp,
            )?;
        }
        self.write_exposure(id, arm, ts, bot, country, device, bot_column, exp)?;
        self.counts.users += 1;

        if bot {
            self.counts.bot_users += 1;
            let views = self.views[1] * BOT_ACTIVITY;
            let n = sample_count(poisson(views).as_ref(), &mut self.rng);
            let window = i64::from(cfg.window_days) * DAY;
            for _ in 0..n {
                let t = self.uniform_offset(ts, ts + window);
                self.push_row(t, id, Kind::View, 0);
            }
            self.counts.bot_events += n;
            return Ok(());
        }
        self.counts.users_per_variant[arm] += 1;

        // A second exposure, later, to the same or another arm.
        let u: f64 = self.rng.random();
        let second_arm = if u < cfg.duplicate_share {
            self.counts.repeat_exposures += 1;
            Some(arm)
        } else if u < cfg.duplicate_share + cfg.multi_variant_share {
            self.counts.multi_variant_users += 1;
            let other = self.rng.random_range(0..cfg.variants.len() - 1);
            Some(if other >= arm { other + 1 } else { other })
        } else {
            None
        };
        if let Some(second) = second_arm {
            let later = self.uniform_offset(3600, 3 * DAY);
            self.seq += 1;
            self.pending.push(Reverse(Pending {
                ts: ts + later,
                seq: self.seq,
                user: id,
                arm: second,
                country,
                device,
            }));
        }
        self.human_events(id, arm, ts);
        Ok(())
    }

    fn human_events(&mut self, id: u64, arm: usize, ts: i64) {
        let cfg = self.config;
        let z: f64 = self.rng.sample(StandardNormal);
        let basket_z: f64 = self.rng.sample(StandardNormal);
        let s = cfg.order_value_sigma;
        let basket = (s * basket_z - 0.5 * s * s).exp();
        let activity = (ACTIVITY_SIGMA * z - 0.5 * ACTIVITY_SIGMA * ACTIVITY_SIGMA).exp();
        let window = i64::from(cfg.window_days) * DAY;
        let pre = i64::from(cfg.pre_days) * DAY;
        let before = self.rows.len();

        // Pre-period: [ts − pre, ts − 1].
        if pre > 0 {
            let e_pre: f64 = self.rng.sample(StandardNormal);
            if self.loading * z + self.noise * e_pre < self.pre_threshold {
                self.orders(id, ts - pre, ts - 1, basket, 1.0);
            }
            let n = sample_count(poisson(self.views[0] * activity).as_ref(), &mut self.rng);
            for _ in 0..n {
                let t = self.uniform_offset(ts - pre, ts - 1);
                self.push_row(t, id, Kind::View, 0);
            }
            let n = sample_count(self.pre_errors.as_ref(), &mut self.rng);
            for _ in 0..n {
                let t = self.uniform_offset(ts - pre, ts - 1);
                self.push_row(t, id, Kind::Error, 0);
            }
        }
        let pre_rows = (self.rows.len() - before) as u64;

        // The window: [ts, ts + window], inclusive.
        let e_win: f64 = self.rng.sample(StandardNormal);
        if self.loading * z + self.noise * e_win < self.arms[arm].threshold {
            let m = self.arms[arm].order_multiplier;
            self.orders(id, ts, ts + window, basket, m);
        }
        let n = sample_count(poisson(self.views[1] * activity).as_ref(), &mut self.rng);
        for _ in 0..n {
            let t = self.uniform_offset(ts, ts + window);
            self.push_row(t, id, Kind::View, 0);
        }
        let errors = self.arms[arm].errors;
        let n = sample_count(errors.as_ref(), &mut self.rng);
        for _ in 0..n {
            let t = self.uniform_offset(ts, ts + window);
            self.push_row(t, id, Kind::Error, 0);
        }
        let window_rows = (self.rows.len() - before) as u64 - pre_rows;

        // After the window: (ts + window, ts + window + 7 days].
        let (from, to) = (ts + window + 1, ts + window + 7 * DAY);
        if self.rng.random::<f64>() < AFTER_WINDOW_PURCHASE * cfg.conversion_rate {
            let price = self.price();
            let cents = (price * basket * 100.0).round() as u64;
            let t = self.uniform_offset(from + 1800, to);
            let cart = t - self.rng.random_range(30..1800);
            self.push_row(cart, id, Kind::Cart, 0);
            self.push_row(t, id, Kind::Purchase, cents);
        }
        let n = sample_count(poisson(self.views[2] * activity).as_ref(), &mut self.rng);
        for _ in 0..n {
            let t = self.uniform_offset(from, to);
            self.push_row(t, id, Kind::View, 0);
        }
        let total = (self.rows.len() - before) as u64;
        self.counts.pre_period_events += pre_rows;
        self.counts.in_window_events += window_rows;
        self.counts.after_window_events += total - pre_rows - window_rows;
    }

    /// `1 + Poisson(repeat)` orders in `[from, to]`, each an `add_to_cart` then a
    /// `purchase`, both inside the range. Orders lean towards the start.
    fn orders(&mut self, id: u64, from: i64, to: i64, basket: f64, multiplier: f64) {
        let n = 1 + sample_count(self.repeat.as_ref(), &mut self.rng);
        for _ in 0..n {
            let u: f64 = self.rng.random();
            let t = from + (u * u * (to - from + 1) as f64) as i64;
            let cart = (t - self.rng.random_range(30..1800)).max(from);
            let price = self.price();
            let cents = (price * basket * multiplier * 100.0).round() as u64;
            self.push_row(cart, id, Kind::Cart, 0);
            self.push_row(t, id, Kind::Purchase, cents);
        }
    }

    fn price(&mut self) -> f64 {
        self.config.prices[pick(&self.price_cdf, self.rng.random())]
    }

    /// Rows of never-exposed users, a share of the block's rows.
    fn unknown_users(&mut self) {
        let share = self.config.unknown_user_share;
        if share <= 0.0 || self.rows.is_empty() {
            return;
        }
        let expected = self.rows.len() as f64 * share / (1.0 - share);
        let n = sample_count(poisson(expected).as_ref(), &mut self.rng);
        let (lo, hi) = self.rows.iter().fold((i64::MAX, i64::MIN), |(lo, hi), r| {
            (lo.min(r.ts), hi.max(r.ts))
        });
        let users = self.config.users;
        for _ in 0..n {
            let id = users + 1 + self.rng.random_range(0..users.div_ceil(10));
            let t = self.uniform_offset(lo, hi);
            self.push_row(t, id, Kind::View, 0);
        }
        self.counts.unknown_user_events += n;
    }

    fn push_row(&mut self, ts: i64, user: u64, kind: Kind, cents: u64) {
        self.rows.push(Row {
            ts,
            user,
            kind,
            cents,
        });
    }

    fn push_ts(&mut self, out: &mut Vec<u8>, ts: i64) {
        let day = ts.div_euclid(DAY);
        let secs = ts.rem_euclid(DAY);
        if self.date_cache.0 != day {
            self.date_cache = (day, civil_date(day));
        }
        out.extend_from_slice(&self.date_cache.1);
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        out.extend_from_slice(&[
            b' ',
            b'0' + (h / 10) as u8,
            b'0' + (h % 10) as u8,
            b':',
            b'0' + (m / 10) as u8,
            b'0' + (m % 10) as u8,
            b':',
            b'0' + (s / 10) as u8,
            b'0' + (s % 10) as u8,
        ]);
    }
}

fn sample_count(dist: Option<&Poisson<f64>>, rng: &mut ChaCha8Rng) -> u64 {
    dist.map_or(0, |d| d.sample(rng) as u64)
}

/// `YYYY-MM-DD` of a day number since 1970-01-01 (proleptic Gregorian; H. Hinnant's
/// `civil_from_days`). Years outside 0..=9999 are clamped.
fn civil_date(days: i64) -> [u8; 10] {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = (yoe + era * 400 + i64::from(m <= 2)).clamp(0, 9999);
    let digit = |x: i64| b'0' + x as u8;
    [
        digit(y / 1000),
        digit(y / 100 % 10),
        digit(y / 10 % 10),
        digit(y % 10),
        b'-',
        digit(m / 10),
        digit(m % 10),
        b'-',
        digit(d / 10),
        digit(d % 10),
    ]
}

fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// `0` for zero, else `units.cc`.
fn push_cents(out: &mut Vec<u8>, cents: u64) {
    if cents == 0 {
        out.push(b'0');
        return;
    }
    push_u64(out, cents / 100);
    let c = cents % 100;
    out.extend_from_slice(&[b'.', b'0' + (c / 10) as u8, b'0' + (c % 10) as u8]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(config: &GeneratorConfig) -> (String, String, Truth) {
        let (mut e, mut v) = (Vec::new(), Vec::new());
        let truth = generate(config, &mut e, &mut v).unwrap();
        (
            String::from_utf8(e).unwrap(),
            String::from_utf8(v).unwrap(),
            truth,
        )
    }

    #[test]
    fn dates_match_known_days() {
        assert_eq!(&civil_date(0), b"1970-01-01");
        assert_eq!(&civil_date(19_723), b"2024-01-01");
        assert_eq!(&civil_date(19_782), b"2024-02-29");
        assert_eq!(&civil_date(-1), b"1969-12-31");
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let mut config = GeneratorConfig::new(500, 5_000);
        let a = run(&config);
        let b = run(&config);
        assert_eq!(a.0, b.0);
        assert_eq!(a.1, b.1);
        config.seed = 43;
        let c = run(&config);
        assert_ne!(a.1, c.1);
    }

    #[test]
    fn counts_add_up_and_match_the_files() {
        let mut config = GeneratorConfig::new(3_000, 40_000);
        config.bot_share = 0.02;
        config.segments = true;
        config.block_users = 257;
        let (exp, evt, truth) = run(&config);
        let c = &truth.counts;
        assert_eq!(exp.lines().count() as u64 - 1, c.exposure_rows);
        assert_eq!(evt.lines().count() as u64 - 1, c.event_rows);
        assert_eq!(
            c.exposure_rows,
            c.users + c.repeat_exposures + c.multi_variant_users
        );
        assert_eq!(
            c.event_rows,
            c.bot_events
                + c.unknown_user_events
                + c.pre_period_events
                + c.in_window_events
                + c.after_window_events
        );
        assert_eq!(
            c.users,
            c.bot_users + c.users_per_variant.iter().sum::<u64>()
        );
        assert!(exp.starts_with("user_id,variant,exposure_ts,is_bot,country,device\n"));
        // Close to the target.
        let ratio = c.event_rows as f64 / 40_000.0;
        assert!((0.9..1.1).contains(&ratio), "{ratio}");
        // Unique ids 1..=users.
        let mut ids: Vec<u64> = exp
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().parse().unwrap())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len() as u64, c.users);
        assert_eq!(ids[0], 1);
        assert_eq!(*ids.last().unwrap(), c.users);
    }

    #[test]
    fn exposures_are_in_time_order() {
        let (exp, _, _) = run(&GeneratorConfig::new(2_000, 10_000));
        let ts: Vec<&str> = exp
            .lines()
            .skip(1)
            .map(|l| l.rsplit(',').next().unwrap())
            .collect();
        assert!(ts.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn bad_settings_are_rejected() {
        let mut config = GeneratorConfig::new(10, 10);
        config.variants.truncate(1);
        assert!(matches!(
            generate(&config, io::sink(), io::sink()),
            Err(GenerateError::Config(_))
        ));
        let mut config = GeneratorConfig::new(10, 10);
        config.conversion_rate = 0.99;
        assert!(config.check().is_err());
    }

    /// Seconds since 1970 of `YYYY-MM-DD HH:MM:SS` (H. Hinnant's `days_from_civil`).
    fn parse_ts(s: &str) -> i64 {
        let d: Vec<i64> = s
            .split([' ', '-', ':'])
            .map(|x| x.parse().unwrap())
            .collect();
        let (y, m) = if d[1] <= 2 {
            (d[0] - 1, d[1] + 9)
        } else {
            (d[0], d[1] - 3)
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * m + 2) / 5 + d[2] - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        (era * 146_097 + doe - 719_468) * DAY + d[3] * 3600 + d[4] * 60 + d[5]
    }

    #[test]
    fn timestamps_round_trip() {
        let config = GeneratorConfig::new(1, 1);
        for day in [-700_000, -1, 0, 59, 19_782, 2_932_896] {
            let mut g = Generator::new(&config);
            let mut out = Vec::new();
            g.push_ts(&mut out, day * DAY + 3_723);
            assert_eq!(
                parse_ts(std::str::from_utf8(&out).unwrap()),
                day * DAY + 3_723
            );
        }
    }

    #[test]
    fn estimates_land_near_the_truth() {
        let mut config = GeneratorConfig::new(60_000, 300_000);
        config.variants[1].conversion_lift = 0.25;
        config.variants[1].revenue_lift = 0.30;
        let (exp, evt, truth) = run(&config);
        // The course's pipeline, naively: first exposure, 7-day inclusive window.
        let mut first = std::collections::HashMap::new();
        for l in exp.lines().skip(1) {
            let f: Vec<&str> = l.split(',').collect();
            first
                .entry(f[0].to_string())
                .or_insert((usize::from(f[1] == "variant"), parse_ts(f[2])));
        }
        let mut per_user: std::collections::HashMap<&str, (bool, f64)> =
            std::collections::HashMap::new();
        let mut counted = 0u64;
        for l in evt.lines().skip(1) {
            let f: Vec<&str> = l.split(',').collect();
            let Some(&(_, t0)) = first.get(f[0]) else {
                continue;
            };
            let t = parse_ts(f[3]);
            if t >= t0 && t <= t0 + 7 * DAY {
                counted += 1;
                if f[1] == "purchase" {
                    let e = per_user.entry(f[0]).or_default();
                    e.0 = true;
                    e.1 += f[2].parse::<f64>().unwrap();
                }
            }
        }
        assert_eq!(counted, truth.counts.in_window_events);
        let mut n = [0.0f64; 2];
        let mut conv = [0.0f64; 2];
        let mut rev = [0.0f64; 2];
        let mut rev2 = [0.0f64; 2];
        for (id, (arm, _)) in &first {
            let (c, r) = per_user.get(id.as_str()).copied().unwrap_or_default();
            n[*arm] += 1.0;
            conv[*arm] += f64::from(u8::from(c));
            rev[*arm] += r;
            rev2[*arm] += r * r;
        }
        for arm in 0..2 {
            let t = &truth.variants[arm];
            let cr = conv[arm] / n[arm];
            let se = (t.conversion_rate * (1.0 - t.conversion_rate) / n[arm]).sqrt();
            assert!(
                (cr - t.conversion_rate).abs() < 4.0 * se,
                "arm {arm}: {cr} vs {t:?}"
            );
            let rpu = rev[arm] / n[arm];
            let se = ((rev2[arm] / n[arm] - rpu * rpu) / n[arm]).sqrt();
            assert!(
                (rpu - t.revenue_per_user).abs() < 4.0 * se,
                "arm {arm}: {rpu} vs {t:?}"
            );
        }
        let share = n[1] / (n[0] + n[1]);
        assert!((share - 0.5).abs() < 0.01, "{share}");
    }
}
