//! `splitscope`: analyse A/B tests from the command line.
//!
//! Subcommands: `analyze` (run the course's pipeline on two CSVs), `example` (write
//! the course's data), `generate` (write realistic synthetic data with a known
//! truth), `plan` (print the default plan), the warehouse path — `summary` (raw
//! CSVs → sufficient statistics), `stats` (sufficient statistics → report) and
//! `sql` (SQL computing them in a warehouse) — and `power` (sample size, duration,
//! MDE). See `docs/cli.md`.
//!
//! Exit codes: 0 success, 2 bad input (missing file, bad CSV, bad plan, bad
//! arguments), 1 internal error.

mod analyze;
mod error;
mod generate;
mod power;
mod progress;
mod warehouse;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::CliError;

/// Splitscope: A/B-test analysis — the course's experiment pipeline (first
/// exposure, 7-day window, per-user metrics, SRM, Welch, bootstrap, CUPED,
/// guardrails, verdict) on your CSVs.
#[derive(Debug, Parser)]
#[command(name = "splitscope", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse an experiment: exposures + events CSVs → report (JSON by default).
    Analyze(AnalyzeArgs),
    /// Write the course's example data (exposures.csv, events.csv) and a plan.json
    /// with every default spelled out into DIR.
    Example {
        /// Directory to write into (created if missing).
        dir: PathBuf,
    },
    /// Generate realistic synthetic exposures and events with a known truth.
    Generate(generate::GenerateArgs),
    /// Print the default analysis plan (every field, as JSON).
    Plan {
        /// Enable CUPED in the printed plan.
        #[arg(long)]
        cuped: bool,
    },
    /// Analyse a sufficient-statistics CSV (from `summary` or `sql`): the same
    /// report as `analyze` on the raw rows, minus what needs rows (bootstrap…).
    Stats(warehouse::StatsArgs),
    /// Reduce exposures + events CSVs to the sufficient-statistics CSV.
    Summary(warehouse::SummaryArgs),
    /// Print SQL that computes the sufficient-statistics CSV in a warehouse.
    Sql(warehouse::SqlArgs),
    /// Sample size and duration for an MDE, or the MDE for a number of users.
    Power(power::PowerArgs),
}

/// Output formats of `analyze` and `stats`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The full report as pretty JSON (schema `splitscope.report/1`).
    Json,
    /// A readable summary: variant table, SRM, lifts with intervals, verdict.
    Text,
    /// A self-contained HTML page with charts.
    Html,
}

/// Arguments of `splitscope analyze`.
#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Exposures CSV (default columns `user_id,variant,exposure_ts`).
    #[arg(long, value_name = "FILE")]
    pub exposures: PathBuf,
    /// Events CSV (default columns `user_id,event,amount,event_ts`).
    #[arg(long, value_name = "FILE")]
    pub events: PathBuf,
    /// Analysis plan (JSON); every field optional, unknown keys are errors.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Bootstrap seed (overrides the plan's `bootstrap.seed`).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Bootstrap resamples, 0 to turn it off (overrides `bootstrap.resamples`).
    #[arg(long, value_name = "B")]
    pub bootstrap: Option<u32>,
    /// Turn CUPED on (overrides `cuped.enabled`).
    #[arg(long)]
    pub cuped: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Never show progress (it is shown only when stderr is a terminal).
    #[arg(long, short)]
    pub quiet: bool,
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Example { dir } => analyze::example(&dir),
        Command::Generate(args) => generate::run(&args),
        Command::Plan { cuped } => {
            let mut plan = splitscope_engine::plan::Plan::default();
            plan.cuped.enabled = cuped;
            error::print_stdout(&(plan.to_json_pretty() + "\n"))
        }
        Command::Stats(args) => warehouse::stats(&args),
        Command::Summary(args) => warehouse::summary(&args),
        Command::Sql(args) => warehouse::sql(&args),
        Command::Power(args) => power::run(&args),
    }
}

fn main() -> ExitCode {
    error::install_panic_hook();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.report(),
    }
}
