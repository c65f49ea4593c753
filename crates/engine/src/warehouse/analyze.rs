//! The report from sufficient statistics: the raw pipeline's aggregate → validate →
//! infer → report stages on [`ArmSample::Summary`] and [`ArmSample::RatioSummary`].

use std::collections::BTreeMap;
use std::io::Read;

use super::{read_summary, Summary, SummaryRow};
use crate::aggregate::{summary_of, ArmSample, MetricSamples};
use crate::error::AnalysisError;
use crate::infer::{compare_all, correct_family, CoMoments, Moments, QuadMoments};
use crate::ingest::Input;
use crate::plan::{MetricKind, Plan};
use crate::progress::NoProgress;
use crate::report::{
    decide, guardrail_status, InputFile, Inputs, Report, SegmentResult, Timeline, VariantSummary,
    SCHEMA,
};
use crate::validate::{Check, Diagnostics, ExposureCounts, Srm};
use crate::ENGINE_VERSION;

/// Rows of one population (overall, or one segment value): per variant, per metric.
type Cells<'s> = BTreeMap<&'s str, BTreeMap<&'s str, &'s SummaryRow>>;

/// Analyses a sufficient-statistics CSV (see [`read_summary`]) under `plan`.
///
/// The report equals [`analyze`](crate::analyze)'s on the rows the summary was
/// computed from, except for what needs rows: `bootstrap` and `mann_whitney` are
/// `null`, `timeline` and `lift_over_time` are empty, `inputs.exposures` describes
/// the summary file and `inputs.events` is empty, and the diagnostics only count the
/// summary's rows and users. Capping needs per-user values too: a plan that caps a
/// metric is refused (cap in the warehouse and drop `capping` from the plan).
pub fn analyze_summary<R: Read>(summary: Input<R>, plan: &Plan) -> Result<Report, AnalysisError> {
    plan.check()?;
    if let Some(m) = plan.metrics.iter().find(|m| m.capping.is_some()) {
        return Err(AnalysisError::Data(format!(
            "metric {:?} is capped in the plan, but capping needs per-user values, which a \
             summary does not have; winsorize in the warehouse and remove \"capping\" from \
             the plan, or analyse the raw rows",
            m.name
        )));
    }
    let summary = read_summary(summary, plan)?;
    report(&summary, plan)
}

/// The report of an already parsed summary.
fn report(summary: &Summary, plan: &Plan) -> Result<Report, AnalysisError> {
    let mut overall: Cells<'_> = BTreeMap::new();
    let mut by_segment: BTreeMap<(&str, &str), Cells<'_>> = BTreeMap::new();
    for row in &summary.rows {
        let cells = match &row.segment {
            None => &mut overall,
            Some((c, v)) => by_segment.entry((c.as_str(), v.as_str())).or_default(),
        };
        cells
            .entry(row.variant.as_str())
            .or_default()
            .insert(row.metric.as_str(), row);
    }
    let arms = order_arms(&overall, plan)?;
    check_limits(&arms, &by_segment, plan)?;
    let (users, samples) = population(&overall, &arms, plan);
    let variants = summarize(&arms, &users, &samples, plan);
    let srm = Srm::check(&arms, &users, plan);
    let mut metrics = compare_all(&samples, &arms, plan, &mut NoProgress);
    let mut segments = segment_results(&by_segment, &arms, plan);
    let mut families: Vec<&mut Vec<_>> = vec![&mut metrics];
    families.extend(segments.iter_mut().map(|s| &mut s.metrics));
    let correction = correct_family(&mut families, plan);
    let guardrails = guardrail_status(&metrics, plan);
    let decision = decide(&srm, &guardrails, &metrics, plan);
    let users_analysed = users.iter().sum();
    let mut diagnostics = Diagnostics {
        exposures: ExposureCounts {
            rows_read: summary.file.rows,
            ..ExposureCounts::default()
        },
        users_analysed,
        ..Diagnostics::default()
    };
    diagnostics.checks = vec![Check {
        name: "summary rows: one per metric × variant × segment value, with equal n per variant"
            .into(),
        passed: true,
        detail: format!(
            "{} rows, {} metrics, {} variants, {} segment values, {users_analysed} users",
            summary.file.rows,
            plan.metrics.len(),
            arms.len(),
            by_segment.len()
        ),
    }];
    Ok(Report {
        schema: SCHEMA.into(),
        engine_version: ENGINE_VERSION.into(),
        inputs: Inputs {
            exposures: summary.file.clone(),
            events: InputFile::default(),
        },
        plan: plan.clone(),
        diagnostics,
        variants,
        srm,
        metrics,
        guardrails,
        timeline: Timeline::default(),
        lift_over_time: Vec::new(),
        segments,
        correction,
        decision,
    })
}

/// The control first, then the other variants by name (as the raw path orders arms).
fn order_arms(overall: &Cells<'_>, plan: &Plan) -> Result<Vec<String>, AnalysisError> {
    let mut names: Vec<&str> = overall
        .iter()
        .filter(|(_, metrics)| metrics.values().any(|r| r.n > 0))
        .map(|(v, _)| *v)
        .collect();
    names.sort_by(|a, b| (*a != plan.control, a).cmp(&(*b != plan.control, b)));
    if names.first() != Some(&plan.control.as_str()) {
        let found: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
        return Err(AnalysisError::Data(format!(
            "the control variant {:?} has no users in the summary; variants found: {}. \
             Set \"control\" in the plan to one of them.",
            plan.control,
            if found.is_empty() {
                "none".into()
            } else {
                found.join(", ")
            }
        )));
    }
    Ok(names.into_iter().map(String::from).collect())
}

/// The plan's limits, as the raw path checks them.
fn check_limits(
    arms: &[String],
    by_segment: &BTreeMap<(&str, &str), Cells<'_>>,
    plan: &Plan,
) -> Result<(), AnalysisError> {
    if arms.len() > plan.limits.max_variants {
        return Err(AnalysisError::Data(format!(
            "{} variants found, more than limits.max_variants = {}; check the variant column \
             or raise the limit in the plan",
            arms.len(),
            plan.limits.max_variants
        )));
    }
    let mut values: BTreeMap<&str, usize> = BTreeMap::new();
    for (column, _) in by_segment.keys() {
        *values.entry(column).or_default() += 1;
    }
    if let Some((column, n)) = values
        .into_iter()
        .find(|(_, n)| *n > plan.limits.max_segment_values)
    {
        return Err(AnalysisError::Data(format!(
            "segment column {column:?} has {n} distinct values, more than \
             limits.max_segment_values = {}; choose a coarser column or raise the limit",
            plan.limits.max_segment_values
        )));
    }
    Ok(())
}

/// Users per arm and every metric's summary samples per arm (an arm without rows in
/// this population is empty, as the raw path's empty per-arm vectors).
fn population(cells: &Cells<'_>, arms: &[String], plan: &Plan) -> (Vec<u64>, Vec<MetricSamples>) {
    let row = |arm: &str, metric: &str| cells.get(arm).and_then(|m| m.get(metric)).copied();
    let users = arms
        .iter()
        .map(|arm| {
            cells
                .get(arm.as_str())
                .and_then(|m| m.values().next())
                .map_or(0, |r| r.n)
        })
        .collect();
    let samples = plan
        .metrics
        .iter()
        .map(|spec| MetricSamples {
            spec: spec.clone(),
            arms: arms
                .iter()
                .map(|arm| sample(row(arm, &spec.name), &spec.kind, plan))
                .collect(),
            capping: None,
        })
        .collect();
    (users, samples)
}

/// One arm's sample from its row (or an empty one).
fn sample(row: Option<&SummaryRow>, kind: &MetricKind, plan: &Plan) -> ArmSample {
    let n = row.map_or(0, |r| r.n);
    let (sum, sum_sq) = row.map_or((0.0, 0.0), |r| (r.sum, r.sum_sq));
    let joint = |x: Option<super::Cross>| {
        let x = x.unwrap_or_default();
        CoMoments::from_sums(n, (sum, sum_sq), (x.sum, x.sum_sq), x.sum_product)
    };
    match kind {
        MetricKind::Ratio { .. } => ArmSample::RatioSummary {
            post: joint(row.and_then(|r| r.denominator)),
            pre: plan.cuped.enabled.then(|| ratio_moments(n, row)),
        },
        _ => ArmSample::Summary {
            y: Moments::from_sums(n, sum, sum_sq),
            pre: plan
                .cuped
                .enabled
                .then(|| joint(row.and_then(|r| r.covariate))),
        },
    }
}

/// The four-variable moments of a ratio row (numerator `y`, denominator `d`, pre-period
/// numerator `x`, pre-period denominator `e`) for CUPED; zeros where the row has none.
fn ratio_moments(n: u64, row: Option<&SummaryRow>) -> QuadMoments {
    let (y, y2) = row.map_or((0.0, 0.0), |r| (r.sum, r.sum_sq));
    let d = row.and_then(|r| r.denominator).unwrap_or_default();
    let x = row.and_then(|r| r.covariate).unwrap_or_default();
    let e = row.and_then(|r| r.pre_denominator).unwrap_or_default();
    let (yd, yx, ye) = (d.sum_product, x.sum_product, e.sum_product);
    let (dx, de, xe) = (e.den_cov_product, e.den_product, e.cov_product);
    QuadMoments::from_sums(
        n,
        [y, d.sum, x.sum, e.sum],
        [
            [y2, yd, yx, ye],
            [yd, d.sum_sq, dx, de],
            [yx, dx, x.sum_sq, xe],
            [ye, de, xe, e.sum_sq],
        ],
    )
}

/// The summary table, as [`aggregate::summarize`](crate::aggregate::summarize) builds it.
fn summarize(
    arms: &[String],
    users: &[u64],
    samples: &[MetricSamples],
    plan: &Plan,
) -> Vec<VariantSummary> {
    let first_of = |want: fn(&MetricKind) -> bool| {
        plan.metrics
            .iter()
            .find(|m| want(&m.kind))
            .map(|m| m.name.as_str())
    };
    let conversion = first_of(|k| matches!(k, MetricKind::Conversion { .. }));
    let revenue = first_of(|k| matches!(k, MetricKind::Sum { .. }));
    arms.iter()
        .enumerate()
        .map(|(arm, name)| {
            let metrics: Vec<_> = samples.iter().filter_map(|s| summary_of(s, arm)).collect();
            let find =
                |metric: Option<&str>| metrics.iter().find(|m| Some(m.name.as_str()) == metric);
            let n = users.get(arm).copied().unwrap_or(0);
            let conversions = find(conversion).map(|m| m.total.round() as u64);
            VariantSummary {
                name: name.clone(),
                users: n,
                conversions,
                conversion_rate: conversions.filter(|_| n > 0).map(|c| c as f64 / n as f64),
                revenue_per_user: find(revenue).filter(|_| n > 0).map(|m| m.mean),
                metrics,
            }
        })
        .collect()
}

/// Per-segment results: columns in the plan's order (others after, by name), values
/// by name, as the raw path's `analyze_segments`.
fn segment_results(
    by_segment: &BTreeMap<(&str, &str), Cells<'_>>,
    arms: &[String],
    plan: &Plan,
) -> Vec<SegmentResult> {
    let mut segment_plan = plan.clone();
    segment_plan.bootstrap.resamples = 0;
    let rank = |column: &str| {
        plan.exposures
            .segments
            .iter()
            .position(|s| s == column)
            .unwrap_or(usize::MAX)
    };
    let mut keys: Vec<&(&str, &str)> = by_segment.keys().collect();
    keys.sort_by(|a, b| (rank(a.0), a.0, a.1).cmp(&(rank(b.0), b.0, b.1)));
    keys.into_iter()
        .filter_map(|key| {
            let cells = by_segment.get(key)?;
            let (users, samples) = population(cells, arms, &segment_plan);
            if users.iter().sum::<u64>() == 0 {
                return None;
            }
            Some(SegmentResult {
                column: key.0.to_string(),
                value: key.1.to_string(),
                variants: summarize(arms, &users, &samples, plan),
                srm: Srm::check(arms, &users, plan),
                metrics: compare_all(&samples, arms, &segment_plan, &mut NoProgress),
            })
        })
        .collect()
}
