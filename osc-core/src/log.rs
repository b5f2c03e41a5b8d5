//! Diagnostics: `--debug` and `-v` go to stderr, `--log-file` to a file. Everything passes
//! through [`crate::redact`] first, so no secret is ever written.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

struct Logger {
    debug: bool,
    verbose: u8,
    file: Option<std::fs::File>,
}

static LOGGER: OnceLock<Mutex<Logger>> = OnceLock::new();

/// Sets up logging once per process; later calls are ignored.
pub fn init(debug: bool, verbose: u8, log_file: Option<&str>) -> std::io::Result<()> {
    let file = match log_file {
        Some(p) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)?,
        ),
        None => None,
    };
    let _ = LOGGER.set(Mutex::new(Logger {
        debug,
        verbose,
        file,
    }));
    Ok(())
}

pub fn debug_enabled() -> bool {
    LOGGER
        .get()
        .and_then(|l| l.lock().ok().map(|l| l.debug || l.file.is_some()))
        .unwrap_or(false)
}

/// A debug line: shown with `--debug` (or `-vvv`), always written to `--log-file`.
pub fn debug(msg: &str) {
    write(msg, 3);
}

/// An informational line: shown with `-v`.
pub fn info(msg: &str) {
    write(msg, 2);
}

/// A warning: shown unless `-q`.
pub fn warn(msg: &str) {
    write(msg, 1);
}

fn write(msg: &str, level: u8) {
    let Some(l) = LOGGER.get() else {
        if level <= 1 {
            eprintln!("{msg}");
        }
        return;
    };
    let Ok(mut l) = l.lock() else { return };
    if l.debug || l.verbose >= level {
        let _ = writeln!(std::io::stderr(), "{msg}");
    }
    if let Some(f) = l.file.as_mut() {
        let _ = writeln!(f, "{msg}");
    }
}
