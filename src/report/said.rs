//! What a batch says at the end: the summary, what a resume did, and after Ctrl-C how to go
//! on.

use crate::report::summary::Summary;
use crate::results::journal::{Journal, Resumed};
use crate::shard::Shard;
use crate::ui::Ui;

/// The closing line: how many lines, how they ended, how fast; on Ctrl-C, that it was
/// interrupted and how many lines did not run.
pub(crate) fn say_summary(
    ui: &Ui,
    summary: &Summary,
    name: &str,
    wall: std::time::Duration,
    shard: Option<Shard>,
) {
    // The same wall time and throughput as --summary-json and the job summary say.
    let secs = wall.as_secs_f64();
    let ran = summary.ran;
    let classes = match summary.classes.is_empty() {
        true => String::new(),
        false => format!(" ({})", summary.classes_in_words()),
    };
    let counts = format!(
        "{} succeeded, {} failed{classes} · {ran} run in {secs:.2} s · {:.1}/s",
        summary.done - summary.failed,
        summary.failed,
        summary.throughput(wall)
    );
    // A second line, when anything was sent: latencies, retries and 429 waits.
    let plural = |n: u64, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    let mut timing: Vec<String> = summary
        .latency_in_words()
        .map(|l| format!("latency {l}"))
        .into_iter()
        .collect();
    if summary.retries + summary.waits_429 > 0 {
        timing.push(format!(
            "{}, {}",
            plural(summary.retries, "retry", "retries"),
            plural(summary.waits_429, "429 wait", "429 waits")
        ));
    }
    let timing = match timing.is_empty() {
        true => String::new(),
        false => format!("\n  {}", timing.join(" · ")),
    };
    if summary.stopped.is_none() {
        let lines = match summary.done {
            1 => "1 line".to_owned(),
            n => format!("{n} lines"),
        };
        ui.say(&format!("{name}: {lines}, {counts}{timing}"));
        return;
    }
    let not_run = summary.not_run(shard);
    let rest = match summary.input_ended {
        true => String::new(),
        false => format!(
            ", nor any line after line {} (the input was not read further)",
            summary.lines
        ),
    };
    let why = match summary.stopped {
        Some(crate::error::Error::ReaderGone) => " (the reader of stdout went away)",
        _ => "",
    };
    ui.say(&format!(
        "{name}: interrupted{why} · {} lines done, {counts} · {not_run} did not run{rest}{timing}",
        summary.done
    ));
}

/// After Ctrl-C: the exact command that goes on where this batch stopped.
pub(crate) fn say_how_to_go_on(
    ui: &Ui,
    results: Option<&std::path::Path>,
    argv: &[std::ffi::OsString],
) {
    let mut words: Vec<String> = argv
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let resuming = words
        .iter()
        .any(|w| w == "--resume" || w == "--retry-failed");
    let quoted = |words: &[String]| {
        std::iter::once("miiflow".to_owned())
            .chain(
                words
                    .iter()
                    .map(|w| shlex::try_quote(w).map_or_else(|_| w.clone(), |q| q.into_owned())),
            )
            .collect::<Vec<_>>()
            .join(" ")
    };
    // Results written through a descriptor (`-o /dev/stdout`) cannot be read back to resume.
    let kept = results.filter(|p| !crate::output::file::through_descriptor(p));
    match kept {
        Some(path) => {
            if !resuming {
                words.push("--resume".into());
            }
            ui.tell(&format!(
                "{} keeps every finished line; to go on with the lines that did not \
                 run:\n  {}",
                path.display(),
                quoted(&words)
            ));
        }
        None => ui.tell(
            "the finished lines were printed; with -o RESULTS they would have been kept \
             in a file, and --resume would run only the rest",
        ),
    }
}

/// What a resume did, said once at the end.
pub(crate) fn resume_notes(ui: &Ui, r: &Resumed, dropped: u64, lines: u64) {
    if r.kept > 0 {
        let failed = match r.kept_failed {
            0 => String::new(),
            n => format!(
                " ({n} of them recorded failures, kept as they are: --retry-failed runs them again)"
            ),
        };
        let lines = match r.kept {
            1 => "1 line kept its recorded result".to_owned(),
            n => format!("{n} lines kept their recorded result"),
        };
        ui.tell(&format!("resumed: {lines}{failed}"));
    }
    if r.changed_count > 0 {
        let shown: Vec<String> = r.changed.iter().map(u64::to_string).collect();
        let more = match r.changed_count as usize > shown.len() {
            true => format!(" and {} more", r.changed_count as usize - shown.len()),
            false => String::new(),
        };
        ui.warn(&format!(
            "line(s) {}{more} were run again: their input, the base URL or \
             --jq changed since their results were recorded",
            shown.join(", ")
        ));
    }
    if dropped > 0 {
        ui.warn(&format!(
            "the results file held {dropped} result(s) for lines the input \
             (now {lines} lines) does not have; they were dropped"
        ));
    }
    if r.unreadable > 0 {
        ui.tell(&format!(
            "{} line(s) of the results file were not results (one cut short by a kill, \
             or edited) and were ignored",
            r.unreadable
        ));
    }
}

/// Before a resumed batch starts: how many results RESULTS holds.
pub(crate) fn say_resuming(ui: &Ui, journal: &Journal, resumed: &Resumed) {
    let path = journal.path().display();
    match resumed.recorded() {
        0 => ui.tell(&format!(
            "{path}: no results yet; starting from the first line"
        )),
        // Said before the input is read: true however many lines turn out to need a run.
        n => ui.tell(&format!(
            "{path}: {} recorded; only lines without {} are run",
            match n {
                1 => "1 result".to_owned(),
                n => format!("{n} results"),
            },
            match resumed.retries_failed() {
                true => "a successful result",
                false => "a result",
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(done: u64, failed: u64, lines: u64) -> Summary {
        Summary {
            done,
            failed,
            lines,
            ran: done,
            input_ended: true,
            ..Summary::default()
        }
    }

    fn said(f: impl FnOnce(&Ui)) -> String {
        let ui = Ui::buffered(crate::ui::Terminal::default(), false);
        f(&ui);
        ui.written().1
    }

    #[test]
    fn the_summary_counts_lines_and_says_when_it_was_interrupted() {
        let text = said(|ui| {
            say_summary(
                ui,
                &summary(10, 2, 10),
                "in.jsonl",
                std::time::Duration::from_secs(1),
                None,
            )
        });
        assert!(
            text.starts_with("in.jsonl: 10 lines, 8 succeeded, 2 failed · 10 run in "),
            "{text}"
        );
        let mut stopped = summary(4, 0, 10);
        stopped.stopped = Some(crate::error::Error::Interrupted);
        let text = said(|ui| {
            say_summary(
                ui,
                &stopped,
                "in.jsonl",
                std::time::Duration::from_secs(1),
                None,
            )
        });
        assert!(
            text.contains("interrupted · 4 lines done") && text.contains("· 6 did not run"),
            "{text}"
        );
        stopped.input_ended = false;
        let shard = Some(Shard { index: 1, count: 2 });
        let text = said(|ui| {
            say_summary(
                ui,
                &stopped,
                "in.jsonl",
                std::time::Duration::from_secs(1),
                shard,
            )
        });
        assert!(
            text.contains("1 did not run, nor any line after line 10"),
            "{text}"
        );
    }

    #[test]
    fn resume_notes_say_what_was_kept_changed_and_dropped() {
        let mut r = Resumed::default();
        (r.kept, r.kept_failed, r.changed_count, r.unreadable) = (5, 1, 2, 1);
        r.changed = vec![2, 9];
        let text = said(|ui| resume_notes(ui, &r, 3, 12));
        for words in [
            "resumed: 5 lines kept their recorded result (1 of them recorded failures",
            "line(s) 2, 9 were run again: their input, the base URL or --jq changed",
            "held 3 result(s) for lines the input (now 12 lines) does not have",
            "1 line(s) of the results file were not results",
        ] {
            assert!(text.contains(words), "{words}: {text}");
        }
        r.kept = 1;
        let text = said(|ui| resume_notes(ui, &r, 0, 12));
        assert!(
            text.contains("resumed: 1 line kept its recorded result ("),
            "{text}"
        );
    }
}
