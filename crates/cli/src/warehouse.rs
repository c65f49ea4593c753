//! The warehouse path (see `docs/warehouse.md`): `splitscope summary` (raw files →
//! sufficient-statistics CSV), `splitscope stats` (that CSV → the report) and
//! `splitscope sql` (the SQL computing the CSV in a warehouse).

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use splitscope_engine::plan::Plan;
use splitscope_engine::warehouse::{analyze_summary, sql_for_tables, write_summary, Dialect};

use crate::analyze::{check_plan, emit_report, input_error, open, read_plan, write_output};
use crate::error::CliError;
use crate::Format;

/// The plan options shared by `stats`, `summary` and `sql`.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// Analysis plan (JSON); every field optional, unknown keys are errors.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Turn CUPED on (overrides `cuped.enabled`): the summary then carries the
    /// pre-period covariate columns, and `stats` requires them.
    #[arg(long)]
    pub cuped: bool,
}

impl PlanArgs {
    /// The plan file (or the default) with the overrides, checked.
    fn load(&self) -> Result<Plan, CliError> {
        let mut plan = read_plan(self.plan.as_deref())?;
        if self.cuped {
            plan.cuped.enabled = true;
        }
        check_plan(&plan)?;
        Ok(plan)
    }
}

/// Arguments of `splitscope stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Sufficient-statistics CSV (`metric,variant,[segment_column,segment_value,]n,sum,sum_sq…`),
    /// as written by `splitscope summary` or the SQL of `splitscope sql`.
    #[arg(long, value_name = "FILE")]
    pub summary: PathBuf,
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `splitscope summary`.
#[derive(Debug, clap::Args)]
pub struct SummaryArgs {
    /// Exposures CSV (default columns `user_id,variant,exposure_ts`).
    #[arg(long, value_name = "FILE")]
    pub exposures: PathBuf,
    /// Events CSV (default columns `user_id,event,amount,event_ts`).
    #[arg(long, value_name = "FILE")]
    pub events: PathBuf,
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Write the summary CSV to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `splitscope sql`.
#[derive(Debug, clap::Args)]
pub struct SqlArgs {
    /// SQL dialect.
    #[arg(long, value_parser = dialect_parser(), ignore_case = true)]
    pub dialect: Dialect,
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Name of the exposures table (may be qualified, e.g. `analytics.exposures`).
    #[arg(long, value_name = "TABLE", default_value = "exposures")]
    pub exposures_table: String,
    /// Name of the events table.
    #[arg(long, value_name = "TABLE", default_value = "events")]
    pub events_table: String,
    /// Write the SQL to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Accepts exactly the engine's dialect names (listed in `--help` and in the
/// error for any other name).
fn dialect_parser() -> impl TypedValueParser<Value = Dialect> {
    PossibleValuesParser::new(Dialect::ALL.map(Dialect::name))
        .try_map(|name| Dialect::from_name(&name).ok_or("unknown dialect"))
}

/// `splitscope stats`: the report from a summary CSV, rendered as `analyze` does.
pub fn stats(args: &StatsArgs) -> Result<(), CliError> {
    let plan = args.plan.load()?;
    let summary = open(&args.summary, "summary")?;
    let report = analyze_summary(summary, &plan).map_err(input_error)?;
    emit_report(&report, args.format, args.output.as_deref())
}

/// `splitscope summary`: the summary CSV of raw exposures and events.
pub fn summary(args: &SummaryArgs) -> Result<(), CliError> {
    let plan = args.plan.load()?;
    let exposures = open(&args.exposures, "exposures")?;
    let events = open(&args.events, "events")?;
    // The summary is small (metrics × variants × segment values): buffer it so a
    // failed analysis leaves no partial file and output errors keep their kind.
    let mut csv = Vec::new();
    write_summary(exposures, events, &plan, &mut csv).map_err(input_error)?;
    write_output(&csv, args.output.as_deref())
}

/// `splitscope sql`: the SQL computing the summary CSV in a warehouse.
pub fn sql(args: &SqlArgs) -> Result<(), CliError> {
    let plan = args.plan.load()?;
    let mut text = sql_for_tables(
        &plan,
        args.dialect,
        &args.exposures_table,
        &args.events_table,
    );
    if !text.ends_with('\n') {
        text.push('\n');
    }
    write_output(text.as_bytes(), args.output.as_deref())
}
