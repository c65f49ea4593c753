//! What shapes the generated data: [`GeneratorConfig`] and its arms
//! ([`VariantSpec`]), their checks and the expectations they imply.

use super::generator::AFTER_WINDOW_PURCHASE;
use super::truth::{GenerateError, VariantTruth};

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
    /// [`Counts::event_rows`](super::Counts::event_rows)).
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

    /// Checks the configuration; every [`generate`](super::generate) call does this first.
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
            if self.variants.iter().take(i).any(|o| o.name == v.name) {
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

    pub(super) fn arm_conversion_lift(&self, arm: usize) -> f64 {
        match self.variants.get(arm) {
            Some(v) if arm > 0 => v.conversion_lift,
            _ => 0.0,
        }
    }

    pub(super) fn arm_revenue_lift(&self, arm: usize) -> f64 {
        match self.variants.get(arm) {
            Some(v) if arm > 0 => v.revenue_lift,
            _ => 0.0,
        }
    }

    pub(super) fn arm_error_lift(&self, arm: usize) -> f64 {
        match self.variants.get(arm) {
            Some(v) if arm > 0 => v.error_lift,
            _ => 0.0,
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
    pub(super) fn fixed_rows_per_human(&self) -> f64 {
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
    pub(super) fn pre_scale(&self) -> f64 {
        f64::from(self.pre_days) / f64::from(self.window_days)
    }

    /// Probability of a purchase in the pre-period (control behaviour).
    pub(super) fn pre_conversion_rate(&self) -> f64 {
        (self.conversion_rate * self.pre_scale()).min(0.95)
    }
}
