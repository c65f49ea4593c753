//! A `std::io::Read` adapter over any source that can hand out byte ranges.
//!
//! In the worker the source is a `Blob` read with `Blob.slice` + `FileReaderSync`
//! ([`crate::worker::BlobSource`]), so the engine streams a 400 MB file in chunks
//! and never holds more than one chunk of it; natively the logic is tested with slices.

use std::io::{self, Read};

/// Default chunk size: large enough to amortise the JS call, small enough for memory.
pub const DEFAULT_CHUNK: usize = 4 << 20;

/// Something with a known size whose byte ranges can be fetched.
pub trait RangeSource {
    /// Total size in bytes.
    fn size(&self) -> u64;
    /// Appends bytes `start..end` (already clamped to `size`) to `out`.
    fn read_range(&mut self, start: u64, end: u64, out: &mut Vec<u8>) -> io::Result<()>;
}

impl RangeSource for &[u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn read_range(&mut self, start: u64, end: u64, out: &mut Vec<u8>) -> io::Result<()> {
        out.extend_from_slice(&self[start as usize..end as usize]);
        Ok(())
    }
}

/// Reads a [`RangeSource`] front to back, one chunk at a time, reporting how far it got.
pub struct ChunkedReader<S> {
    source: S,
    chunk: usize,
    next: u64,
    buf: Vec<u8>,
    pos: usize,
}

impl<S: RangeSource> ChunkedReader<S> {
    /// A reader fetching `chunk` bytes at a time (at least 1).
    pub fn new(source: S, chunk: usize) -> Self {
        Self {
            source,
            chunk: chunk.max(1),
            next: 0,
            buf: Vec::new(),
            pos: 0,
        }
    }

    /// Bytes handed to the caller so far.
    pub fn consumed(&self) -> u64 {
        self.next - (self.buf.len() - self.pos) as u64
    }

    /// Total size of the source.
    pub fn size(&self) -> u64 {
        self.source.size()
    }

    fn refill(&mut self) -> io::Result<()> {
        let size = self.source.size();
        self.buf.clear();
        self.pos = 0;
        if self.next >= size {
            return Ok(());
        }
        let end = (self.next + self.chunk as u64).min(size);
        self.source.read_range(self.next, end, &mut self.buf)?;
        if self.buf.len() as u64 != end - self.next {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file changed or shrank while it was being read",
            ));
        }
        self.next = end;
        Ok(())
    }
}

impl<S: RangeSource> Read for ChunkedReader<S> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.buf.len() {
            self.refill()?;
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(data: &[u8], chunk: usize, step: usize) -> Vec<u8> {
        let mut r = ChunkedReader::new(data, chunk);
        let mut out = Vec::new();
        let mut tmp = vec![0u8; step];
        loop {
            let n = r.read(&mut tmp).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&tmp[..n]);
            assert_eq!(r.consumed(), out.len() as u64);
        }
        out
    }

    #[test]
    fn reads_everything_for_any_chunk_and_buffer_size() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        for chunk in [1, 3, 64, 999, 1000, 4096] {
            for step in [1, 7, 100, 5000] {
                assert_eq!(
                    read_all(&data, chunk, step),
                    data,
                    "chunk {chunk} step {step}"
                );
            }
        }
    }

    #[test]
    fn empty_source_is_eof() {
        assert!(read_all(&[], 16, 16).is_empty());
    }

    struct Shrinking;
    impl RangeSource for Shrinking {
        fn size(&self) -> u64 {
            10
        }
        fn read_range(&mut self, _: u64, _: u64, out: &mut Vec<u8>) -> io::Result<()> {
            out.push(1);
            Ok(())
        }
    }

    #[test]
    fn short_reads_are_an_error_not_silent_truncation() {
        let mut r = ChunkedReader::new(Shrinking, 4);
        let err = r.read(&mut [0u8; 4]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn works_with_read_to_string() {
        let mut s = String::new();
        ChunkedReader::new(&b"a,b\n1,2\n"[..], 3)
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "a,b\n1,2\n");
    }
}
