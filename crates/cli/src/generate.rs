//! `splitscope generate`: realistic synthetic data with a known truth.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use splitscope_engine::generate::{generate, GenerateError, GeneratorConfig, VariantSpec};
use splitscope_engine::plan::{Direction, MetricKind, MetricSpec, Plan, Role, Span};

use crate::error::CliError;

/// Arguments of `splitscope generate`. Writes `exposures.csv`, `events.csv`, a
/// matching `plan.json` (CUPED on, an `errors` guardrail, bot and segment columns
/// when written) and `truth.json` (true effects and exact row counts) into `--out`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Users exposed (humans and bots).
    #[arg(long)]
    pub users: u64,
    /// Target number of event rows (met in expectation).
    #[arg(long)]
    pub events: u64,
    /// Directory to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Seed of the generator: the same settings and seed write the same bytes.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Variant names, comma-separated; the first is the control.
    #[arg(long, value_delimiter = ',', default_value = "control,variant")]
    pub variants: Vec<String>,
    /// Relative share of users per variant, comma-separated (default: equal).
    #[arg(long, value_delimiter = ',')]
    pub weights: Vec<f64>,
    /// True relative conversion lift of each treatment (one value, or one per treatment).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "0.05",
        allow_negative_numbers = true
    )]
    pub conversion_lift: Vec<f64>,
    /// True relative revenue-per-user lift of each treatment.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "0.08",
        allow_negative_numbers = true
    )]
    pub revenue_lift: Vec<f64>,
    /// True relative lift of error events per user (the guardrail) of each treatment.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "0",
        allow_negative_numbers = true
    )]
    pub error_lift: Vec<f64>,
    /// The control's conversion rate in the window.
    #[arg(long, default_value_t = 0.08)]
    pub conversion_rate: f64,
    /// The control's error events per user in the window.
    #[arg(long, default_value_t = 0.05)]
    pub error_rate: f64,
    /// First exposure day, `YYYY-MM-DD` (UTC).
    #[arg(long, default_value = "2024-03-01")]
    pub start: String,
    /// Days over which exposures are spread.
    #[arg(long, default_value_t = 14)]
    pub days: u32,
    /// Analysis window in days (written into plan.json).
    #[arg(long, default_value_t = 7)]
    pub window_days: u32,
    /// Pre-period in days, for CUPED (written into plan.json).
    #[arg(long, default_value_t = 7)]
    pub pre_days: u32,
    /// Share of users that are bots (adds an `is_bot` column).
    #[arg(long, default_value_t = 0.0)]
    pub bots: f64,
    /// Share of users exposed twice to the same variant.
    #[arg(long, default_value_t = 0.05)]
    pub duplicates: f64,
    /// Share of users exposed a second time to another variant.
    #[arg(long, default_value_t = 0.005)]
    pub multi_variant: f64,
    /// Share of event rows from users never exposed.
    #[arg(long, default_value_t = 0.002)]
    pub unknown_users: f64,
    /// Correlation of pre-period and in-window purchase propensity (CUPED's strength).
    #[arg(long, default_value_t = 0.6)]
    pub correlation: f64,
    /// Log-scale standard deviation of users' order values (revenue skew).
    #[arg(long, default_value_t = 0.6)]
    pub order_value_sigma: f64,
    /// Add `country` and `device` columns to the exposures file.
    #[arg(long)]
    pub segments: bool,
    /// Write an `is_bot` column even without bots.
    #[arg(long)]
    pub bot_column: bool,
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (H. Hinnant's `days_from_civil`).
fn parse_date(s: &str) -> Option<i64> {
    let mut parts = s.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    let month_days = [
        31,
        28 + i64::from(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)),
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m)
        || d < 1
        || d > month_days[(m - 1) as usize]
        || !(1..=9999).contains(&y)
    {
        return None;
    }
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The lift of treatment `i` (1-based among treatments): one value for all, or one each.
fn lift(values: &[f64], i: usize, what: &str) -> Result<f64, CliError> {
    match values.len() {
        0 => Ok(0.0),
        1 => Ok(values[0]),
        _ => values.get(i - 1).copied().ok_or_else(|| {
            CliError::Input(format!(
                "--{what} lists {} values; give one per treatment",
                values.len()
            ))
        }),
    }
}

/// The generator settings these arguments describe.
pub fn config(args: &GenerateArgs) -> Result<GeneratorConfig, CliError> {
    let mut config = GeneratorConfig::new(args.users, args.events);
    if args.variants.len() < 2 {
        return Err(CliError::Input(
            "--variants needs at least two names (the first is the control)".into(),
        ));
    }
    if !args.weights.is_empty() && args.weights.len() != args.variants.len() {
        return Err(CliError::Input(format!(
            "--weights lists {} values for {} variants",
            args.weights.len(),
            args.variants.len()
        )));
    }
    config.variants = args
        .variants
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut v = VariantSpec::new(name.trim(), 0.0, 0.0);
            v.weight = args.weights.get(i).copied().unwrap_or(1.0);
            if i > 0 {
                v.conversion_lift = lift(&args.conversion_lift, i, "conversion-lift")?;
                v.revenue_lift = lift(&args.revenue_lift, i, "revenue-lift")?;
                v.error_lift = lift(&args.error_lift, i, "error-lift")?;
            }
            Ok(v)
        })
        .collect::<Result<_, CliError>>()?;
    config.seed = args.seed;
    config.start = parse_date(&args.start).ok_or_else(|| {
        CliError::Input(format!("--start {:?} is not a YYYY-MM-DD date", args.start))
    })? * 86_400;
    config.days = args.days;
    config.window_days = args.window_days;
    config.pre_days = args.pre_days;
    config.conversion_rate = args.conversion_rate;
    config.error_rate = args.error_rate;
    config.bot_share = args.bots;
    config.bot_column = args.bot_column;
    config.duplicate_share = args.duplicates;
    config.multi_variant_share = args.multi_variant;
    config.unknown_user_share = args.unknown_users;
    config.propensity_correlation = args.correlation;
    config.order_value_sigma = args.order_value_sigma;
    config.segments = args.segments;
    config.check().map_err(|e| CliError::Input(e.to_string()))?;
    Ok(config)
}

/// A plan that reads the generated files: control, window, pre-period, bot and
/// segment columns, CUPED on, and an `errors` guardrail next to the course metrics.
pub fn plan_for(config: &GeneratorConfig) -> Plan {
    let mut plan = Plan {
        name: "generated experiment".into(),
        control: config.variants[0].name.clone(),
        window: Span::days(i64::from(config.window_days)),
        ..Plan::default()
    };
    plan.cuped.enabled = true;
    plan.cuped.pre_window = Span::days(i64::from(config.pre_days));
    if config.bot_column || config.bot_share > 0.0 {
        plan.exposures.bot_flag = Some("is_bot".into());
    }
    if config.segments {
        plan.exposures.segments = vec!["country".into(), "device".into()];
    }
    let mut errors = MetricSpec::new(
        "errors",
        MetricKind::Count {
            event: "error".into(),
        },
        Role::Guardrail,
    );
    errors.good_direction = Direction::Decrease;
    errors.margin = Some(0.1);
    plan.metrics.push(errors);
    plan
}

fn create(path: &PathBuf) -> Result<BufWriter<File>, CliError> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| CliError::Input(format!("cannot create {}: {e}", path.display())))
}

/// `splitscope generate`.
pub fn run(args: &GenerateArgs) -> Result<(), CliError> {
    let config = config(args)?;
    fs::create_dir_all(&args.out)
        .map_err(|e| CliError::Input(format!("cannot create {}: {e}", args.out.display())))?;
    let exposures_path = args.out.join("exposures.csv");
    let events_path = args.out.join("events.csv");
    let started = Instant::now();
    let truth = generate(&config, create(&exposures_path)?, create(&events_path)?).map_err(
        |e| match e {
            GenerateError::Config(_) => CliError::Input(e.to_string()),
            GenerateError::Io(io) => CliError::write("generated data", io),
        },
    )?;
    let elapsed = started.elapsed();
    let plan = plan_for(&config);
    let write = |name: &str, text: String| {
        let path = args.out.join(name);
        fs::write(&path, text).map_err(|e| CliError::write(&path.display().to_string(), e))
    };
    write("plan.json", plan.to_json_pretty() + "\n")?;
    let truth_json = serde_json::to_string_pretty(&truth)
        .map_err(|e| CliError::Internal(format!("cannot serialise the truth: {e}")))?;
    write("truth.json", truth_json + "\n")?;
    let c = &truth.counts;
    let mut summary = format!(
        "wrote {} exposure rows ({} users) and {} event rows to {} in {:.2} s\n",
        c.exposure_rows,
        c.users,
        c.event_rows,
        args.out.display(),
        elapsed.as_secs_f64()
    );
    for v in &truth.variants {
        summary.push_str(&format!(
            "  {:<12} share {:.3}  true cr {:.5}  true rpu {:.5}  true errors/user {:.5}\n",
            v.name, v.share, v.conversion_rate, v.revenue_per_user, v.errors_per_user
        ));
    }
    let d = args.out.display();
    summary.push_str(&format!(
        "next: splitscope analyze --exposures {d}/exposures.csv --events {d}/events.csv --plan {d}/plan.json --format text\n"
    ));
    crate::error::print_stdout(&summary)
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2024-03-01"), Some(19_783));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("x"), None);
    }
}
