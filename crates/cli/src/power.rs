//! `splitscope power`: sample size, duration or minimum detectable effect (MDE)
//! of a two-sided two-sample z-test, for a conversion rate (proportions) or a
//! mean, with the engine's `infer::power` (statsmodels' `NormalIndPower`
//! conventions; see `docs/cli.md`).

use std::fs;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;
use splitscope_engine::infer::power::{
    duration_days, mde_means, mde_proportions, sample_size_means, sample_size_proportions,
};

use crate::error::CliError;

/// Output formats of `power`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PowerFormat {
    /// A few readable lines.
    Text,
    /// The inputs and results as JSON.
    Json,
}

/// Arguments of `splitscope power`. The baseline comes from `--baseline` (a
/// conversion rate), from `--sd` (a mean's per-user standard deviation, with
/// `--mean` for relative MDEs) or from an earlier report (`--from-report` and
/// `--metric`); `--mde`/`--mde-abs` ask for the sample size, `--users` for the MDE.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["baseline", "sd", "from_report"])))]
#[command(group(clap::ArgGroup::new("target").required(true).args(["mde", "mde_abs", "users"])))]
pub struct PowerArgs {
    /// The control's conversion rate (proportions), e.g. 0.08.
    #[arg(long, value_name = "RATE")]
    pub baseline: Option<f64>,
    /// Per-user standard deviation of the metric (means).
    #[arg(long, value_name = "SD")]
    pub sd: Option<f64>,
    /// The control's mean per user (means; needed for a relative `--mde`).
    #[arg(
        long,
        value_name = "MEAN",
        requires = "sd",
        allow_negative_numbers = true
    )]
    pub mean: Option<f64>,
    /// Take the baseline from the control arm (`variants[0]`) of an earlier
    /// `splitscope analyze` or `stats` JSON report: a conversion metric's mean is
    /// the rate, another metric's mean and variance give the mean and SD.
    #[arg(long, value_name = "REPORT", requires = "metric")]
    pub from_report: Option<PathBuf>,
    /// The metric to read from `--from-report`.
    #[arg(long, value_name = "NAME", requires = "from_report")]
    pub metric: Option<String>,
    /// Relative minimum detectable effect (0.05 = +5 %): solve for the sample size.
    #[arg(long, value_name = "REL", allow_negative_numbers = true)]
    pub mde: Option<f64>,
    /// Absolute minimum detectable effect (in the metric's units, or rate points
    /// for proportions): solve for the sample size.
    #[arg(long, value_name = "ABS", allow_negative_numbers = true)]
    pub mde_abs: Option<f64>,
    /// Total users available (both arms): solve for the MDE instead.
    #[arg(long, value_name = "N")]
    pub users: Option<u64>,
    /// Two-sided significance level.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Power (1 − β).
    #[arg(long, default_value_t = 0.8)]
    pub power: f64,
    /// Share of users in the treatment arm.
    #[arg(long, default_value_t = 0.5, value_name = "SHARE")]
    pub treatment_share: f64,
    /// Users entering the experiment per day: adds the duration in days.
    #[arg(long, value_name = "N")]
    pub daily_users: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PowerFormat::Text)]
    pub format: PowerFormat,
}

/// What `power` computed (`--format json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PowerResult {
    /// `proportions` or `means`.
    pub kind: &'static str,
    /// `sample_size` (from an MDE) or `mde` (from a number of users).
    pub solve: &'static str,
    /// Where the baseline came from: `arguments`, or `REPORT#METRIC`.
    pub source: String,
    /// The control's conversion rate (proportions) or mean (means, when known).
    pub baseline: Option<f64>,
    /// Per-user standard deviation (means).
    pub sd: Option<f64>,
    /// Two-sided significance level.
    pub alpha: f64,
    /// Power.
    pub power: f64,
    /// Share of users in the treatment arm.
    pub treatment_share: f64,
    /// Relative MDE (given, or solved); `null` for a mean without a known baseline.
    pub mde_relative: Option<f64>,
    /// Absolute MDE (given, or solved).
    pub mde_absolute: Option<f64>,
    /// Users in the control arm (needed, or given).
    pub control_users: u64,
    /// Users in the treatment arm (needed, or given).
    pub treatment_users: u64,
    /// Users in both arms (needed, or given).
    pub total_users: u64,
    /// Unrounded total solving the power equation (sample-size mode only).
    pub total_exact: Option<f64>,
    /// Users per day, when given.
    pub daily_users: Option<f64>,
    /// Days to enrol `total_users` at `daily_users` a day.
    pub duration_days: Option<u64>,
}

/// The baseline of the computation.
enum Baseline {
    /// A conversion rate.
    Rate(f64),
    /// A mean's standard deviation, and the mean when known.
    Mean { sd: f64, mean: Option<f64> },
}

fn input(msg: impl Into<String>) -> CliError {
    CliError::Input(msg.into())
}

/// Reads the control arm's statistics of `metric` from a JSON report.
fn from_report(path: &std::path::Path, metric: &str) -> Result<Baseline, CliError> {
    let what = path.display();
    let text =
        fs::read_to_string(path).map_err(|e| input(format!("cannot read report {what}: {e}")))?;
    let report: Value = serde_json::from_str(&text)
        .map_err(|e| input(format!("{what}: not a JSON report: {e}")))?;
    let named = |list: Option<&Value>| {
        list.and_then(Value::as_array)?
            .iter()
            .find(|m| m.get("name").and_then(Value::as_str) == Some(metric))
            .cloned()
    };
    let stats = named(report.pointer("/variants/0/metrics")).ok_or_else(|| {
        input(format!(
            "{what}: the control arm has no metric {metric:?} (variants[0].metrics[].name)"
        ))
    })?;
    let kind = named(report.get("metrics"))
        .and_then(|m| m.get("kind").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();
    let mean = stats.get("mean").and_then(Value::as_f64);
    let variance = stats.get("variance").and_then(Value::as_f64);
    match (kind.as_str(), mean, variance) {
        ("ratio", _, _) => Err(input(format!(
            "{what}: {metric:?} is a ratio metric; its per-user variance is not in the report, \
             use --sd"
        ))),
        ("conversion", Some(rate), _) => Ok(Baseline::Rate(rate)),
        (_, Some(mean), Some(variance)) if variance >= 0.0 => Ok(Baseline::Mean {
            sd: variance.sqrt(),
            mean: Some(mean),
        }),
        _ => Err(input(format!(
            "{what}: the control's mean and variance of {metric:?} are missing"
        ))),
    }
}

/// `splitscope power`.
pub fn run(args: &PowerArgs) -> Result<(), CliError> {
    let result = compute(args)?;
    let text = match args.format {
        PowerFormat::Json => {
            serde_json::to_string_pretty(&result)
                .map_err(|e| CliError::Internal(format!("cannot serialise the result: {e}")))?
                + "\n"
        }
        PowerFormat::Text => to_text(&result),
    };
    crate::error::print_stdout(&text)
}

/// The computation behind `splitscope power`.
pub fn compute(args: &PowerArgs) -> Result<PowerResult, CliError> {
    let (baseline, source) = match (&args.from_report, &args.metric, args.baseline, args.sd) {
        (Some(path), Some(metric), _, _) => (
            from_report(path, metric)?,
            format!("{}#{metric}", path.display()),
        ),
        (_, _, Some(rate), _) => (Baseline::Rate(rate), "arguments".into()),
        (_, _, _, Some(sd)) => (
            Baseline::Mean {
                sd,
                mean: args.mean,
            },
            "arguments".into(),
        ),
        _ => {
            return Err(input(
                "give --baseline, --sd or --from-report with --metric",
            ))
        }
    };
    let (a, p, s) = (args.alpha, args.power, args.treatment_share);
    let invalid = || {
        input(format!(
            "no answer for these settings: check that 0 < alpha ({a}) < power ({p}) < 1, \
             0 < treatment share ({s}) < 1, the baseline is valid (a rate in (0, 1), a positive \
             SD), the MDE is non-zero and keeps the rate in (0, 1), and the numbers are not \
             absurdly large"
        ))
    };
    let (kind, rate_or_mean, sd) = match baseline {
        Baseline::Rate(rate) => ("proportions", Some(rate), None),
        Baseline::Mean { sd, mean } => ("means", mean, Some(sd)),
    };
    // Relative ↔ absolute: both refer to the baseline rate or mean.
    let to_abs = |rel: f64| rate_or_mean.map(|m| rel * m);
    let to_rel = |abs: f64| rate_or_mean.filter(|m| *m != 0.0).map(|m| abs / m);
    let mut result = PowerResult {
        kind,
        solve: "sample_size",
        source,
        baseline: rate_or_mean,
        sd,
        alpha: a,
        power: p,
        treatment_share: s,
        mde_relative: None,
        mde_absolute: None,
        control_users: 0,
        treatment_users: 0,
        total_users: 0,
        total_exact: None,
        daily_users: args.daily_users,
        duration_days: None,
    };
    if let Some(users) = args.users {
        result.solve = "mde";
        let (rel, abs) = match (rate_or_mean, sd) {
            (Some(rate), None) => {
                let rel = mde_proportions(rate, users, a, p, s).ok_or_else(invalid)?;
                (Some(rel), Some(rel * rate))
            }
            (_, Some(sd)) => {
                let abs = mde_means(sd, users, a, p, s).ok_or_else(invalid)?;
                (to_rel(abs), Some(abs))
            }
            (None, None) => return Err(invalid()),
        };
        result.mde_relative = rel;
        result.mde_absolute = abs;
        result.treatment_users = (s * users as f64).round() as u64;
        result.control_users = users - result.treatment_users.min(users);
        result.total_users = users;
    } else {
        let (rel, abs) = match (args.mde, args.mde_abs) {
            (Some(rel), _) => (Some(rel), to_abs(rel)),
            (None, Some(abs)) => (to_rel(abs), Some(abs)),
            (None, None) => return Err(input("give --mde, --mde-abs or --users")),
        };
        let n = match (rate_or_mean, sd) {
            (Some(rate), None) => {
                let rel = rel.ok_or_else(invalid)?;
                sample_size_proportions(rate, rel, a, p, s)
            }
            (_, Some(sd)) => {
                let abs = abs.ok_or_else(|| {
                    input("a relative --mde of a mean needs the mean: give --mean or --mde-abs")
                })?;
                sample_size_means(sd, abs, a, p, s)
            }
            (None, None) => None,
        }
        .ok_or_else(invalid)?;
        result.mde_relative = rel;
        result.mde_absolute = abs;
        result.control_users = n.control;
        result.treatment_users = n.treatment;
        result.total_users = n.total;
        result.total_exact = Some(n.total_exact);
    }
    if let Some(daily) = args.daily_users {
        result.duration_days = Some(duration_days(result.total_users, daily).ok_or_else(|| {
            input(format!(
                "--daily-users must be a positive number, got {daily}"
            ))
        })?);
    }
    Ok(result)
}

/// The readable form.
fn to_text(r: &PowerResult) -> String {
    let mut out = String::new();
    let baseline = match (r.kind, r.baseline, r.sd) {
        ("proportions", Some(rate), _) => format!("conversion rate {rate}"),
        (_, Some(mean), Some(sd)) => format!("mean {mean}, sd {sd}"),
        (_, None, Some(sd)) => format!("sd {sd}"),
        _ => String::new(),
    };
    out.push_str(&format!(
        "{} ({baseline}; from {}), two-sided alpha {}, power {}, treatment share {}\n",
        r.kind, r.source, r.alpha, r.power, r.treatment_share
    ));
    let mde = match (r.mde_relative, r.mde_absolute) {
        (Some(rel), Some(abs)) => format!("{:+.4} % relative ({abs:+.6} absolute)", rel * 100.0),
        (Some(rel), None) => format!("{:+.4} % relative", rel * 100.0),
        (None, Some(abs)) => format!("{abs:+.6} absolute"),
        (None, None) => "?".into(),
    };
    if r.solve == "mde" {
        out.push_str(&format!(
            "users: {} total ({} control, {} treatment)\n",
            r.total_users, r.control_users, r.treatment_users
        ));
        out.push_str(&format!("minimum detectable effect: {mde}\n"));
    } else {
        out.push_str(&format!("minimum detectable effect: {mde}\n"));
        out.push_str(&format!(
            "sample size: {} users ({} control, {} treatment)\n",
            r.total_users, r.control_users, r.treatment_users
        ));
    }
    if let (Some(days), Some(daily)) = (r.duration_days, r.daily_users) {
        out.push_str(&format!("duration: {days} days at {daily} users a day\n"));
    }
    out
}
