//! A reader wrapper that hashes and counts every byte on its way to the CSV parser,
//! so the report's SHA-256 costs no second pass.

use std::io::{self, Read};

use sha2::{Digest, Sha256};

/// A named input: a file name for messages and any `io::Read`.
pub struct Input<R> {
    /// File name shown in messages and the report.
    pub name: String,
    /// The bytes.
    pub reader: R,
    /// Total size in bytes, when known (for progress).
    pub size: Option<u64>,
}

impl<R: Read> Input<R> {
    /// An input of unknown size.
    pub fn new(name: &str, reader: R) -> Self {
        Self {
            name: name.into(),
            reader,
            size: None,
        }
    }

    /// Sets the size in bytes (for progress fractions).
    pub fn with_size(mut self, size: u64) -> Self {
        self.size = Some(size);
        self
    }
}

/// Hashes and counts the bytes read through it.
pub(crate) struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashingReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Bytes read so far.
    pub(crate) fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The hex SHA-256 and byte count of everything read (the parser reads to the end).
    pub(crate) fn finish(self) -> (String, u64) {
        let digest = self.hasher.finalize();
        let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
        (hex, self.bytes)
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = buf.get(..n).unwrap_or_default();
        self.hasher.update(read);
        self.bytes += n as u64;
        Ok(n)
    }
}
