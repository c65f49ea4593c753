//! Consistency of a summary's rows with each other and with the plan.

use std::collections::BTreeMap;

use super::{SummaryRow, METRIC, VARIANT};
use crate::plan::Plan;
use crate::validate::BadRow;

/// One row per metric for every variant and segment value, no duplicates, the same
/// `n` on all of them, and no segment rows of a variant without overall rows.
pub(super) fn check_rows(file: &str, rows: &[SummaryRow], plan: &Plan) -> Result<(), BadRow> {
    type Cell<'r> = (&'r str, Option<&'r (String, String)>);
    let bad = |line: u64, column: &str, message: String| BadRow {
        file: file.into(),
        line,
        column: Some(column.into()),
        message,
    };
    let describe = |(variant, segment): Cell<'_>| match segment {
        None => format!("variant {variant:?}"),
        Some((c, v)) => format!("variant {variant:?} in segment {c} = {v:?}"),
    };
    let mut cells: BTreeMap<Cell<'_>, (&SummaryRow, Vec<&str>)> = BTreeMap::new();
    for row in rows {
        let key = (row.variant.as_str(), row.segment.as_ref());
        let (first, metrics) = cells.entry(key).or_insert((row, Vec::new()));
        if metrics.contains(&row.metric.as_str()) {
            return Err(bad(
                row.line,
                METRIC,
                format!(
                    "expected one row per metric, found a second row for metric {:?} and {}",
                    row.metric,
                    describe(key)
                ),
            ));
        }
        if row.n != first.n {
            return Err(bad(
                row.line,
                "n",
                format!(
                    "expected n = {} for {} as on line {} (metric {:?}), found {}",
                    first.n,
                    describe(key),
                    first.line,
                    first.metric,
                    row.n
                ),
            ));
        }
        metrics.push(&row.metric);
    }
    for (key, (first, metrics)) in &cells {
        if let Some(missing) = plan
            .metrics
            .iter()
            .find(|m| !metrics.contains(&m.name.as_str()))
        {
            return Err(bad(
                first.line,
                METRIC,
                format!("expected a row for every metric of the plan, but {} has no row for metric {:?}", describe(*key), missing.name),
            ));
        }
        if key.1.is_some() && !cells.contains_key(&(key.0, None)) {
            return Err(bad(
                first.line,
                VARIANT,
                format!("expected overall rows (empty segment_column) for every variant, found none for {:?}", key.0),
            ));
        }
    }
    Ok(())
}
