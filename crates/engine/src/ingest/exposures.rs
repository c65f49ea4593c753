//! Reading the exposures file into compact columns.

use std::io::Read;

use super::table::{BadRowLog, Row, Table};
use super::{Input, Interner};
use crate::error::AnalysisError;
use crate::memory::CHECK_EVERY;
use crate::plan::Plan;
use crate::progress::{Observer, Stage};
use crate::report::InputFile;
use crate::validate::BadRow;

/// One exposure: who saw which variant when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExposureRow {
    /// User id (see [`ExposureRows::users`]).
    pub user: u32,
    /// Variant id (see [`ExposureRows::variants`]).
    pub variant: u32,
    /// Exposure time, UTC milliseconds.
    pub ts: i64,
    /// Whether the row is flagged as bot/test traffic.
    pub bot: bool,
}

/// A segment column's values, one per exposure row.
#[derive(Clone, Debug, Default)]
pub struct SegmentColumn {
    /// Column header.
    pub name: String,
    /// Distinct values.
    pub values: Interner,
    /// Value id per row.
    pub rows: Vec<u32>,
}

/// All readable exposure rows, in file order.
#[derive(Clone, Debug, Default)]
pub struct ExposureRows {
    /// User ids.
    pub users: Interner,
    /// Variant names.
    pub variants: Interner,
    /// The rows.
    pub rows: Vec<ExposureRow>,
    /// Segment columns named in the plan.
    pub segments: Vec<SegmentColumn>,
    /// The file as read.
    pub file: InputFile,
}

struct Columns {
    user: usize,
    variant: usize,
    ts: usize,
    bot: Option<usize>,
    segments: Vec<usize>,
}

/// Reads the exposures file; bad rows go to `bad` (which stops or counts them).
pub fn read_exposures<R: Read>(
    input: Input<R>,
    plan: &Plan,
    bad: &mut BadRowLog,
    observer: &mut dyn Observer,
) -> Result<ExposureRows, AnalysisError> {
    let mut table = Table::open(input)?;
    let names = &plan.exposures;
    let columns = Columns {
        user: table.column(&names.user_id, "exposures.user_id")?,
        variant: table.column(&names.variant, "exposures.variant")?,
        ts: table.column(&names.timestamp, "exposures.timestamp")?,
        bot: table.optional_column(names.bot_flag.as_deref(), "exposures.bot_flag")?,
        segments: names
            .segments
            .iter()
            .map(|s| table.column(s, "exposures.segments"))
            .collect::<Result<_, _>>()?,
    };
    let mut out = ExposureRows {
        segments: names
            .segments
            .iter()
            .map(|name| SegmentColumn {
                name: name.clone(),
                ..SegmentColumn::default()
            })
            .collect(),
        ..ExposureRows::default()
    };
    observer.stage(Stage::ReadingExposures, 0.0);
    while let Some(next) = table.next_row() {
        let parsed = next?.and_then(|row| parse_row(&row, &columns, plan, &mut out));
        if let Err(row) = parsed {
            bad.record(row)?;
        }
        if table.rows.is_multiple_of(CHECK_EVERY) {
            let held = out.memory_bytes(CHECK_EVERY as usize);
            crate::memory::check(plan, held, || {
                let what = format!(
                    "holding the {} exposure rows and {} user ids read so far",
                    out.rows.len(),
                    out.users.len()
                );
                (table.file.clone(), Some(table.line()), String::new(), what)
            })?;
        }
        if out.rows.len().is_multiple_of(65_536) {
            observer.stage(Stage::ReadingExposures, table.fraction());
        }
    }
    out.file = table.finish();
    Ok(out)
}

impl ExposureRows {
    /// Bytes held, by the model of [`crate::memory`], including the buffers `ahead`
    /// more rows would allocate.
    pub fn memory_bytes(&self, ahead: usize) -> u64 {
        use crate::memory::{growing, EXPOSURE_ROW_BYTES};
        let rows = growing(
            self.rows.len(),
            self.rows.capacity(),
            EXPOSURE_ROW_BYTES,
            ahead,
        );
        let segments: u64 = self
            .segments
            .iter()
            .map(|s| {
                growing(s.rows.len(), s.rows.capacity(), 4, ahead) + s.values.memory_bytes(ahead)
            })
            .sum();
        rows + segments + self.users.memory_bytes(ahead) + self.variants.memory_bytes(ahead)
    }
}

fn parse_row(
    row: &Row<'_>,
    columns: &Columns,
    plan: &Plan,
    out: &mut ExposureRows,
) -> Result<(), BadRow> {
    let user = row.required(columns.user, "a user id")?;
    let variant = row.required(columns.variant, "a variant name")?;
    let ts = row.timestamp(columns.ts, "an exposure time", plan.timestamp_format)?;
    let bot = columns
        .bot
        .map(|index| row.bot_flag(index))
        .transpose()?
        .unwrap_or(false);
    let mut segment_values = Vec::with_capacity(columns.segments.len());
    for &index in &columns.segments {
        segment_values.push(row.text(index)?);
    }
    for (column, value) in out.segments.iter_mut().zip(segment_values) {
        let id = column.values.intern(value);
        column.rows.push(id);
    }
    out.rows.push(ExposureRow {
        user: out.users.intern(user),
        variant: out.variants.intern(variant),
        ts,
        bot,
    });
    Ok(())
}
