//! The generator's state and its main loop: users in exposure order, one block at
//! a time, each block's events sorted by time and written before the next.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{self, Write};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::config::GeneratorConfig;
use super::dist::{cdf, gcd, normal_quantile, pick, poisson, sample_count, Poisson};
use super::events::{Kind, Row};
use super::exposures::{Pending, COUNTRIES, DEVICES};
use super::text::{Counting, Timestamps};
use super::truth::Counts;
use super::DAY;

/// How much more bots browse than the average human.
pub(super) const BOT_ACTIVITY: f64 = 10.0;

/// Log-scale standard deviation of user activity (views).
pub(super) const ACTIVITY_SIGMA: f64 = 0.8;

/// Share of the view budget spent before exposure, inside the window, and after it.
pub(super) const VIEW_SPLIT: [f64; 3] = [0.25, 0.60, 0.15];

/// Probability of a (non-counting) purchase after the window, relative to the
/// control's conversion rate.
pub(super) const AFTER_WINDOW_PURCHASE: f64 = 0.3;

/// Per-arm constants derived once.
pub(super) struct Arm {
    /// `Φ⁻¹(p_v)`: the conversion threshold on the latent scale.
    pub(super) threshold: f64,
    /// Order-value multiplier `(1+L)/(1+ℓ)`.
    pub(super) order_multiplier: f64,
    /// Error events per user in the window.
    pub(super) errors: Option<Poisson>,
}

pub(super) struct Generator<'a> {
    pub(super) config: &'a GeneratorConfig,
    pub(super) rng: ChaCha8Rng,
    pub(super) arms: Vec<Arm>,
    /// Cumulative arm weights (normalised).
    pub(super) arm_cdf: Vec<f64>,
    pub(super) price_cdf: Vec<f64>,
    pub(super) country_cdf: Vec<f64>,
    pub(super) device_cdf: Vec<f64>,
    pub(super) pre_threshold: f64,
    pub(super) repeat: Option<Poisson>,
    /// Mean views of an average-activity human in the pre-period, window, after.
    pub(super) views: [f64; 3],
    pub(super) pre_errors: Option<Poisson>,
    /// `√c`: weight of the propensity in the latent purchase scores.
    pub(super) loading: f64,
    /// `√(1−c)`: weight of the fresh noise.
    pub(super) noise: f64,
    /// Multiplier that permutes the user ids.
    pub(super) multiplier: u64,
    pub(super) counts: Counts,
    /// Later exposures, by time.
    pub(super) pending: BinaryHeap<Reverse<Pending>>,
    pub(super) seq: u64,
    /// The current block's events.
    pub(super) rows: Vec<Row>,
    /// The line being written (reused).
    pub(super) line: Vec<u8>,
    pub(super) timestamps: Timestamps,
    /// Whether the exposures file has an `is_bot` column.
    pub(super) bot_column: bool,
}

impl<'a> Generator<'a> {
    pub(super) fn new(config: &'a GeneratorConfig) -> Self {
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
            timestamps: Timestamps::new(),
            bot_column: config.bot_column || config.bot_share > 0.0,
        }
    }

    /// Writes both files: headers, then block after block of users.
    pub(super) fn run<E: Write, V: Write>(
        &mut self,
        exp: &mut Counting<E>,
        evt: &mut Counting<V>,
    ) -> io::Result<()> {
        let cfg = self.config;
        self.write_exposure_header(exp)?;
        self.write_event_header(evt)?;

        let span = i64::from(cfg.days) * DAY;
        let n = cfg.users;
        let mut i = 0u64;
        while i < n {
            let end = (i + cfg.block_users as u64).min(n);
            self.rows.clear();
            for k in i..end {
                let u: f64 = self.rng.random();
                let ts = cfg.start + ((k as f64 + u) / n as f64 * span as f64) as i64;
                self.user(k, ts, exp)?;
            }
            self.unknown_users();
            self.write_events(evt)?;
            i = end;
        }
        self.write_pending(i64::MAX, exp)
    }

    /// The id of the `k`-th exposed user: a permutation of 1..=users.
    fn user_id(&self, k: u64) -> u64 {
        1 + ((u128::from(k) * u128::from(self.multiplier)) % u128::from(self.config.users)) as u64
    }

    /// A uniform second in `[from, to]` (inclusive bounds).
    pub(super) fn uniform_offset(&mut self, from: i64, to: i64) -> i64 {
        from + (self.rng.random::<f64>() * (to - from + 1) as f64) as i64
    }

    /// One exposed user: the exposure row (and any later ones), then the events.
    fn user<E: Write>(&mut self, k: u64, ts: i64, exp: &mut Counting<E>) -> io::Result<()> {
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
        self.write_pending(ts, exp)?;
        let first = Pending {
            ts,
            seq: 0,
            user: id,
            arm,
            country,
            device,
        };
        self.write_exposure(&first, bot, exp)?;
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
        if let Some(users) = self.counts.users_per_variant.get_mut(arm) {
            *users += 1;
        }
        self.second_exposure(&first);
        self.human_events(id, arm, ts);
        Ok(())
    }
}
