//! The whole conveyor belt, stage by stage.

use std::io::Read;

use crate::clean::Assignments;
use crate::error::AnalysisError;
use crate::infer::{compare_all, correct_family};
use crate::ingest::{read_events, read_exposures, BadRowLog, Input};
use crate::join::{Joined, Joiner};
use crate::plan::Plan;
use crate::progress::{NoProgress, Observer, Stage};
use crate::report::InputFile;
use crate::report::{decide, guardrail_status, Inputs, Report, SegmentResult, SCHEMA};
use crate::validate::{Diagnostics, Srm};
use crate::{aggregate, clean, memory, ENGINE_VERSION};

/// Runs the analysis: ingest → clean → join → metrics → aggregate → validate → infer
/// → report. Same inputs, plan and seed give the same report, byte for byte.
pub fn analyze<E: Read, V: Read>(
    exposures: Input<E>,
    events: Input<V>,
    plan: &Plan,
    observer: &mut dyn Observer,
) -> Result<Report, AnalysisError> {
    plan.check()?;
    if let Some(size) = exposures.size {
        memory::check_file_size(&exposures.name, size, plan)?;
    }
    let mut bad = BadRowLog::new(plan.on_bad_row);
    let rows = read_exposures(exposures, plan, &mut bad, observer)?;
    let exposure_bad_rows = bad.total;
    let exposures_file = rows.file.clone();
    observer.stage(Stage::Cleaning, 0.0);
    let assignments = clean::clean(rows, plan)?;
    check_limits(&assignments, plan)?;
    check_metrics_memory(&assignments, &exposures_file, plan)?;
    let mut joiner = Joiner::new(&assignments, plan);
    let events_file = read_events(events, plan, &mut bad, observer, |row| joiner.push(row))?;
    let joined = joiner.finish();

    observer.stage(Stage::Aggregating, 0.0);
    let samples = aggregate::samples(&assignments, &joined.metrics, plan, |_| true);
    let users = assignments.users_per_arm();
    let variants = aggregate::summarize(&assignments, &users, &samples, &joined);
    let timeline = aggregate::timeline(&assignments, &joined);

    observer.stage(Stage::Validating, 0.0);
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
    let mut metrics = compare_all(&samples, &assignments.arms, plan, observer);
    drop(samples);
    let mut segments = analyze_segments(&assignments, &joined, plan);
    let mut families: Vec<&mut Vec<_>> = vec![&mut metrics];
    families.extend(segments.iter_mut().map(|s| &mut s.metrics));
    let correction = correct_family(&mut families, plan);
    check_grid_memory(&assignments, &joined, &events_file, plan)?;
    let lift_over_time = crate::infer::lift_over_time(&assignments, &joined, plan);

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
        lift_over_time,
        segments,
        correction,
        decision,
    })
}

/// Refuses data beyond the plan's limits with a message saying which limit to raise.
fn check_limits(assignments: &Assignments, plan: &Plan) -> Result<(), AnalysisError> {
    if assignments.arms.len() > plan.limits.max_variants {
        return Err(AnalysisError::Data(format!(
            "{} variants found, more than limits.max_variants = {}; check the variant column \
             or raise the limit in the plan",
            assignments.arms.len(),
            plan.limits.max_variants
        )));
    }
    for segment in &assignments.segments {
        if segment.values.len() > plan.limits.max_segment_values {
            return Err(AnalysisError::Data(format!(
                "segment column {:?} has {} distinct values, more than \
                 limits.max_segment_values = {}; choose a coarser column or raise the limit",
                segment.name,
                segment.values.len(),
                plan.limits.max_segment_values
            )));
        }
    }
    Ok(())
}

/// Refuses, before the events are read, users whose per-user metrics would not fit
/// the memory budget.
fn check_metrics_memory(
    assignments: &Assignments,
    exposures: &InputFile,
    plan: &Plan,
) -> Result<(), AnalysisError> {
    let users = assignments.state.len() as u64;
    let days =
        crate::join::DayOffsets::tracked(plan.window.millis(), plan.limits.max_timeline_days);
    let per_user = memory::metrics_bytes_per_user(plan, days);
    let held = memory::assignments_bytes(assignments) + users.saturating_mul(per_user);
    memory::check(plan, held, || {
        (
            exposures.name.clone(),
            None,
            format!("all {} rows read", exposures.rows),
            format!("the per-user metrics of {users} users"),
        )
    })
}

/// Refuses a lift-over-time grid that would not fit the memory budget.
fn check_grid_memory(
    assignments: &Assignments,
    joined: &Joined,
    events: &InputFile,
    plan: &Plan,
) -> Result<(), AnalysisError> {
    let (grid, shape) = crate::infer::grid_bytes(assignments, joined);
    let held = memory::assignments_bytes(assignments) + memory::joined_bytes(joined) + grid;
    memory::check(plan, held, || {
        (
            events.name.clone(),
            None,
            format!("all {} rows read", events.rows),
            format!("the lift-over-time grid ({shape})"),
        )
    })
}

/// The analysis within each value of each segment column (closed forms only: the
/// bootstrap is run on the whole population, not per segment).
fn analyze_segments(assignments: &Assignments, joined: &Joined, plan: &Plan) -> Vec<SegmentResult> {
    let mut segment_plan = plan.clone();
    segment_plan.bootstrap.resamples = 0;
    let mut out = Vec::new();
    for column in &assignments.segments {
        let mut values: Vec<(u32, &str)> = (0..column.values.len() as u32)
            .map(|id| (id, column.values.name(id)))
            .collect();
        values.sort_by(|a, b| a.1.cmp(b.1));
        for (id, value) in values {
            let keep = |user: usize| column.per_user.get(user) == Some(&id);
            let users = assignments.users_per_arm_where(keep);
            if users.iter().sum::<u64>() == 0 {
                continue;
            }
            let samples = aggregate::samples(assignments, &joined.metrics, &segment_plan, keep);
            out.push(SegmentResult {
                column: column.name.clone(),
                value: value.to_string(),
                variants: aggregate::summarize(assignments, &users, &samples, joined),
                srm: Srm::check(&assignments.arms, &users, plan),
                metrics: compare_all(&samples, &assignments.arms, &segment_plan, &mut NoProgress),
            });
        }
    }
    out
}
