//! What moves on stderr while we wait: a spinner for one run, a bar for a batch. Only ever on
//! a terminal, and never with `-q`.

use std::time::Duration;

use indicatif::{ProgressDrawTarget, TermLike};

/// stderr as indicatif sees it, a few columns narrower than it is. indicatif pads its line to
/// the terminal's width; the echo of a Ctrl-C (`^C`) would then wrap to a new line, and the
/// clearing that follows would erase that line instead of the bar's. Short of the edge, `^C`
/// lands on the bar's line and goes with it.
#[derive(Debug)]
struct ShortOfTheEdge(console::Term);

/// Columns left free at the right edge.
const MARGIN: u16 = 4;

impl TermLike for ShortOfTheEdge {
    fn width(&self) -> u16 {
        self.0.size().1.saturating_sub(MARGIN).max(20)
    }
    fn height(&self) -> u16 {
        self.0.size().0
    }
    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_up(n)
    }
    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_down(n)
    }
    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_right(n)
    }
    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        self.0.move_cursor_left(n)
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.0.write_line(s)
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.0.write_str(s)
    }
    fn clear_line(&self) -> std::io::Result<()> {
        self.0.clear_line()
    }
    fn flush(&self) -> std::io::Result<()> {
        self.0.flush()
    }
}

fn stderr_target() -> ProgressDrawTarget {
    ProgressDrawTarget::term_like_with_hz(
        Box::new(ShortOfTheEdge(console::Term::buffered_stderr())),
        20,
    )
}

/// Starts drawing a spinner or bar made here: callers do it once Ctrl-C is caught, so that
/// whatever is drawn is cleared on the way out.
pub(crate) fn start(bar: &indicatif::ProgressBar) {
    bar.set_draw_target(stderr_target());
    bar.enable_steady_tick(Duration::from_millis(100));
}

/// A spinner with the elapsed time on stderr (drawn from [`start`] on).
pub(crate) fn spinner(show: bool, what: &str) -> Option<indicatif::ProgressBar> {
    if !show {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} · {elapsed}")
            .expect("a valid template"),
    );
    bar.set_message(format!("running {what}"));
    Some(bar)
}

/// A batch's bar. With a known size (a regular file) it shows how much of the input is done,
/// by bytes; from a pipe it counts lines.
pub(crate) fn batch_bar(show: bool, total_bytes: Option<u64>) -> Option<indicatif::ProgressBar> {
    if !show {
        return None;
    }
    let (bar, template) = match total_bytes {
        Some(n) => (
            indicatif::ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::hidden()),
            "{bar:30} {percent:>3}% · {msg} · ETA {eta}",
        ),
        None => (indicatif::ProgressBar::no_length(), "{spinner} {msg}"),
    };
    bar.set_style(indicatif::ProgressStyle::with_template(template).expect("a valid template"));
    bar.set_message("0 done · 0 failed");
    Some(bar)
}
