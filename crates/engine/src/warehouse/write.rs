//! Writing the sufficient-statistics CSV from raw exposures and events: the raw
//! pipeline's ingest → clean → join → metrics, then sums per metric × variant ×
//! segment value instead of tests.

use std::io::{Read, Write};

use super::{
    Cross, PreDenominator, SummaryRow, COVARIATE_COLUMNS, DENOMINATOR_COLUMNS,
    PRE_DENOMINATOR_COLUMNS, SEGMENT_COLUMN, SEGMENT_VALUE,
};
use crate::aggregate::{self, ArmSample};
use crate::clean::{self, Assignments};
use crate::error::AnalysisError;
use crate::ingest::{read_events, read_exposures, BadRowLog, Input};
use crate::join::Joiner;
use crate::metrics::UserMetrics;
use crate::plan::Plan;
use crate::progress::NoProgress;

/// Runs ingest, clean, join and metrics on raw files as [`analyze`](crate::analyze)
/// does, writes the summary CSV to `out` (see [`write_csv`]) and returns its rows.
pub fn write_summary<E: Read, V: Read, W: Write>(
    exposures: Input<E>,
    events: Input<V>,
    plan: &Plan,
    out: W,
) -> Result<Vec<SummaryRow>, AnalysisError> {
    plan.check()?;
    let mut bad = BadRowLog::new(plan.on_bad_row);
    let rows = read_exposures(exposures, plan, &mut bad, &mut NoProgress)?;
    let assignments = clean::clean(rows, plan)?;
    let mut joiner = Joiner::new(&assignments, plan);
    let events_file = read_events(events, plan, &mut bad, &mut NoProgress, |row| {
        joiner.push(row)
    })?;
    let joined = joiner.finish();
    let rows = summarize_rows(&assignments, &joined.metrics, plan);
    write_csv(&rows, out).map_err(|e| AnalysisError::Io {
        file: format!("summary of {}", events_file.name),
        message: e.to_string(),
    })?;
    Ok(rows)
}

/// The summary rows of per-user metric values: every metric of the plan × every
/// analysed variant (overall), then × every value of every segment column (variants
/// with users in that value only). Values are not capped: the summary holds the
/// per-user values as the warehouse SQL computes them.
pub fn summarize_rows(
    assignments: &Assignments,
    metrics: &UserMetrics,
    plan: &Plan,
) -> Vec<SummaryRow> {
    let mut plan = plan.clone();
    plan.metrics.iter_mut().for_each(|m| m.capping = None);
    let mut out = Vec::new();
    let mut push = |segment: Option<(&str, &str)>, keep: &dyn Fn(usize) -> bool| {
        for samples in aggregate::samples(assignments, metrics, &plan, keep) {
            for (arm, sample) in samples.arms.iter().enumerate() {
                let Some(row) = row_of(sample) else { continue };
                if row.n == 0 && segment.is_some() {
                    continue;
                }
                out.push(SummaryRow {
                    line: out.len() as u64 + 2,
                    metric: samples.spec.name.clone(),
                    variant: assignments.arms.get(arm).cloned().unwrap_or_default(),
                    segment: segment.map(|(c, v)| (c.to_string(), v.to_string())),
                    ..row
                });
            }
        }
    };
    push(None, &|_| true);
    for column in &assignments.segments {
        let mut values: Vec<(u32, &str)> = (0..column.values.len() as u32)
            .map(|id| (id, column.values.name(id)))
            .collect();
        values.sort_by(|a, b| a.1.cmp(b.1));
        for (id, value) in values {
            let keep = |user: usize| column.per_user.get(user) == Some(&id);
            push(Some((&column.name, value)), &keep);
        }
    }
    out
}

/// Sums of one arm's per-user values.
fn row_of(sample: &ArmSample) -> Option<SummaryRow> {
    let sums = |v: &[f64]| (v.iter().sum(), v.iter().map(|a| a * a).sum());
    let cross = |y: &[f64], x: &[f64]| {
        let (sum, sum_sq) = sums(x);
        Cross {
            sum,
            sum_sq,
            sum_product: y.iter().zip(x).map(|(a, b)| a * b).sum(),
        }
    };
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum();
    let (values, covariate, denominator, pre_denominator) = match sample {
        ArmSample::Mean { values, pre } => {
            (values, pre.as_ref().map(|p| cross(values, p)), None, None)
        }
        ArmSample::Ratio {
            numerator: y,
            denominator: d,
            pre,
        } => (
            y,
            pre.as_ref().map(|(x, _)| cross(y, x)),
            Some(cross(y, d)),
            pre.as_ref().map(|(x, e)| {
                let (sum, sum_sq) = sums(e);
                PreDenominator {
                    sum,
                    sum_sq,
                    sum_product: dot(y, e),
                    den_cov_product: dot(d, x),
                    den_product: dot(d, e),
                    cov_product: dot(x, e),
                }
            }),
        ),
        _ => return None,
    };
    let (sum, sum_sq) = sums(values);
    Some(SummaryRow {
        n: values.len() as u64,
        sum,
        sum_sq,
        covariate,
        denominator,
        pre_denominator,
        ..SummaryRow::default()
    })
}

/// Writes summary rows as CSV: `metric,variant[,segment_column,segment_value],n,sum,
/// sum_sq[,cov_sum,cov_sum_sq,sum_cov_product][,den_sum,den_sum_sq,sum_den_product]
/// [,cov_den_sum,cov_den_sum_sq,sum_cov_den_product,sum_den_cov_product,
/// sum_den_cov_den_product,sum_cov_cov_den_product]`,
/// each optional group present when any row has it (empty cells where a row has
/// not). Numbers are written in Rust's shortest round-trip form, so reading the file
/// back gives the same `f64`s.
pub fn write_csv<W: Write>(rows: &[SummaryRow], out: W) -> std::io::Result<()> {
    let segments = rows.iter().any(|r| r.segment.is_some());
    let covariate = rows.iter().any(|r| r.covariate.is_some());
    let denominator = rows.iter().any(|r| r.denominator.is_some());
    let pre_denominator = rows.iter().any(|r| r.pre_denominator.is_some());
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let mut header = vec![super::METRIC, super::VARIANT];
    if segments {
        header.extend([SEGMENT_COLUMN, SEGMENT_VALUE]);
    }
    header.extend(["n", "sum", "sum_sq"]);
    if covariate {
        header.extend(COVARIATE_COLUMNS);
    }
    if denominator {
        header.extend(DENOMINATOR_COLUMNS);
    }
    if pre_denominator {
        header.extend(PRE_DENOMINATOR_COLUMNS);
    }
    csv.write_record(&header)?;
    let group = |cells: &mut Vec<String>, x: Option<Cross>| match x {
        Some(x) => cells.extend([x.sum, x.sum_sq, x.sum_product].map(|v| v.to_string())),
        None => cells.extend([String::new(), String::new(), String::new()]),
    };
    for row in rows {
        let mut cells = vec![row.metric.clone(), row.variant.clone()];
        if segments {
            let (c, v) = row.segment.clone().unwrap_or_default();
            cells.extend([c, v]);
        }
        cells.extend([
            row.n.to_string(),
            row.sum.to_string(),
            row.sum_sq.to_string(),
        ]);
        if covariate {
            group(&mut cells, row.covariate);
        }
        if denominator {
            group(&mut cells, row.denominator);
        }
        if pre_denominator {
            cells.extend(match row.pre_denominator {
                Some(p) => [
                    p.sum,
                    p.sum_sq,
                    p.sum_product,
                    p.den_cov_product,
                    p.den_product,
                    p.cov_product,
                ]
                .map(|v| v.to_string()),
                None => Default::default(),
            });
        }
        csv.write_record(&cells)?;
    }
    csv.flush()
}
