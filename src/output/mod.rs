//! What reaches the user: the body on stdout (terminal: pretty and coloured; pipe: exact bytes),
//! the status line, warnings and the spinner on stderr, and `--jq`. One room per concern:
//! [`stdout`] (the only way to stdout), [`pretty`] (the JSON printer), [`jq`], [`progress`]
//! (spinner and bar), [`safe`] (server text made safe for a terminal).

pub mod file;
pub mod jq;
pub mod pretty;
pub mod progress;
pub mod safe;
pub mod stdout;

use std::io::{self, IsTerminal};
use std::time::Duration;

pub use file::OutputFile;
pub use jq::{Jq, JqError, Render};
pub use pretty::{Layout, pretty_json, reformat};
pub use stdout::{Stdout, print_line};

use crate::cli::ColorChoice;

/// One line to stderr (a newline is added), never panicking, the active key masked: what
/// [`say!`](crate::say) writes. Unit tests see it in their captured output.
pub fn say_line(text: &str) {
    let text = safe::scrub(text);
    #[cfg(test)]
    eprintln!("{text}");
    #[cfg(not(test))]
    {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{text}");
    }
}

/// True when stdout is a pipe or a socket: another program reads it, and may print to the
/// same terminal as our stderr.
pub fn stdout_is_pipe() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        same_file::Handle::stdout()
            .ok()
            .and_then(|h| h.as_file().metadata().ok())
            .is_some_and(|m| m.file_type().is_fifo() || m.file_type().is_socket())
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Whether to colour a stream: `--color` first, then `NO_COLOR`, then `CLICOLOR_FORCE`, then
/// whether the stream is a terminal.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => is_terminal,
    }
}

/// How stdout and stderr behave for one command.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    pub stdout_color: bool,
    pub stderr_color: bool,
}

impl Terminal {
    pub fn detect(choice: ColorChoice) -> Terminal {
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        Terminal {
            stdout_tty,
            stderr_tty,
            stdout_color: use_color(choice, stdout_tty),
            stderr_color: use_color(choice, stderr_tty),
        }
    }

    /// Bodies are re-indented for a person on a terminal only. A pipe keeps the answer's
    /// bytes; when colour is forced there, colour is added and nothing else.
    pub fn layout(&self) -> Option<Layout> {
        match (self.stdout_tty, self.stdout_color) {
            (true, _) => Some(Layout::Pretty),
            (false, true) => Some(Layout::Keep),
            (false, false) => None,
        }
    }
}

/// The status line: `HTTP 200 OK · 0.42 s`.
pub fn status_line(status: u16, elapsed: Duration, color: bool) -> String {
    let text = crate::error::status_words(status);
    let secs = format!("{:.2} s", elapsed.as_secs_f64());
    if !color {
        return format!("{text} · {secs}");
    }
    let code = match status {
        200..=299 => "32;1",
        400..=499 => "33;1",
        _ => "31;1",
    };
    format!("\x1b[{code}m{text}\x1b[0m · {secs}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        let line = status_line(200, Duration::from_millis(420), false);
        assert_eq!(line, "HTTP 200 OK · 0.42 s");
        let line = status_line(599, Duration::from_millis(5), false);
        assert_eq!(line, "HTTP 599 · 0.01 s");
    }
}
