//! Reading the sufficient-statistics CSV, streaming, with errors that name the file,
//! the line and the column and say what was expected.

use std::io::Read;

use csv::{ByteRecord, ReaderBuilder};

use super::cells::{check_squares, Cells};
use super::hashing::Hashing;
use super::{
    Cross, Summary, SummaryRow, COVARIATE_COLUMNS, DENOMINATOR_COLUMNS, METRIC,
    PRE_DENOMINATOR_COLUMNS, SEGMENT_COLUMN, SEGMENT_VALUE, VARIANT,
};
use crate::error::AnalysisError;
use crate::ingest::Input;
use crate::plan::{MetricKind, Plan};
use crate::report::InputFile;
use crate::validate::BadRow;

/// Where each column of the header is.
struct Columns {
    metric: usize,
    variant: usize,
    segment: Option<(usize, usize)>,
    n: usize,
    sum: usize,
    sum_sq: usize,
    covariate: Option<[usize; 3]>,
    denominator: Option<[usize; 3]>,
    pre_denominator: Option<[usize; 6]>,
}

/// Every column the format knows, in header order.
const KNOWN: [&str; 19] = [
    METRIC,
    VARIANT,
    SEGMENT_COLUMN,
    SEGMENT_VALUE,
    "n",
    "sum",
    "sum_sq",
    "cov_sum",
    "cov_sum_sq",
    "sum_cov_product",
    "den_sum",
    "den_sum_sq",
    "sum_den_product",
    "cov_den_sum",
    "cov_den_sum_sq",
    "sum_cov_den_product",
    "sum_den_cov_product",
    "sum_den_cov_den_product",
    "sum_cov_cov_den_product",
];

/// Reads a sufficient-statistics CSV (see `docs/warehouse.md`) for `plan`.
///
/// Every metric must be one of the plan's; ratio metrics need the `den_*` columns,
/// and when `plan.cuped.enabled` every metric needs the `cov_*` columns (a ratio's
/// pre-period numerator) and ratio metrics the `cov_den_*` group as well. Every variant (and
/// segment value) needs one row per metric of the plan, all with the same `n`. The
/// first unreadable row stops the reading, whatever `on_bad_row` says: a skipped
/// summary row would silently drop users.
pub fn read_summary<R: Read>(input: Input<R>, plan: &Plan) -> Result<Summary, AnalysisError> {
    let file = input.name;
    let mut reader = ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(Hashing::new(input.reader));
    let io = |e: csv::Error| AnalysisError::Io {
        file: file.clone(),
        message: e.to_string(),
    };
    let mut record = ByteRecord::new();
    if !reader.read_byte_record(&mut record).map_err(io)? {
        return Err(AnalysisError::EmptyFile { file });
    }
    let headers: Vec<String> = record
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = String::from_utf8_lossy(h);
            let h = if i == 0 {
                h.trim_start_matches('\u{feff}')
            } else {
                &h
            };
            h.trim().to_ascii_lowercase()
        })
        .collect();
    let columns = header_columns(&file, &headers, plan)?;
    let mut rows = Vec::new();
    let mut count = 0u64;
    while reader.read_byte_record(&mut record).map_err(io)? {
        count += 1;
        let cells = Cells {
            file: &file,
            line: record.position().map_or(0, |p| p.line()),
            headers: &headers,
            record: &record,
        };
        rows.push(parse_row(&cells, &columns, plan).map_err(AnalysisError::BadRow)?);
    }
    super::check::check_rows(&file, &rows, plan).map_err(AnalysisError::BadRow)?;
    let (sha256, bytes) = reader.into_inner().finish();
    Ok(Summary {
        file: InputFile {
            name: file,
            sha256,
            bytes,
            rows: count,
        },
        rows,
    })
}

fn header_columns(file: &str, headers: &[String], plan: &Plan) -> Result<Columns, AnalysisError> {
    for (i, h) in headers.iter().enumerate() {
        let message = if !KNOWN.contains(&h.as_str()) {
            format!("unknown column {h:?}; expected one of {}", KNOWN.join(", "))
        } else if headers.get(..i).is_some_and(|before| before.contains(h)) {
            format!("column {h:?} appears twice in the header")
        } else {
            continue;
        };
        return Err(AnalysisError::BadRow(BadRow {
            file: file.into(),
            line: 1,
            column: Some(h.clone()),
            message,
        }));
    }
    let find = |name: &str| headers.iter().position(|h| h == name);
    let need = |name: &str, role: &str| {
        find(name).ok_or_else(|| AnalysisError::MissingColumn {
            file: file.into(),
            column: name.into(),
            role: role.into(),
            found: headers.to_vec(),
        })
    };
    // A group of columns: all or none; `why` makes it required.
    fn group<const N: usize>(
        names: [&str; N],
        why: Option<String>,
        find: &dyn Fn(&str) -> Option<usize>,
        need: &dyn Fn(&str, &str) -> Result<usize, AnalysisError>,
    ) -> Result<Option<[usize; N]>, AnalysisError> {
        match (names.iter().any(|n| find(n).is_some()), why) {
            (false, None) => Ok(None),
            (_, why) => {
                let role = why.unwrap_or_else(|| format!("{} come together", names.join(", ")));
                let mut out = [0; N];
                for (slot, name) in out.iter_mut().zip(names) {
                    *slot = need(name, &role)?;
                }
                Ok(Some(out))
            }
        }
    }
    let ratio_name = plan.metrics.iter().find_map(|m| match m.kind {
        MetricKind::Ratio { .. } => Some(m.name.clone()),
        _ => None,
    });
    let ratio = ratio_name
        .as_ref()
        .map(|r| format!("denominator sums of ratio metric {r:?}"));
    let mean = plan.metrics.iter().find_map(|m| match m.kind {
        MetricKind::Ratio { .. } => None,
        _ => Some(m.name.clone()),
    });
    let set = "cuped.enabled is set in the plan";
    let cuped = match (&mean, &ratio_name) {
        _ if !plan.cuped.enabled => None,
        (Some(m), _) => Some(format!("CUPED pre-period covariate of metric {m:?}; {set}")),
        (None, Some(r)) => Some(format!(
            "CUPED pre-period numerator of ratio metric {r:?}; {set}"
        )),
        (None, None) => None,
    };
    let pre_denominator = ratio_name
        .filter(|_| plan.cuped.enabled)
        .map(|r| format!("CUPED pre-period denominator sums of ratio metric {r:?}; {set}"));
    let segment = match (find(SEGMENT_COLUMN), find(SEGMENT_VALUE)) {
        (None, None) => None,
        _ => Some((
            need(SEGMENT_COLUMN, "segment column name, beside segment_value")?,
            need(SEGMENT_VALUE, "segment value, beside segment_column")?,
        )),
    };
    Ok(Columns {
        metric: need(METRIC, "metric name")?,
        variant: need(VARIANT, "variant name")?,
        segment,
        n: need("n", "users in the cell")?,
        sum: need("sum", "sum of the metric over users")?,
        sum_sq: need("sum_sq", "sum of squares of the metric over users")?,
        covariate: group(COVARIATE_COLUMNS, cuped, &find, &need)?,
        denominator: group(DENOMINATOR_COLUMNS, ratio, &find, &need)?,
        pre_denominator: group(PRE_DENOMINATOR_COLUMNS, pre_denominator, &find, &need)?,
    })
}

fn parse_row(cells: &Cells<'_>, columns: &Columns, plan: &Plan) -> Result<SummaryRow, BadRow> {
    if cells.record.len() != cells.headers.len() {
        return Err(BadRow {
            file: cells.file.into(),
            line: cells.line,
            column: None,
            message: format!(
                "expected {} fields as in the header, found {}",
                cells.headers.len(),
                cells.record.len()
            ),
        });
    }
    let metric = cells.text(columns.metric)?.trim();
    let Some(spec) = plan.metric(metric) else {
        let names: Vec<String> = plan
            .metrics
            .iter()
            .map(|m| format!("{:?}", m.name))
            .collect();
        return Err(cells.bad(
            columns.metric,
            format!(
                "expected a metric of the plan ({}), found {metric:?}",
                names.join(", ")
            ),
        ));
    };
    let variant = cells.text(columns.variant)?;
    if variant.trim().is_empty() {
        return Err(cells.bad(
            columns.variant,
            "expected a variant name, found an empty cell".into(),
        ));
    }
    let segment = match columns.segment {
        None => None,
        Some((c, v)) => {
            let (column, value) = (cells.text(c)?, cells.text(v)?);
            if column.trim().is_empty() {
                if !value.is_empty() {
                    return Err(cells.bad(
                        v,
                        format!("expected an empty segment_value on an overall row (empty segment_column), found {value:?}"),
                    ));
                }
                None
            } else {
                Some((column.trim().to_string(), value.to_string()))
            }
        }
    };
    let n = cells.count(columns.n)?;
    let sum = cells.number(columns.sum, "a sum")?;
    let sum_sq = cells.number(columns.sum_sq, "a sum of squares")?;
    check_squares(cells, columns.sum_sq, n, sum, sum_sq)?;
    let is_ratio = matches!(spec.kind, MetricKind::Ratio { .. });
    let required = |group: Option<[usize; 3]>, what: &str| -> Result<Option<Cross>, BadRow> {
        match group {
            None => Ok(None),
            Some(cols) => cells.cross(cols, n)?.map(Some).ok_or_else(|| {
                cells.bad(
                    cols.first().copied().unwrap_or_default(),
                    format!("expected {what} for metric {metric:?}, found empty cells"),
                )
            }),
        }
    };
    let covariate = if plan.cuped.enabled {
        let what = if is_ratio {
            "CUPED pre-period numerator sums"
        } else {
            "CUPED covariate sums"
        };
        required(columns.covariate, what)?
    } else {
        None
    };
    let denominator = if is_ratio {
        required(columns.denominator, "denominator sums")?
    } else {
        None
    };
    let pre_denominator = match columns.pre_denominator {
        Some(cols) if is_ratio && plan.cuped.enabled => {
            Some(cells.pre_denominator(cols, n)?.ok_or_else(|| {
                cells.bad(
                    cols.first().copied().unwrap_or_default(),
                    format!(
                        "expected CUPED pre-period denominator sums for ratio metric {metric:?}, \
                         found empty cells"
                    ),
                )
            })?)
        }
        _ => None,
    };
    Ok(SummaryRow {
        line: cells.line,
        metric: metric.to_string(),
        variant: variant.to_string(),
        segment,
        n,
        sum,
        sum_sq,
        covariate,
        denominator,
        pre_denominator,
    })
}
