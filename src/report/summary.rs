//! What a batch counts as its lines finish: outcomes by class, latencies, the first failures;
//! and the forms it is said in at the end (the closing line on stderr, `--summary-json`, the
//! Markdown of `$GITHUB_STEP_SUMMARY`).

use std::collections::BTreeMap;
use std::time::Duration;

use crate::error::{Error, code};
use crate::report::latency::{Latency, show_ms};
use crate::results::line::Outcome;

/// How many failures the Markdown summary lists (the lowest line numbers).
pub(crate) const LISTED: usize = 20;

/// How many of the slowest lines are kept (the HTML report lists them).
pub(crate) const SLOWEST: usize = 10;

/// How much of a failed answer a listed failure keeps, in characters.
pub(crate) const ANSWER_START: usize = 300;

/// A listed failure: its class, why, and the start of its answer (an HTTP answer's body, as
/// the outcome holds it: masked when it was made).
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) class: Class,
    pub(crate) why: String,
    pub(crate) answer: Option<crate::output::safe::Quoted>,
}

/// Why a line failed, by class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Class {
    Http4xx,
    Http5xx,
    Network,
    Unmet,
    BadLine,
    /// Anything else: `--jq` failed on a 2xx answer, a refused redirect, another status.
    Other,
}

impl Class {
    pub(crate) const ALL: [Class; 6] = [
        Class::Http4xx,
        Class::Http5xx,
        Class::Network,
        Class::Unmet,
        Class::BadLine,
        Class::Other,
    ];

    /// The name in `--summary-json` and JUnit's failure type.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Class::Http4xx => "http_4xx",
            Class::Http5xx => "http_5xx",
            Class::Network => "network",
            Class::Unmet => "unmet_expectation",
            Class::BadLine => "bad_line",
            Class::Other => "other",
        }
    }

    /// In words, for people.
    pub(crate) fn words(self) -> &'static str {
        match self {
            Class::Http4xx => "HTTP 4xx",
            Class::Http5xx => "HTTP 5xx",
            Class::Network => "network",
            Class::Unmet => "unmet expectation",
            Class::BadLine => "bad line",
            Class::Other => "other",
        }
    }

    /// The class of a failed line (`None`: it succeeded). A recorded result that a resume
    /// kept is classed by its recorded status and exit code.
    pub(crate) fn of(outcome: &Outcome) -> Option<Class> {
        if outcome.code() == code::OK {
            return None;
        }
        Some(match outcome {
            Outcome::Answer { unmet: Some(_), .. } => Class::Unmet,
            Outcome::Answer {
                filter_error: Some(_),
                ..
            } => Class::Other,
            Outcome::Answer { status, .. } => by_status(*status),
            Outcome::Failed { sent: false, .. } => Class::BadLine,
            Outcome::Failed { code, .. } if *code == code::NETWORK => Class::Network,
            Outcome::Failed { .. } => Class::Other,
            Outcome::Kept(r) => match (r.status, r.code()) {
                (Some(s), _) if !(200..300).contains(&s) => by_status(s),
                (None, code::NETWORK) => Class::Network,
                (None, code::USAGE) => Class::BadLine,
                _ => Class::Other,
            },
        })
    }
}

fn by_status(status: u16) -> Class {
    match status {
        400..=499 => Class::Http4xx,
        500..=599 => Class::Http5xx,
        _ => Class::Other,
    }
}

#[derive(Default)]
pub(crate) struct Summary {
    pub(crate) done: u64,
    pub(crate) failed: u64,
    /// Lines whose recorded result a resume kept (not run).
    pub(crate) kept: u64,
    /// The first failed line (by line number): its exit code and why.
    pub(crate) first_failure: Option<(u64, u8, String)>,
    /// How many records the input had (the last line number read).
    pub(crate) lines: u64,
    /// The reader reached the end of the input (`lines` is all of it).
    pub(crate) input_ended: bool,
    /// Lines that were run in this batch (sent, or at least tried): not bad input, not kept.
    pub(crate) ran: u64,
    /// Ctrl-C or SIGTERM ended the batch early.
    pub(crate) stopped: Option<Error>,
    /// Failed lines by class.
    pub(crate) classes: BTreeMap<Class, u64>,
    /// How long each line that was sent took, retries included.
    pub(crate) latency: Latency,
    /// The failures with the lowest line numbers.
    pub(crate) failures: BTreeMap<u64, Failure>,
    /// The unmet expectations with the lowest line numbers: line, the expectation and why.
    pub(crate) unmet: BTreeMap<u64, String>,
    /// The slowest lines: how long, line (the longest [`SLOWEST`], smallest first).
    pub(crate) slowest: std::collections::BinaryHeap<std::cmp::Reverse<(Duration, u64)>>,
    /// Retries and 429 waits (from the sender, at the end).
    pub(crate) retries: u64,
    pub(crate) waits_429: u64,
}

impl Summary {
    /// Counts a finished line: `took` is how long it ran (`None`: not sent).
    /// What the sender did besides sending once: its retries and 429 waits.
    pub(crate) fn count_sends(&mut self, counts: &crate::client::Counts) {
        use std::sync::atomic::Ordering::Relaxed;
        self.retries = counts.retries.load(Relaxed);
        self.waits_429 = counts.waits_429.load(Relaxed);
    }

    pub(crate) fn count(&mut self, n: u64, outcome: &Outcome, took: Option<Duration>) {
        self.done += 1;
        match outcome {
            Outcome::Kept(_) => self.kept += 1,
            Outcome::Failed { sent: false, .. } => {}
            _ => self.ran += 1,
        }
        if let Some(took) = took {
            self.latency.record(took);
            self.slowest.push(std::cmp::Reverse((took, n)));
            if self.slowest.len() > SLOWEST {
                self.slowest.pop();
            }
        }
        let Some(class) = Class::of(outcome) else {
            return;
        };
        self.failed += 1;
        *self.classes.entry(class).or_default() += 1;
        let why = why(outcome);
        if let Outcome::Answer { unmet: Some(u), .. } = outcome {
            listed(&mut self.unmet, n, || u.clone());
        }
        listed(&mut self.failures, n, || Failure {
            class,
            why: why.clone(),
            answer: match outcome {
                Outcome::Answer { body, .. } => Some(crate::output::safe::Quoted::start_of(
                    body,
                    ANSWER_START,
                    &crate::output::safe::Mask::default(),
                )),
                _ => None,
            },
        });
        if self.first_failure.as_ref().is_some_and(|(m, ..)| *m < n) {
            return;
        }
        self.first_failure = Some((n, outcome.code(), why));
    }

    /// Lines of this shard that were read but never finished (after Ctrl-C).
    /// Runs sent a second over `wall`: the one figure every report gives.
    pub(crate) fn throughput(&self, wall: Duration) -> f64 {
        self.ran as f64 / wall.as_secs_f64().max(1e-9)
    }

    pub(crate) fn not_run(&self, shard: Option<crate::shard::Shard>) -> u64 {
        let taken = shard.map_or(self.lines, |s| s.count_in(self.lines));
        taken.saturating_sub(self.done)
    }

    /// `1 HTTP 4xx, 2 unmet expectation`: the failures by class.
    pub(crate) fn classes_in_words(&self) -> String {
        let parts: Vec<String> = self
            .classes
            .iter()
            .map(|(c, n)| format!("{n} {}", c.words()))
            .collect();
        parts.join(", ")
    }

    /// `p50 120 ms, p95 300 ms, p99 410 ms`, when anything ran.
    pub(crate) fn latency_in_words(&self) -> Option<String> {
        let [p50, p95, p99] = [0.5, 0.95, 0.99].map(|q| self.latency.ms(q));
        Some(format!(
            "p50 {}, p95 {}, p99 {}",
            show_ms(p50?),
            show_ms(p95?),
            show_ms(p99?)
        ))
    }
}

/// Keeps `n`'s entry when it is among the [`LISTED`] lowest lines.
fn listed<T>(map: &mut BTreeMap<u64, T>, n: u64, make: impl FnOnce() -> T) {
    if map.len() < LISTED || map.last_key_value().is_some_and(|(m, _)| n < *m) {
        map.insert(n, make());
        if map.len() > LISTED {
            map.pop_last();
        }
    }
}

impl Summary {
    /// The slowest lines, slowest first: how long, line.
    pub(crate) fn slowest(&self) -> Vec<(Duration, u64)> {
        let mut all: Vec<(Duration, u64)> = self.slowest.iter().map(|r| r.0).collect();
        all.sort_by(|a, b| b.cmp(a));
        all
    }
}

/// Why a line failed, in one line.
pub(crate) fn why(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Answer { unmet: Some(e), .. } => e.clone(),
        Outcome::Answer {
            filter_error: Some(e),
            ..
        } => format!("{e} (the run itself succeeded)"),
        Outcome::Answer { status, body, .. } => {
            crate::output::reason::status_reason(*status, body, &str::to_owned)
        }
        Outcome::Failed { error, .. } => error.clone(),
        Outcome::Kept(r) => r.reason(),
    }
}

/// The summary as `--summary-json` writes it.
pub(crate) struct Closing<'a> {
    pub(crate) summary: &'a Summary,
    pub(crate) name: &'a str,
    pub(crate) wall: Duration,
    pub(crate) shard: Option<crate::shard::Shard>,
    /// Lines of this shard that did not run (after Ctrl-C), when known.
    pub(crate) not_run: Option<u64>,
    pub(crate) exit: u8,
}

impl Closing<'_> {
    pub(crate) fn throughput(&self) -> f64 {
        self.summary.throughput(self.wall)
    }

    pub(crate) fn to_json(&self) -> serde_json::Value {
        let s = self.summary;
        let classes: serde_json::Map<String, serde_json::Value> = Class::ALL
            .iter()
            .map(|c| {
                let n = s.classes.get(c).copied().unwrap_or(0);
                (c.key().to_owned(), n.into())
            })
            .collect();
        let ms = |v: Option<f64>| v.map(|v| (v * 1000.0).round() / 1000.0);
        serde_json::json!({
            "input": self.name,
            "shard": self.shard.map(|s| format!("{}/{}", s.index, s.count)),
            "lines": s.done,
            "succeeded": s.done - s.failed,
            "failed": s.failed,
            "failed_by_class": classes,
            "kept": s.kept,
            "ran": s.ran,
            "retries": s.retries,
            "waits_429": s.waits_429,
            "interrupted": s.stopped.is_some(),
            "not_run": self.not_run,
            "wall_seconds": (self.wall.as_secs_f64() * 1000.0).round() / 1000.0,
            // Rounded as the closing summary and the job summary show it: one figure in all.
            "throughput_per_second": (self.throughput() * 10.0).round() / 10.0,
            "latency_ms": {
                "runs": s.latency.count(),
                "p50": ms(s.latency.ms(0.5)),
                "p95": ms(s.latency.ms(0.95)),
                "p99": ms(s.latency.ms(0.99)),
                "max": ms(s.latency.max_ms()),
            },
            "exit": self.exit,
        })
    }

    /// The Markdown a CI job summary shows (`$GITHUB_STEP_SUMMARY`).
    pub(crate) fn to_markdown(&self) -> String {
        let s = self.summary;
        let mut md = format!("### miiflow batch: {}", md_code(self.name));
        if let Some(shard) = self.shard {
            md.push_str(&format!(" (shard {}/{})", shard.index, shard.count));
        }
        let verdict = match (&s.stopped, s.failed) {
            (Some(Error::ReaderGone), _) => "⏹ interrupted (the reader of its results went away)",
            (Some(_), _) => "⏹ interrupted",
            (None, 0) => "✅ passed",
            (None, _) => "❌ failed",
        };
        md.push_str(&format!(
            "\n\n{verdict}\n\n| Lines | Succeeded | Failed | Kept from results | Wall time | \
             Throughput |\n|---:|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {:.2} s | \
             {:.1}/s |\n",
            s.done,
            s.done - s.failed,
            s.failed,
            s.kept,
            self.wall.as_secs_f64(),
            self.throughput()
        ));
        if s.failed > 0 {
            md.push_str(&format!(
                "\n**Failed by class:** {}\n",
                s.classes_in_words()
            ));
        }
        if let Some(latency) = s.latency_in_words() {
            md.push_str(&format!(
                "\n**Latency** ({} runs): {latency}\n",
                s.latency.count()
            ));
        }
        if s.retries + s.waits_429 > 0 {
            md.push_str(&format!(
                "\n**Retries:** {} · **429 waits:** {}\n",
                s.retries, s.waits_429
            ));
        }
        if !s.failures.is_empty() {
            let title = match s.failed as usize > s.failures.len() {
                true => format!("The first {} failures (of {})", s.failures.len(), s.failed),
                false => "Failures".to_owned(),
            };
            md.push_str(&format!(
                "\n<details><summary>{title}</summary>\n\n| Line | Class | Why |\n|---:|---|---|\n"
            ));
            for (line, f) in &s.failures {
                md.push_str(&format!(
                    "| {line} | {} | {} |\n",
                    f.class.words(),
                    md_cell(&f.why)
                ));
            }
            md.push_str("\n</details>\n");
        }
        md.push('\n');
        md
    }
}

/// Appends `md` to the CI job summary when `$GITHUB_STEP_SUMMARY` names a file: a regular file
/// or none yet (a FIFO there would hold the command's end). A failure is warned about, never
/// fatal: the job summary is a view, not the verdict.
pub(crate) fn append_to_job_summary(ui: &crate::ui::Ui, md: &str) {
    let Some(path) = crate::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let path = std::path::PathBuf::from(path);
    let appended = match std::fs::metadata(&path) {
        Ok(m) if !m.is_file() => Err(std::io::Error::other("not a regular file")),
        _ => Ok(()),
    }
    .and_then(|()| {
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, md.as_bytes()))
    });
    if let Err(e) = appended {
        ui.warn(&format!(
            "GITHUB_STEP_SUMMARY ({}): cannot append the summary: {e}",
            path.display()
        ));
    }
}

/// A code span holding `text` as it is, on one line, for GitHub-flavoured Markdown (a file
/// name, an id): fenced by more backticks than any run inside it, so nothing in it can close
/// it, start HTML (`<!--`) or a link; line breaks become spaces (a newline would end a heading).
pub(crate) fn md_code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick (or a space) needs a space inside its fence.
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Text for GitHub-flavoured Markdown, shown as written: every character that Markdown or a
/// table gives a meaning to (links, images, emphasis, HTML, pipes, backslashes) is written as a
/// numeric character reference, which the renderer shows as the character and nothing more;
/// line breaks become spaces (a cell is one line); at most 300 characters.
pub(crate) fn md_cell(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(300) {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '<' | '>' | '&' | '~' | '"' | '\'' | ':' | '@' | '=' => {
                out.push_str(&format!("&#{};", c as u32))
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    if text.chars().count() > 300 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16) -> Outcome {
        Outcome::Answer {
            status,
            body: b"{}".to_vec(),
            filter_error: None,
            unmet: None,
        }
    }

    #[test]
    fn failures_are_counted_by_class_and_the_lowest_lines_listed() {
        let mut s = Summary::default();
        let ms = Duration::from_millis;
        s.count(1, &answer(200), Some(ms(100)));
        s.count(2, &answer(404), Some(ms(200)));
        s.count(3, &answer(503), Some(ms(300)));
        let unmet = Outcome::Answer {
            status: 200,
            body: b"{}".to_vec(),
            filter_error: None,
            unmet: Some("unmet expectation --expect .ok: it yielded false".into()),
        };
        s.count(4, &unmet, Some(ms(400)));
        let bad = Outcome::Failed {
            error: "line 5: not JSON".into(),
            code: code::USAGE,
            sent: false,
        };
        s.count(5, &bad, None);
        let network = Outcome::Failed {
            error: "cannot connect".into(),
            code: code::NETWORK,
            sent: true,
        };
        s.count(6, &network, Some(ms(10)));
        assert_eq!((s.done, s.failed, s.ran), (6, 5, 5));
        assert_eq!(
            s.classes_in_words(),
            "1 HTTP 4xx, 1 HTTP 5xx, 1 network, 1 unmet expectation, 1 bad line"
        );
        assert_eq!(s.first_failure.as_ref().unwrap().0, 2);
        assert_eq!(s.latency.count(), 5);
        let p50 = s.latency.ms(0.5).unwrap();
        assert!((199.0..=201.0).contains(&p50), "{p50}");
        for n in (100..130).rev() {
            s.count(n, &answer(500), None);
        }
        assert_eq!(s.failures.len(), LISTED);
        assert_eq!(*s.failures.first_key_value().unwrap().0, 2);
        assert!(s.failures.contains_key(&100) && !s.failures.contains_key(&120));
    }

    #[test]
    fn percentiles_of_a_known_spread() {
        let mut s = Summary::default();
        for ms in 1..=1000u64 {
            s.count(ms, &answer(200), Some(Duration::from_millis(ms)));
        }
        let near = |q: f64, want: f64| {
            let got = s.latency.ms(q).unwrap();
            assert!((got - want).abs() <= want * 0.002, "p{q}: {got} vs {want}");
        };
        near(0.5, 500.0);
        near(0.95, 950.0);
        near(0.99, 990.0);
        assert_eq!(
            s.latency_in_words().unwrap(),
            "p50 500 ms, p95 950 ms, p99 990 ms"
        );
        assert!(Summary::default().latency_in_words().is_none());
    }

    #[test]
    fn the_markdown_is_one_table_and_cells_cannot_break_it() {
        let mut s = Summary::default();
        s.count(1, &answer(200), Some(Duration::from_millis(5)));
        let evil = Outcome::Failed {
            error: "a | b <script> `x`\nnext".into(),
            code: code::FAILURE,
            sent: true,
        };
        s.count(2, &evil, Some(Duration::from_millis(7)));
        let closing = Closing {
            summary: &s,
            name: "in`.jsonl",
            wall: Duration::from_secs(1),
            shard: None,
            not_run: None,
            exit: 1,
        };
        let md = closing.to_markdown();
        // Every character Markdown gives a meaning to, as a character reference.
        assert!(
            md.contains("| 2 | other | a &#124; b &#60;script&#62; &#96;x&#96; next |"),
            "{md}"
        );
        // The name as it is, in a code span fenced longer than its backtick run.
        assert!(
            md.starts_with("### miiflow batch: ``in`.jsonl``\n\n❌ failed"),
            "{md}"
        );
        let json = closing.to_json();
        assert_eq!(json["failed_by_class"]["other"], 1);
        assert_eq!(json["failed_by_class"]["http_4xx"], 0);
        assert_eq!(json["latency_ms"]["runs"], 2);
        assert_eq!(json["exit"], 1);
    }
}
