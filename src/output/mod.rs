//! What reaches the user: the body on stdout (terminal: pretty and coloured; pipe: exact bytes),
//! the status line, warnings and the spinner on stderr, and `--jq`. One room per concern:
//! [`stdout`] (the only way to stdout), [`pretty`] (the JSON printer), [`jq`], [`progress`]
//! (spinner and bar), [`safe`] (server text made safe for a terminal).

/// `eprintln!` that never panics: a closed or full stderr must not turn an answer into a crash
/// (exit 101). What cannot be said is dropped. The active key is masked in whatever is said.
macro_rules! say {
    ($($arg:tt)*) => {{
        $crate::output::say_line(&format!($($arg)*));
    }};
}
pub(crate) use say;

pub(crate) mod file;
pub(crate) mod jq;
pub(crate) mod pretty;
pub(crate) mod progress;
pub(crate) mod reason;
pub(crate) mod safe;
pub(crate) mod stdout;

use std::io::{self, IsTerminal};
use std::time::Duration;

pub(crate) use file::OutputFile;
pub(crate) use jq::{Jq, JqError, Render};
pub(crate) use pretty::{Layout, pretty_json, reformat};
pub(crate) use stdout::{Stdout, print_line};

use crate::cli::ColorChoice;

/// One line to stderr (a newline is added), never panicking, the active key masked: what
/// [`say!`](crate::say) writes. Unit tests see it in their captured output.
pub(crate) fn say_line(text: &str) {
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
pub(crate) fn stdout_is_pipe() -> bool {
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
pub(crate) fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
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
pub(crate) struct Terminal {
    pub(crate) stdout_tty: bool,
    pub(crate) stderr_tty: bool,
    pub(crate) stdout_color: bool,
    pub(crate) stderr_color: bool,
}

impl Terminal {
    pub(crate) fn detect(choice: ColorChoice) -> Terminal {
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
    pub(crate) fn layout(&self) -> Option<Layout> {
        match (self.stdout_tty, self.stdout_color) {
            (true, _) => Some(Layout::Pretty),
            (false, true) => Some(Layout::Keep),
            (false, false) => None,
        }
    }
}

/// The status line: `HTTP 200 OK · 0.42 s`.
pub(crate) fn status_line(status: u16, elapsed: Duration, color: bool) -> String {
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
