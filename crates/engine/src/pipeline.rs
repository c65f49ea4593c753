//! The whole conveyor belt, stage by stage.

use std::io::Read;

use crate::error::AnalysisError;
use crate::infer::compare_all;
use crate::ingest::{read_events, read_exposures, BadRowLog, Input};
use crate::join::Joiner;
use crate::plan::Plan;
use crate::progress::{Observer, Stage};
use crate::report::{decide, guardrail_status, Inputs, Report, SCHEMA};
use crate::validate::{Diagnostics, Srm};
use crate::{aggregate, clean, ENGINE_VERSION};

/// Runs the analysis: ingest → clean → join → metrics → aggregate → validate → infer
/// → report. Same inputs, plan and seed give the same report, byte for byte.
pub fn analyze<E: Read, V: Read>(
    exposures: Input<E>,
    events: Input<V>,
    plan: &Plan,
    observer: &mut dyn Observer,
) -> Result<Report, AnalysisError> {
    plan.check()?;
    let mut bad = BadRowLog::new(plan.on_bad_row);
    let rows = read_exposures(exposures, plan, &mut bad, observer)?;
    let exposure_bad_rows = bad.total;
    let exposures_file = rows.file.clone();
    observer.stage(Stage::Cleaning, 0.0);
    let assignments = clean::clean(rows, plan)?;
    let mut joiner = Joiner::new(&assignments, plan);
    let events_file = read_events(events, plan, &mut bad, observer, |row| joiner.push(row))?;
    let joined = joiner.finish();

    observer.stage(Stage::Aggregating, 0.0);
    let samples = aggregate::samples(&assignments, &joined.metrics, plan);
    let variants = aggregate::summarize(&assignments, &samples, &joined);
    let timeline = aggregate::timeline(&assignments, &joined);

    observer.stage(Stage::Validating, 0.0);
    let users = assignments.users_per_arm();
    let srm = Srm::check(&assignments.arms, &users, plan);
    let mut diagnostics = Diagnostics {
        exposures: assignments.counts.clone(),
        events: joined.counts.clone(),
        users_analysed: users.iter().sum(),
        bad_rows_total: bad.total,
        bad_rows: bad.listed,
        checks: Vec::new(),
    };
    diagnostics.exposures.bad_rows = exposure_bad_rows;
    diagnostics.events.bad_rows = bad.total - exposure_bad_rows;
    diagnostics.events.rows_read = events_file.rows;
    diagnostics.compute_checks();

    observer.stage(Stage::Inferring, 0.0);
    let metrics = compare_all(&samples, &assignments.arms, plan, observer);
    observer.stage(Stage::Reporting, 0.0);
    let guardrails = guardrail_status(&metrics, plan);
    let decision = decide(&srm, &guardrails, &metrics, plan);
    observer.stage(Stage::Reporting, 1.0);
    Ok(Report {
        schema: SCHEMA.into(),
        engine_version: ENGINE_VERSION.into(),
        inputs: Inputs {
            exposures: exposures_file,
            events: events_file,
        },
        plan: plan.clone(),
        diagnostics,
        variants,
        srm,
        metrics,
        guardrails,
        timeline,
        decision,
    })
}
