//! Streaming the events file: each readable row goes straight to the join, so the
//! events are never held in memory.

use std::io::Read;

use csv::ByteRecord;

use super::blocks::{Block, BlockSplitter, Piece};
use super::source::HashingReader;
use super::table::{
    column_index, csv_builder, is_blank, read_header_record, shown, BadRowLog, Row,
};
use super::Input;
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

/// What every parser of the file shares: its name, header and column positions.
struct Context<'p> {
    file: String,
    headers: Vec<String>,
    columns: Columns,
    plan: &'p Plan,
}

/// Blocks of about this size are parsed in parallel (native builds).
const BLOCK_SIZE: usize = 4 << 20;

/// Reads the events file, handing every readable row to `sink` in file order.
///
/// On native targets blocks of the file are parsed on several threads while the
/// rows still reach `sink` one by one in file order, so the result is the same as
/// a sequential read (and as on wasm32, which reads sequentially).
pub fn read_events<R: Read>(
    input: Input<R>,
    plan: &Plan,
    bad: &mut BadRowLog,
    observer: &mut dyn Observer,
    sink: impl FnMut(EventRow<'_>),
) -> Result<InputFile, AnalysisError> {
    read_events_in_blocks(input, plan, bad, observer, sink, BLOCK_SIZE)
}

fn read_events_in_blocks<R: Read>(
    input: Input<R>,
    plan: &Plan,
    bad: &mut BadRowLog,
    observer: &mut dyn Observer,
    mut sink: impl FnMut(EventRow<'_>),
    block_size: usize,
) -> Result<InputFile, AnalysisError> {
    let (file, size) = (input.name, input.size);
    let io = |file: &str, e: &dyn std::fmt::Display| AnalysisError::Io {
        file: file.into(),
        message: e.to_string(),
    };
    let mut splitter =
        BlockSplitter::new(HashingReader::new(input.reader), Vec::new(), 0, block_size);
    let mut rows = 0u64;
    // The first piece holds the header: read it on this thread.
    let first = splitter.next_piece().map_err(|e| io(&file, &e))?;
    let (ctx, leftover) = match first {
        None => return Err(AnalysisError::EmptyFile { file }),
        Some(Piece::Block(block)) => {
            let mut reader = csv_reader(block.bytes.as_slice());
            let ctx = read_header(&mut reader, file, plan)?;
            rows += parse_records(&mut reader, 0, &ctx, &mut |r| apply(r, &mut sink, bad))?;
            (ctx, None)
        }
        Some(Piece::Rest(stream, _)) => {
            let mut reader = csv_reader(stream);
            let ctx = read_header(&mut reader, file, plan)?;
            rows += parse_records(&mut reader, 0, &ctx, &mut |r| apply(r, &mut sink, bad))?;
            (ctx, Some(reader.into_inner()))
        }
    };
    observer.stage(Stage::Joining, 0.0);
    let threads = parse_threads();
    let mut hashing = match leftover {
        Some(chain) => chain.into_inner().1,
        None => loop {
            let mut wave = Vec::with_capacity(threads);
            let mut rest = None;
            while wave.len() < threads {
                match splitter.next_piece().map_err(|e| io(&ctx.file, &e))? {
                    Some(Piece::Block(b)) => wave.push(b),
                    Some(Piece::Rest(stream, line)) => {
                        rest = Some((stream, line));
                        break;
                    }
                    None => break,
                }
            }
            let done = wave.len() < threads;
            for parsed in parse_wave(&wave, &ctx) {
                let parsed = parsed?;
                rows += parsed.records;
                for row in parsed.rows {
                    apply(row.map(|r| r.borrow(&parsed.arena)), &mut sink, bad)?;
                }
            }
            if let Some(reader) = splitter.reader_ref() {
                observer.stage(Stage::Joining, fraction(reader.bytes(), size));
            }
            if let Some((stream, line)) = rest {
                let mut reader = csv_reader(stream);
                rows += parse_records(&mut reader, line - 1, &ctx, &mut |r| {
                    apply(r, &mut sink, bad)
                })?;
                break reader.into_inner().into_inner().1;
            }
            if done {
                match splitter.into_reader() {
                    Some(reader) => break reader,
                    None => return Err(io(&ctx.file, &"the reader was lost")),
                }
            }
        },
    };
    // Anything the parser did not need still belongs to the file's digest.
    std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|e| io(&ctx.file, &e))?;
    let (sha256, bytes) = hashing.finish();
    Ok(InputFile {
        name: ctx.file,
        sha256,
        bytes,
        rows,
    })
}

fn fraction(read: u64, size: Option<u64>) -> f64 {
    match size {
        Some(size) if size > 0 => (read as f64 / size as f64).min(1.0),
        _ => 0.0,
    }
}

fn csv_reader<Rd: Read>(reader: Rd) -> csv::Reader<Rd> {
    csv_builder().from_reader(reader)
}

fn read_header<'p, Rd: Read>(
    reader: &mut csv::Reader<Rd>,
    file: String,
    plan: &'p Plan,
) -> Result<Context<'p>, AnalysisError> {
    let mut record = ByteRecord::new();
    let headers = read_header_record(reader, &mut record, &file)?;
    let names = &plan.events;
    let find = |name: &str, role: &str| column_index(&file, &headers, name, role);
    let columns = Columns {
        user: find(&names.user_id, "events.user_id")?,
        event: find(&names.event, "events.event")?,
        amount: find(&names.amount, "events.amount")?,
        ts: find(&names.timestamp, "events.timestamp")?,
        bot: names
            .bot_flag
            .as_deref()
            .map(|n| find(n, "events.bot_flag"))
            .transpose()?,
    };
    Ok(Context {
        file,
        headers,
        columns,
        plan,
    })
}

/// Receives each parsed row (or bad row) in file order; an error stops the read.
type Emit<'e> = dyn FnMut(Result<EventRow<'_>, BadRow>) -> Result<(), AnalysisError> + 'e;

/// Parses every record left in `reader`; record lines are offset by `line_offset`.
fn parse_records<Rd: Read>(
    reader: &mut csv::Reader<Rd>,
    line_offset: u64,
    ctx: &Context<'_>,
    emit: &mut Emit<'_>,
) -> Result<u64, AnalysisError> {
    let mut record = ByteRecord::new();
    let mut records = 0;
    loop {
        let found = reader
            .read_byte_record(&mut record)
            .map_err(|e| AnalysisError::Io {
                file: ctx.file.clone(),
                message: e.to_string(),
            })?;
        if !found {
            return Ok(records);
        }
        if is_blank(&record) {
            continue;
        }
        records += 1;
        let line = line_offset + record.position().map_or(0, |p| p.line());
        if record.len() != ctx.headers.len() {
            emit(Err(BadRow {
                file: ctx.file.clone(),
                line,
                column: None,
                message: format!(
                    "expected {} fields as in the header, found {}",
                    ctx.headers.len(),
                    record.len()
                ),
            }))?;
            continue;
        }
        let row = Row::new(line, &record, &ctx.headers, &ctx.file);
        emit(parse_row(&row, &ctx.columns, ctx.plan))?;
    }
}

fn apply(
    row: Result<EventRow<'_>, BadRow>,
    sink: &mut impl FnMut(EventRow<'_>),
    bad: &mut BadRowLog,
) -> Result<(), AnalysisError> {
    match row {
        Ok(row) => {
            sink(row);
            Ok(())
        }
        Err(row) => bad.record(row),
    }
}

/// A parsed row whose strings live in its block's arena.
struct OwnedRow {
    user: (usize, usize),
    event: (usize, usize),
    amount: Option<f64>,
    ts: i64,
    bot: bool,
}

impl OwnedRow {
    fn borrow<'a>(&self, arena: &'a str) -> EventRow<'a> {
        let text = |(start, end): (usize, usize)| arena.get(start..end).unwrap_or_default();
        EventRow {
            user: text(self.user),
            event: text(self.event),
            amount: self.amount,
            ts: self.ts,
            bot: self.bot,
        }
    }
}

/// One block's rows, parsed on a worker thread.
struct ParsedBlock {
    arena: String,
    rows: Vec<Result<OwnedRow, BadRow>>,
    records: u64,
}

fn parse_block(block: &Block, ctx: &Context<'_>) -> Result<ParsedBlock, AnalysisError> {
    let mut arena = String::new();
    let mut rows = Vec::new();
    let keep = |s: &str, arena: &mut String| {
        let start = arena.len();
        arena.push_str(s);
        (start, arena.len())
    };
    let mut reader = csv_reader(block.bytes.as_slice());
    let records = parse_records(&mut reader, block.first_line - 1, ctx, &mut |r| {
        rows.push(r.map(|r| OwnedRow {
            user: keep(r.user, &mut arena),
            event: keep(r.event, &mut arena),
            amount: r.amount,
            ts: r.ts,
            bot: r.bot,
        }));
        Ok(())
    })?;
    Ok(ParsedBlock {
        arena,
        rows,
        records,
    })
}

/// Parses a wave of blocks, one per thread (inline on wasm32 or for one block).
fn parse_wave(wave: &[Block], ctx: &Context<'_>) -> Vec<Result<ParsedBlock, AnalysisError>> {
    if wave.len() <= 1 || cfg!(target_arch = "wasm32") {
        return wave.iter().map(|b| parse_block(b, ctx)).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = wave
            .iter()
            .map(|block| scope.spawn(move || parse_block(block, ctx)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(AnalysisError::Data("an events parser thread failed".into()))
                })
            })
            .collect()
    })
}

/// Blocks parsed at once. `available_parallelism` reads the cgroup files under
/// /proc on Linux (several system calls), too slow to ask for every file, so it is
/// asked once per process.
fn parse_threads() -> usize {
    if cfg!(target_arch = "wasm32") {
        1
    } else {
        static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(4)))
    }
}

fn parse_row<'r>(row: &'r Row<'_>, columns: &Columns, plan: &Plan) -> Result<EventRow<'r>, BadRow> {
    let user = row.required(columns.user, "a user id")?;
    let event = row.required(columns.event, "an event name")?;
    let ts = row.timestamp(columns.ts, "an event time", plan.timestamp_format)?;
    let amount = parse_amount(row.text(columns.amount)?).map_err(|found| {
        row.bad(
            columns.amount,
            format!(
                "expected {}, found {}",
                AmountError::expected(found),
                shown(found)
            ),
        )
    })?;
    let bot = columns
        .bot
        .map(|index| row.bot_flag(index))
        .transpose()?
        .unwrap_or(false);
    Ok(EventRow {
        user,
        event,
        amount,
        ts,
        bot,
    })
}

/// Largest amount accepted: far beyond any revenue, and small enough that sums and
/// squares over billions of rows stay finite.
const MAX_AMOUNT: f64 = 1e15;

/// An amount cell: empty → `None`; otherwise a number of at most [`MAX_AMOUNT`].
fn parse_amount(text: &str) -> Result<Option<f64>, &str> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    match trimmed.parse::<f64>() {
        Ok(v) if v.abs() <= MAX_AMOUNT => Ok(Some(v)),
        _ => Err(text),
    }
}

/// What an unreadable amount should have been.
struct AmountError;

impl AmountError {
    fn expected(found: &str) -> &'static str {
        match found.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => "a number of at most 1e15 in magnitude",
            _ => "a finite number",
        }
    }
}

#[cfg(test)]
mod tests;
