//! What moves on stderr while we wait: a spinner for one run, a bar for a batch. Only ever on
//! a terminal, and never with `-q`.

use std::time::Duration;

/// A spinner with the elapsed time on stderr.
pub fn spinner(show: bool, what: &str) -> Option<indicatif::ProgressBar> {
    if !show {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} · {elapsed}")
            .expect("a valid template"),
    );
    bar.set_message(format!("running {what}"));
    bar.enable_steady_tick(Duration::from_millis(100));
    Some(bar)
}

/// A batch's bar. With a known size (a regular file) it shows how much of the input is done,
/// by bytes; from a pipe it counts lines.
pub fn batch_bar(show: bool, total_bytes: Option<u64>) -> Option<indicatif::ProgressBar> {
    if !show {
        return None;
    }
    let (bar, template) = match total_bytes {
        Some(n) => (
            indicatif::ProgressBar::new(n),
            "{bar:30} {percent:>3}% · {msg} · ETA {eta}",
        ),
        None => (indicatif::ProgressBar::no_length(), "{spinner} {msg}"),
    };
    bar.set_style(indicatif::ProgressStyle::with_template(template).expect("a valid template"));
    bar.set_message("0 done · 0 failed");
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}
