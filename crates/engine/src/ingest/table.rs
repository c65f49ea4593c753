//! One CSV file read row by row into reusable byte records, with header lookup,
//! line numbers and per-cell error messages.

use std::io::Read;

use csv::{ByteRecord, ReaderBuilder};

use super::source::{HashingReader, Input};
use crate::error::AnalysisError;
use crate::plan::OnBadRow;
use crate::report::InputFile;
use crate::validate::{BadRow, MAX_LISTED_BAD_ROWS};

/// A CSV file being read.
pub(crate) struct Table<R: Read> {
    pub(crate) file: String,
    pub(crate) headers: Vec<String>,
    pub(crate) size: Option<u64>,
    reader: csv::Reader<HashingReader<R>>,
    record: ByteRecord,
    pub(crate) rows: u64,
}

/// A row of the table: its line and cells.
pub(crate) struct Row<'t> {
    pub(crate) line: u64,
    record: &'t ByteRecord,
    headers: &'t [String],
    file: &'t str,
}

impl<R: Read> Table<R> {
    /// Opens the file and reads its header line.
    pub(crate) fn open(input: Input<R>) -> Result<Self, AnalysisError> {
        let mut reader = csv_builder().from_reader(HashingReader::new(input.reader));
        let mut record = ByteRecord::new();
        let file = input.name;
        let headers = read_header_record(&mut reader, &mut record, &file)?;
        Ok(Self {
            file,
            headers,
            size: input.size,
            reader,
            record,
            rows: 0,
        })
    }

    /// Index of a required column, or an error listing the headers found.
    pub(crate) fn column(&self, name: &str, role: &str) -> Result<usize, AnalysisError> {
        column_index(&self.file, &self.headers, name, role)
    }

    /// Index of an optional column the plan names (absent name → `None`).
    pub(crate) fn optional_column(
        &self,
        name: Option<&str>,
        role: &str,
    ) -> Result<Option<usize>, AnalysisError> {
        name.map(|n| self.column(n, role)).transpose()
    }

    /// Fraction of the file read so far, when its size is known.
    pub(crate) fn fraction(&self) -> f64 {
        match self.size {
            Some(size) if size > 0 => (self.reader.get_ref().bytes() as f64 / size as f64).min(1.0),
            _ => 0.0,
        }
    }

    /// The line the last row read starts on (0 before the first).
    pub(crate) fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }

    /// The next data row; a row with the wrong number of cells is a [`BadRow`].
    pub(crate) fn next_row(&mut self) -> Option<Result<Result<Row<'_>, BadRow>, AnalysisError>> {
        let found = loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(true) if is_blank(&self.record) => continue,
                other => break other,
            }
        };
        match found {
            Err(e) => Some(Err(io_error(&self.file, &e))),
            Ok(false) => None,
            Ok(true) => {
                self.rows += 1;
                let line = self.record.position().map_or(0, |p| p.line());
                if self.record.len() != self.headers.len() {
                    let bad = BadRow {
                        file: self.file.clone(),
                        line,
                        column: None,
                        message: format!(
                            "expected {} fields as in the header, found {}",
                            self.headers.len(),
                            self.record.len()
                        ),
                    };
                    return Some(Ok(Err(bad)));
                }
                Some(Ok(Ok(Row {
                    line,
                    record: &self.record,
                    headers: &self.headers,
                    file: &self.file,
                })))
            }
        }
    }

    /// Finishes the file: its name, digest, size and row count for the report.
    pub(crate) fn finish(self) -> InputFile {
        let rows = self.rows;
        let file = self.file;
        let (sha256, bytes) = self.reader.into_inner().finish();
        InputFile {
            name: file,
            sha256,
            bytes,
            rows,
        }
    }
}

impl<'t> Row<'t> {
    /// A row of `record`, starting at `line`, of a file with these headers.
    pub(crate) fn new(
        line: u64,
        record: &'t ByteRecord,
        headers: &'t [String],
        file: &'t str,
    ) -> Self {
        Self {
            line,
            record,
            headers,
            file,
        }
    }

    /// The cell at `index` as UTF-8 text.
    pub(crate) fn text(&self, index: usize) -> Result<&str, BadRow> {
        let raw = self.record.get(index).unwrap_or_default();
        // Lines end at '\n'; the '\r' of a CRLF ending stays on the last cell.
        let raw = if index + 1 == self.record.len() {
            raw.strip_suffix(b"\r").unwrap_or(raw)
        } else {
            raw
        };
        std::str::from_utf8(raw).map_err(|_| {
            let found = shown(&raw.escape_ascii().to_string());
            self.bad(index, format!("expected UTF-8 text, found {found}"))
        })
    }

    /// The cell at `index`, which must not be empty.
    /// The cell at `index` without surrounding white space (an export artefact:
    /// `" 1 "` is user `1`), which must not be empty.
    pub(crate) fn required(&self, index: usize, what: &str) -> Result<&str, BadRow> {
        let text = self.text(index)?.trim();
        if text.is_empty() {
            return Err(self.bad(index, format!("expected {what}, found an empty cell")));
        }
        Ok(text)
    }

    /// The timestamp cell at `index` (which must not be empty), in UTC milliseconds.
    pub(crate) fn timestamp(
        &self,
        index: usize,
        what: &str,
        format: crate::plan::TimestampFormat,
    ) -> Result<i64, BadRow> {
        let text = self.required(index, what)?;
        super::parse_timestamp(text, format).map_err(|_| {
            let expected = super::expected_timestamp(format);
            self.bad(index, format!("expected {expected}, found {}", shown(text)))
        })
    }

    /// The bot/test flag cell at `index` (see [`super::parse_bot_flag`]).
    pub(crate) fn bot_flag(&self, index: usize) -> Result<bool, BadRow> {
        let text = self.text(index)?;
        super::parse_bot_flag(text).ok_or_else(|| {
            self.bad(
                index,
                format!(
                    "expected a bot flag (true/false, 1/0, yes/no), found {}",
                    shown(text)
                ),
            )
        })
    }

    /// A bad-row record naming this row and the column at `index`.
    pub(crate) fn bad(&self, index: usize, message: String) -> BadRow {
        BadRow {
            file: self.file.to_string(),
            line: self.line,
            column: self.headers.get(index).cloned(),
            message,
        }
    }
}

/// The CSV reader every file goes through. Records end at `\n` only: csv's own
/// CRLF handling reports the line of a record after a CRLF one too low, and exact
/// line numbers matter more; the `\r` left on the last cell is stripped when read.
pub(crate) fn csv_builder() -> ReaderBuilder {
    let mut builder = ReaderBuilder::new();
    builder
        .flexible(true)
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16);
    builder
}

/// A line holding nothing but a `\r` (a blank CRLF line): skipped like blank lines.
pub(crate) fn is_blank(record: &ByteRecord) -> bool {
    record.len() == 1 && record.get(0).is_some_and(|c| c.is_empty() || c == b"\r")
}

/// Header cells as names: BOM and surrounding white space removed.
pub(crate) fn header_names(record: &ByteRecord) -> Vec<String> {
    record
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = String::from_utf8_lossy(h);
            let h = if i == 0 {
                h.trim_start_matches('\u{feff}')
            } else {
                &h
            };
            h.trim().to_string()
        })
        .collect()
}

/// Index of the column named `name`, or an error listing the headers found; a name
/// the header holds twice is an error too (which one was meant cannot be known).
pub(crate) fn column_index(
    file: &str,
    headers: &[String],
    name: &str,
    role: &str,
) -> Result<usize, AnalysisError> {
    let mut matches = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| *h == name.trim())
        .map(|(i, _)| i);
    let first = matches.next().ok_or_else(|| AnalysisError::MissingColumn {
        file: file.into(),
        column: name.into(),
        role: role.into(),
        found: headers.to_vec(),
    })?;
    if let Some(second) = matches.next() {
        return Err(AnalysisError::Data(format!(
            "{file}: column {name:?} ({role}) appears twice in the header (columns {} and {}); \
             rename one of them",
            first + 1,
            second + 1
        )));
    }
    Ok(first)
}

/// Reads the header line, skipping blank lines before it.
pub(crate) fn read_header_record<Rd: Read>(
    reader: &mut csv::Reader<Rd>,
    record: &mut ByteRecord,
    file: &str,
) -> Result<Vec<String>, AnalysisError> {
    loop {
        let found = reader
            .read_byte_record(record)
            .map_err(|e| io_error(file, &e))?;
        if !found {
            return Err(AnalysisError::EmptyFile { file: file.into() });
        }
        if !is_blank(record) {
            return Ok(header_names(record));
        }
    }
}

/// A cell's text for a message: quoted, and cut to its first 64 characters.
pub(crate) fn shown(text: &str) -> String {
    const MAX: usize = 64;
    match text.char_indices().nth(MAX) {
        None => format!("{text:?}"),
        Some((cut, _)) => format!(
            "{:?}… ({} bytes in all)",
            text.get(..cut).unwrap_or_default(),
            text.len()
        ),
    }
}

fn io_error(file: &str, e: &csv::Error) -> AnalysisError {
    AnalysisError::Io {
        file: file.into(),
        message: e.to_string(),
    }
}

/// Bad rows of both files: stop at the first, or count and list them.
#[derive(Debug)]
pub struct BadRowLog {
    policy: OnBadRow,
    /// Bad rows seen so far.
    pub total: u64,
    /// The first [`MAX_LISTED_BAD_ROWS`] of them.
    pub listed: Vec<BadRow>,
}

impl BadRowLog {
    /// An empty log under the plan's policy.
    pub fn new(policy: OnBadRow) -> Self {
        Self {
            policy,
            total: 0,
            listed: Vec::new(),
        }
    }

    /// Records a bad row, or turns it into the analysis error under `stop`.
    pub fn record(&mut self, row: BadRow) -> Result<(), AnalysisError> {
        if self.policy == OnBadRow::Stop {
            return Err(AnalysisError::BadRow(row));
        }
        self.total += 1;
        if self.listed.len() < MAX_LISTED_BAD_ROWS {
            self.listed.push(row);
        }
        Ok(())
    }
}
