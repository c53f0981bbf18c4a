//! The one way to stdout: every command writes through [`Stdout`], which ends quietly when the
//! reader goes away (`| head`, a closed pipe) instead of panicking or printing "Broken pipe".

use std::io::{self, Write};

/// stdout that ends quietly when its reader goes away: later writes are dropped.
#[derive(Default)]
pub(crate) struct Stdout {
    closed: bool,
    /// A spinner or bar on the same terminal: cleared while stdout is written, so that no
    /// stale bar line is left between lines of the answer.
    bar: Option<indicatif::ProgressBar>,
}

impl Stdout {
    /// stdout on the terminal where `bar` is drawn (`None` when stdout goes elsewhere).
    pub(crate) fn around(bar: Option<indicatif::ProgressBar>) -> Stdout {
        Stdout { closed: false, bar }
    }

    /// True once the reader has gone away.
    pub(crate) fn closed(&self) -> bool {
        self.closed
    }

    /// Writes and flushes; a closed reader is not an error, only remembered.
    pub(crate) fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let write = || {
            let mut out = io::stdout().lock();
            out.write_all(bytes).and_then(|()| out.flush())
        };
        let result = match &self.bar {
            Some(bar) if !bar.is_finished() => bar.suspend(write),
            _ => write(),
        };
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }

    /// A line of text (a newline is added).
    pub(crate) fn line(&mut self, text: &str) -> io::Result<()> {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(b'\n');
        self.write_all(&bytes)
    }
}

/// Prints one line on stdout through [`Stdout`]: for the commands that print a line or a table.
pub(crate) fn print_line(text: &str) -> io::Result<()> {
    Stdout::default().line(text)
}
