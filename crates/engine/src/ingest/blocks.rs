//! Splitting a CSV stream into blocks that end on record boundaries, so blocks can
//! be parsed on several threads and their rows applied in file order.
//!
//! A newline ends a record unless it sits inside a quoted field. Rather than guess
//! where quoted fields end, the splitter only cuts blocks that contain no quote at
//! all; from the first quote on, the rest of the stream is parsed in one piece. The
//! results are the same either way — only the speed differs.

use std::io::{self, Read};

/// A run of whole records and the line number its first record starts on.
pub(crate) struct Block {
    pub(crate) bytes: Vec<u8>,
    pub(crate) first_line: u64,
}

/// What the splitter hands out next.
pub(crate) enum Piece<R> {
    /// Whole records without quotes.
    Block(Block),
    /// Everything left, to be parsed as one stream, starting on this line.
    Rest(io::Chain<io::Cursor<Vec<u8>>, R>, u64),
}

/// Cuts a reader into quote-free blocks of about `block_size` bytes.
pub(crate) struct BlockSplitter<R> {
    reader: Option<R>,
    pending: Vec<u8>,
    block_size: usize,
    lines_before: u64,
    eof: bool,
}

impl<R: Read> BlockSplitter<R> {
    /// A splitter over `reader`; `pending` holds bytes already read from it, and
    /// `lines_before` counts the lines they follow.
    pub(crate) fn new(reader: R, pending: Vec<u8>, lines_before: u64, block_size: usize) -> Self {
        Self {
            reader: Some(reader),
            pending,
            block_size: block_size.max(1),
            lines_before,
            eof: false,
        }
    }

    /// The next piece, or `None` at the end of the stream.
    pub(crate) fn next_piece(&mut self) -> io::Result<Option<Piece<R>>> {
        self.fill()?;
        if memchr::memchr(b'"', &self.pending).is_some() {
            let pending = std::mem::take(&mut self.pending);
            return Ok(self
                .reader
                .take()
                .map(|r| Piece::Rest(io::Cursor::new(pending).chain(r), self.lines_before + 1)));
        }
        let cut = if self.eof {
            self.pending.len()
        } else {
            match memchr::memrchr(b'\n', &self.pending) {
                Some(newline) => newline + 1,
                // One record longer than a block: hand the rest over as a stream.
                None => {
                    let pending = std::mem::take(&mut self.pending);
                    let start = self.lines_before + 1;
                    return Ok(self
                        .reader
                        .take()
                        .map(|r| Piece::Rest(io::Cursor::new(pending).chain(r), start)));
                }
            }
        };
        if cut == 0 {
            return Ok(None);
        }
        let rest = self.pending.split_off(cut);
        let bytes = std::mem::replace(&mut self.pending, rest);
        let first_line = self.lines_before + 1;
        self.lines_before += memchr::memchr_iter(b'\n', &bytes).count() as u64;
        Ok(Some(Piece::Block(Block { bytes, first_line })))
    }

    /// Reads until a block's worth is pending or the stream ends.
    fn fill(&mut self) -> io::Result<()> {
        let Some(reader) = self.reader.as_mut() else {
            self.eof = true;
            return Ok(());
        };
        while !self.eof && self.pending.len() < self.block_size {
            let start = self.pending.len();
            // Read room grows with what is pending (8 KiB, then doubling) up to the
            // usual chunk, so a small file does not zero a 1 MiB buffer twice.
            let chunk = start.max(8192).min(self.block_size.clamp(4096, 1 << 20));
            self.pending.resize(start + chunk, 0);
            let n = loop {
                match reader.read(self.pending.get_mut(start..).unwrap_or_default()) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other,
                }
            };
            match n {
                Ok(n) => {
                    self.pending.truncate(start + n);
                    self.eof = n == 0;
                }
                Err(e) => {
                    self.pending.truncate(start);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// The reader, while the splitter holds it.
    pub(crate) fn reader_ref(&self) -> Option<&R> {
        self.reader.as_ref()
    }

    /// The reader, once the splitter is done with it.
    pub(crate) fn into_reader(self) -> Option<R> {
        self.reader
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, block: usize) -> Vec<(String, u64, bool)> {
        let mut s = BlockSplitter::new(text.as_bytes(), Vec::new(), 1, block);
        let mut out = Vec::new();
        while let Some(p) = s.next_piece().unwrap() {
            match p {
                Piece::Block(b) => {
                    out.push((String::from_utf8(b.bytes).unwrap(), b.first_line, false))
                }
                Piece::Rest(mut r, line) => {
                    let mut rest = String::new();
                    r.read_to_string(&mut rest).unwrap();
                    out.push((rest, line, true));
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn cuts_on_newlines_and_counts_lines() {
        let text: String = (0..50_000).map(|i| format!("u{i},{}\n", i % 7)).collect();
        let p = pieces(&text, 1000);
        assert!(p.len() > 3, "{}", p.len());
        let joined: String = p.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(joined, text);
        assert!(p.iter().all(|x| x.0.ends_with('\n') && !x.2));
        let mut line = 2;
        for piece in &p {
            assert_eq!(piece.1, line);
            line += piece.0.matches('\n').count() as u64;
        }
    }

    #[test]
    fn last_record_without_newline_is_kept() {
        let p = pieces("a,1\nb,2", 3);
        let joined: String = p.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(joined, "a,1\nb,2");
    }

    #[test]
    fn quotes_hand_the_rest_over_whole() {
        let p = pieces("a,1\nb,\"x\ny\"\nc,3\n", 4);
        let joined: String = p.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(joined, "a,1\nb,\"x\ny\"\nc,3\n");
        assert!(p.last().unwrap().2, "{p:?}");
        assert!(p.iter().filter(|x| !x.2).all(|x| !x.0.contains('"')));
    }
}
