//! Every byte a person sees, in one place (gh's IOStreams, jj's Ui): stdout and stderr, what is
//! a terminal, colour, `-q`, the live spinner or bar, and questions asked on the terminal.
//! Commands write through a [`Ui`] only; a test hands them one with buffers instead of the
//! process's streams (`Ui::buffered`).
//!
//! stdout ends quietly when its reader goes away (`| head`): later writes are dropped and
//! [`Ui::closed`] says so. Everything said on stderr has the command's key masked (the Ui
//! carries it from the moment the key is known: [`Ui::mask_key`]) and is written around a
//! live bar, never through it.

pub(crate) mod progress;

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::output::Layout;
use crate::output::safe::Mask;

/// When to colour output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

/// What the streams are: terminals or not, coloured or not.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Terminal {
    pub(crate) stdin_tty: bool,
    pub(crate) stdout_tty: bool,
    pub(crate) stderr_tty: bool,
    /// stdout is a pipe or a socket: another program reads it, and may print to our terminal.
    pub(crate) stdout_pipe: bool,
    pub(crate) stdout_color: bool,
    pub(crate) stderr_color: bool,
}

impl Terminal {
    fn detect(choice: Color) -> Terminal {
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        Terminal {
            stdin_tty: io::stdin().is_terminal(),
            stdout_tty,
            stderr_tty,
            stdout_pipe: stdout_is_pipe(),
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

/// Whether to colour a stream: `--color` first, then `NO_COLOR`, then `CLICOLOR_FORCE`, then
/// whether the stream is a terminal.
pub(crate) fn use_color(choice: Color, is_terminal: bool) -> bool {
    let set = |name: &str| crate::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto if set("NO_COLOR") => false,
        Color::Auto if set("CLICOLOR_FORCE") => true,
        Color::Auto => is_terminal,
    }
}

/// True when stdout is a pipe or a socket.
fn stdout_is_pipe() -> bool {
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

/// Where a stream's bytes go.
enum Stream {
    /// The process's own stdout or stderr.
    Real,
    /// A buffer (tests).
    #[cfg_attr(not(test), allow(dead_code))]
    Buffer(Vec<u8>),
}

struct Streams {
    out: Stream,
    err: Stream,
    /// stdout's reader went away.
    closed: bool,
    /// The spinner or bar on stderr, while one is live.
    bar: Option<indicatif::ProgressBar>,
    /// The key of this command, hidden in everything said on stderr.
    mask: Mask,
}

/// The streams of one command. Cheap to clone: clones share the streams (a batch's workers,
/// the history writer's thread).
#[derive(Clone)]
pub(crate) struct Ui {
    term: Terminal,
    quiet: bool,
    streams: Arc<Mutex<Streams>>,
}

impl Ui {
    /// The process's streams, as `--color` and `-q` say.
    pub(crate) fn new(color: Color, quiet: bool) -> Ui {
        Ui::with(Terminal::detect(color), quiet, Stream::Real, Stream::Real)
    }

    /// Buffers instead of the process's streams, seen as `term` says (tests).
    #[cfg(test)]
    pub(crate) fn buffered(term: Terminal, quiet: bool) -> Ui {
        Ui::with(
            term,
            quiet,
            Stream::Buffer(Vec::new()),
            Stream::Buffer(Vec::new()),
        )
    }

    fn with(term: Terminal, quiet: bool, out: Stream, err: Stream) -> Ui {
        Ui {
            term,
            quiet,
            streams: Arc::new(Mutex::new(Streams {
                out,
                err,
                closed: false,
                bar: None,
                mask: Mask::default(),
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Streams> {
        self.streams.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What was written to stdout and stderr so far (a buffered Ui's; empty for a real one).
    #[cfg(test)]
    pub(crate) fn written(&self) -> (String, String) {
        let s = self.lock();
        let text = |stream: &Stream| match stream {
            Stream::Buffer(b) => String::from_utf8_lossy(b).into_owned(),
            Stream::Real => String::new(),
        };
        (text(&s.out), text(&s.err))
    }

    pub(crate) fn term(&self) -> Terminal {
        self.term
    }

    pub(crate) fn quiet(&self) -> bool {
        self.quiet
    }

    /// A question can be asked: stdin and stderr are a terminal.
    pub(crate) fn can_prompt(&self) -> bool {
        self.term.stdin_tty && self.term.stderr_tty
    }

    /// From now on, stderr text (and stdout on the same terminal) is written around `bar`.
    pub(crate) fn set_bar(&self, bar: Option<indicatif::ProgressBar>) {
        self.lock().bar = bar;
    }

    /// From now on, `mask`'s key is hidden in everything said on stderr (error lines and hints
    /// included, whatever server text they quote).
    pub(crate) fn mask_key(&self, mask: Mask) {
        self.lock().mask = mask;
    }

    /// True once stdout's reader has gone away: there is no one left to read.
    pub(crate) fn closed(&self) -> bool {
        self.lock().closed
    }

    /// Writes to stdout and flushes. A reader that went away is not an error, only
    /// remembered; later writes are dropped.
    pub(crate) fn out(&self, bytes: &[u8]) -> io::Result<()> {
        let mut s = self.lock();
        if s.closed {
            return Ok(());
        }
        let bar = s
            .bar
            .clone()
            .filter(|b| self.term.stdout_tty && !b.is_finished());
        let result = match &mut s.out {
            Stream::Buffer(b) => {
                b.extend_from_slice(bytes);
                Ok(())
            }
            Stream::Real => {
                let write = || {
                    let mut out = io::stdout().lock();
                    out.write_all(bytes).and_then(|()| out.flush())
                };
                match bar {
                    Some(bar) => bar.suspend(write),
                    None => write(),
                }
            }
        };
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                s.closed = true;
                Ok(())
            }
            other => other,
        }
    }

    /// A line on stdout (a newline is added).
    pub(crate) fn line(&self, text: &str) -> io::Result<()> {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(b'\n');
        self.out(&bytes)
    }

    /// Text for stderr that ends its own lines, the active key masked, around a live bar;
    /// never an error (what cannot be said is dropped).
    pub(crate) fn err(&self, text: &str) {
        let mut s = self.lock();
        let text = s.mask.hide(text).into_owned();
        let bar = s.bar.clone().filter(|b| !b.is_finished());
        match &mut s.err {
            Stream::Buffer(b) => b.extend_from_slice(text.as_bytes()),
            Stream::Real => {
                let write = || {
                    let _ = io::stderr().write_all(text.as_bytes());
                };
                match bar {
                    Some(bar) => bar.suspend(write),
                    None => write(),
                }
            }
        }
    }

    /// A line on stderr.
    pub(crate) fn say(&self, text: &str) {
        self.err(&format!("{text}\n"));
    }

    /// `miiflow: TEXT` on stderr: what miiflow does or did (a retry, a resume, a pause).
    pub(crate) fn tell(&self, text: &str) {
        self.say(&format!("miiflow: {text}"));
    }

    pub(crate) fn note(&self, text: &str) {
        self.say(&format!("miiflow: note: {text}"));
    }

    pub(crate) fn warn(&self, text: &str) {
        self.say(&format!("miiflow: warning: {text}"));
    }

    /// A status line (`HTTP 200 OK · 0.42 s`, a batch's summary): dropped by `-q`.
    pub(crate) fn status(&self, text: &str) {
        if !self.quiet {
            self.say(text);
        }
    }

    /// Asks a yes/no question on the terminal (no by default; Enter confirms, so a stray key
    /// does not). Ctrl-C is [`Error::Interrupted`](crate::error::Error::Interrupted): exit
    /// 130, and the question's line is ended so the shell's prompt starts on its own.
    pub(crate) fn confirm(&self, prompt: &str) -> anyhow::Result<bool> {
        dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(false)
            .wait_for_newline(true)
            .interact()
            .map_err(|e| {
                self.prompt_error(e, |why| {
                    anyhow::anyhow!("cannot ask for confirmation: {why}")
                })
            })
    }

    /// Reads a secret with a hidden prompt on the terminal.
    pub(crate) fn password(&self, prompt: &str) -> anyhow::Result<String> {
        dialoguer::Password::new()
            .with_prompt(prompt)
            .interact()
            .map_err(|e| {
                self.prompt_error(e, |why| {
                    crate::error::Error::BadInput(format!("cannot read the key: {why}")).into()
                })
            })
    }

    fn prompt_error(
        &self,
        e: dialoguer::Error,
        other: impl FnOnce(dialoguer::Error) -> anyhow::Error,
    ) -> anyhow::Error {
        match e {
            dialoguer::Error::IO(io) if io.kind() == io::ErrorKind::Interrupted => {
                self.say("");
                anyhow::Error::new(crate::error::Error::Interrupted)
            }
            e => other(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffered_ui_keeps_what_a_command_says() {
        let ui = Ui::buffered(Terminal::default(), false);
        ui.line("the answer").unwrap();
        ui.note("a note");
        ui.warn("a warning");
        ui.status("HTTP 200 OK");
        let (out, err) = ui.written();
        assert_eq!(out, "the answer\n");
        assert_eq!(
            err,
            "miiflow: note: a note\nmiiflow: warning: a warning\nHTTP 200 OK\n"
        );
    }

    #[test]
    fn quiet_drops_status_lines_only() {
        let ui = Ui::buffered(Terminal::default(), true);
        ui.status("HTTP 200 OK");
        ui.warn("still said");
        assert_eq!(ui.written().1, "miiflow: warning: still said\n");
    }

    #[test]
    fn prompts_need_a_terminal_on_stdin_and_stderr() {
        let mut term = Terminal {
            stdin_tty: true,
            ..Terminal::default()
        };
        assert!(!Ui::buffered(term, false).can_prompt());
        term.stderr_tty = true;
        assert!(Ui::buffered(term, false).can_prompt());
    }

    #[test]
    fn layouts_follow_the_terminal_and_colour() {
        let mut term = Terminal::default();
        assert_eq!(term.layout(), None);
        term.stdout_color = true;
        assert_eq!(term.layout(), Some(Layout::Keep));
        term.stdout_tty = true;
        assert_eq!(term.layout(), Some(Layout::Pretty));
    }

    #[test]
    fn stderr_never_carries_the_active_key() {
        let ui = Ui::buffered(Terminal::default(), false);
        ui.mask_key(Mask::new("mk_ui_test_0123456789", "mk_…6789"));
        ui.warn("the server said: bad key mk_ui_test_0123456789");
        ui.err("trace: mk_ui_test_0123456789\n");
        let err = ui.written().1;
        assert!(!err.contains("0123456789"), "{err}");
        assert_eq!(err.matches("mk_…6789").count(), 2, "{err}");
    }

    #[test]
    fn stdout_gets_bytes_exactly() {
        let ui = Ui::buffered(Terminal::default(), false);
        ui.out(b"{\"a\":1}").unwrap();
        ui.out(b"\x00\xff").unwrap();
        assert!(!ui.closed());
        assert_eq!(ui.written().0, "{\"a\":1}\0\u{fffd}");
    }
}
