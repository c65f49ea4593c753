//! Progress on stderr, only when stderr is a terminal.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use splitscope_engine::{Observer, Stage};

/// Draws `elapsed stage percent` on one stderr line, redrawn only on change.
pub struct TerminalProgress {
    start: Instant,
    last: Option<(Stage, u32)>,
}

impl TerminalProgress {
    /// A progress line when stderr is a terminal and `quiet` is off, else `None`.
    pub fn for_stderr(quiet: bool) -> Option<Self> {
        (!quiet && std::io::stderr().is_terminal()).then(|| Self {
            start: Instant::now(),
            last: None,
        })
    }

    /// Clears the progress line.
    pub fn finish(&mut self) {
        if self.last.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

impl Observer for TerminalProgress {
    fn stage(&mut self, stage: Stage, fraction: f64) {
        let percent = (fraction.clamp(0.0, 1.0) * 100.0) as u32;
        if self.last == Some((stage, percent)) {
            return;
        }
        self.last = Some((stage, percent));
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2K{:>6.1}s  {} {percent:>3}%",
            self.start.elapsed().as_secs_f64(),
            stage.label()
        );
        let _ = err.flush();
    }
}
