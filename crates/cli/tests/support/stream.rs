//! An events "file" of any size, produced on the fly as an `io::Read`: a header, then
//! one block of rows repeated until the requested size. Nothing is written to disk.

use std::io::{self, Read};

/// Users of the generated experiment; even ids are in `control`, odd in `variant`.
pub const USERS: u64 = 1000;

/// Whether user `u` purchases, and for how much per block (whole currency units, so
/// every sum is exact in `f64`). The variant converts a little more often.
pub fn purchase(u: u64) -> Option<u64> {
    let buys = u.is_multiple_of(5) || (u % 2 == 1 && u.is_multiple_of(7));
    buys.then_some(u % 9 + 1)
}

/// The exposures: every user once, on 2023-01-01.
pub fn exposures_csv() -> String {
    let mut text = String::from("user_id,variant,exposure_ts\n");
    for u in 0..USERS {
        let arm = if u % 2 == 0 { "control" } else { "variant" };
        text.push_str(&format!("{u},{arm},2023-01-01 00:00:00\n"));
    }
    text
}

/// The events header.
pub const EVENTS_HEADER: &[u8] = b"user_id,event,amount,event_ts\n";

/// One block of event rows: a view by every user, and its purchase if any; all
/// inside the 7-day window.
pub fn events_block() -> Vec<u8> {
    let mut block = Vec::new();
    for u in 0..USERS {
        block.extend_from_slice(format!("{u},view,0,2023-01-02 08:30:00\n").as_bytes());
        if let Some(amount) = purchase(u) {
            block.extend_from_slice(
                format!("{u},purchase,{amount},2023-01-03T12:00:00Z\n").as_bytes(),
            );
        }
    }
    block
}

/// Rows in one block.
pub fn rows_per_block() -> u64 {
    USERS + (0..USERS).filter(|&u| purchase(u).is_some()).count() as u64
}

/// The header, then `blocks` copies of [`events_block`], read without ever existing
/// as a whole.
pub struct RepeatedRows {
    header: &'static [u8],
    block: Vec<u8>,
    blocks_left: u64,
    /// Position in the header (while `< header.len()`), then in the current block.
    pos: usize,
    in_header: bool,
}

impl RepeatedRows {
    /// A stream of `blocks` blocks.
    pub fn new(blocks: u64) -> Self {
        Self {
            header: EVENTS_HEADER,
            block: events_block(),
            blocks_left: blocks,
            pos: 0,
            in_header: true,
        }
    }

    /// The blocks needed for at least `bytes` bytes.
    pub fn blocks_for(bytes: u64) -> u64 {
        bytes.div_ceil(events_block().len() as u64)
    }

    /// Total bytes the stream yields.
    pub fn total_bytes(blocks: u64) -> u64 {
        EVENTS_HEADER.len() as u64 + blocks * events_block().len() as u64
    }
}

impl Read for RepeatedRows {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let source: &[u8] = if self.in_header {
            self.header
        } else if self.blocks_left == 0 {
            return Ok(0);
        } else {
            &self.block
        };
        let rest = &source[self.pos..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        if self.pos == source.len() {
            self.pos = 0;
            if self.in_header {
                self.in_header = false;
            } else {
                self.blocks_left -= 1;
            }
        }
        Ok(n)
    }
}

/// What the analysis must find for `blocks` blocks, per arm (control, variant):
/// users, converting users and total revenue.
pub fn expected(blocks: u64) -> [(u64, u64, f64); 2] {
    let mut out = [(0, 0, 0.0); 2];
    for u in 0..USERS {
        let arm = &mut out[(u % 2) as usize];
        arm.0 += 1;
        if let Some(amount) = purchase(u) {
            arm.1 += 1;
            arm.2 += (amount * blocks) as f64;
        }
    }
    out
}
