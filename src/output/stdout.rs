//! The one way to stdout: every command writes through [`Stdout`], which ends quietly when the
//! reader goes away (`| head`, a closed pipe) instead of panicking or printing "Broken pipe".

use std::io::{self, Write};

/// stdout that ends quietly when its reader goes away: later writes are dropped.
#[derive(Default)]
pub struct Stdout {
    closed: bool,
}

impl Stdout {
    /// True once the reader has gone away.
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// Writes and flushes; a closed reader is not an error, only remembered.
    pub fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        match out.write_all(bytes).and_then(|()| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }

    /// A line of text (a newline is added).
    pub fn line(&mut self, text: &str) -> io::Result<()> {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(b'\n');
        self.write_all(&bytes)
    }
}

/// Prints one line on stdout through [`Stdout`]: for the commands that print a line or a table.
pub fn print_line(text: &str) -> io::Result<()> {
    Stdout::default().line(text)
}
