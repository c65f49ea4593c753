//! Errors and exit codes: 2 for bad input, 1 for internal failures.

use std::io::{self, Write};
use std::process::ExitCode;

/// A failure of a subcommand, with the exit code it maps to.
#[derive(Debug)]
pub enum CliError {
    /// The user's input is unusable (files, CSV rows, plan, arguments): exit 2.
    Input(String),
    /// Something failed that the user did not cause (writing output…): exit 1.
    Internal(String),
    /// stdout was closed early (e.g. piped into `head`): exit quietly.
    BrokenPipe,
}

impl CliError {
    /// Prints the message on stderr and returns the exit code.
    pub fn report(self) -> ExitCode {
        match self {
            Self::Input(msg) => {
                eprintln!("splitscope: error: {msg}");
                ExitCode::from(2)
            }
            Self::Internal(msg) => {
                eprintln!("splitscope: internal error: {msg}");
                ExitCode::from(1)
            }
            Self::BrokenPipe => ExitCode::SUCCESS,
        }
    }

    /// An error writing `what`.
    pub fn write(what: &str, e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Self::BrokenPipe
        } else {
            Self::Internal(format!("cannot write {what}: {e}"))
        }
    }
}

/// Writes text to stdout, mapping failures.
pub fn print_stdout(text: &str) -> Result<(), CliError> {
    print_bytes(text.as_bytes())
}

/// Writes bytes to stdout, mapping failures.
pub fn print_bytes(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| CliError::write("to stdout", e))
}

/// Turns a panic into an "internal error" message and exit code 1 instead of
/// Rust's default panic output and code 101.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("splitscope: internal error (a bug, please report it): {info}");
        std::process::exit(1);
    }));
}
