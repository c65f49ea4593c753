//! Streaming the events file: each readable row goes straight to the join, so the
//! events are never held in memory.

use std::io::Read;

use super::table::{BadRowLog, Row, Table};
use super::{expected_timestamp, parse_bot_flag, parse_timestamp, Input};
use crate::error::AnalysisError;
use crate::plan::Plan;
use crate::progress::{Observer, Stage};
use crate::report::InputFile;
use crate::validate::BadRow;

/// One readable event row, borrowed from the reader's buffer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EventRow<'a> {
    /// User id as written.
    pub user: &'a str,
    /// Event name.
    pub event: &'a str,
    /// Amount (`None` for an empty cell).
    pub amount: Option<f64>,
    /// Event time, UTC milliseconds.
    pub ts: i64,
    /// Whether the row is flagged as bot/test traffic.
    pub bot: bool,
}

struct Columns {
    user: usize,
    event: usize,
    amount: usize,
    ts: usize,
    bot: Option<usize>,
}

/// Reads the events file, handing every readable row to `sink` in file order.
pub fn read_events<R: Read>(
    input: Input<R>,
    plan: &Plan,
    bad: &mut BadRowLog,
    observer: &mut dyn Observer,
    mut sink: impl FnMut(EventRow<'_>),
) -> Result<InputFile, AnalysisError> {
    let mut table = Table::open(input)?;
    let names = &plan.events;
    let columns = Columns {
        user: table.column(&names.user_id, "events.user_id")?,
        event: table.column(&names.event, "events.event")?,
        amount: table.column(&names.amount, "events.amount")?,
        ts: table.column(&names.timestamp, "events.timestamp")?,
        bot: table.optional_column(names.bot_flag.as_deref(), "events.bot_flag")?,
    };
    observer.stage(Stage::Joining, 0.0);
    let mut seen: u64 = 0;
    while let Some(next) = table.next_row() {
        match next?.and_then(|row| parse_row(&row, &columns, plan).map(&mut sink)) {
            Ok(()) => {}
            Err(row) => bad.record(row)?,
        }
        seen += 1;
        if seen.is_multiple_of(262_144) {
            observer.stage(Stage::Joining, table.fraction());
        }
    }
    Ok(table.finish())
}

fn parse_row<'r>(row: &'r Row<'_>, columns: &Columns, plan: &Plan) -> Result<EventRow<'r>, BadRow> {
    let user = row.required(columns.user, "a user id")?;
    let event = row.required(columns.event, "an event name")?;
    let ts_text = row.required(columns.ts, "an event time")?;
    let format = plan.timestamp_format;
    let ts = parse_timestamp(ts_text, format).map_err(|_| {
        row.bad(
            columns.ts,
            format!("expected {}, found {ts_text:?}", expected_timestamp(format)),
        )
    })?;
    let amount = parse_amount(row.text(columns.amount)?).map_err(|found| {
        row.bad(
            columns.amount,
            format!("expected a finite number, found {found:?}"),
        )
    })?;
    let bot = match columns.bot {
        Some(index) => parse_bot_flag(row.text(index)?).ok_or_else(|| {
            row.bad(
                index,
                "expected a bot flag (true/false, 1/0, yes/no)".into(),
            )
        })?,
        None => false,
    };
    Ok(EventRow {
        user,
        event,
        amount,
        ts,
        bot,
    })
}

/// An amount cell: empty → `None`; otherwise a finite number.
fn parse_amount(text: &str) -> Result<Option<f64>, &str> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    match trimmed.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(text),
    }
}
