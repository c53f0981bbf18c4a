//! `miiflow run AGENT --batch FILE.jsonl|FILE.csv|-`: one run per input record, N in flight,
//! one JSON result line per record: on stdout in input order (each written as soon as it and
//! every line before it are done), or with `-o RESULTS` appended as each finishes and, at the
//! end, rewritten in input order; `--resume` keeps what RESULTS already holds.
//!
//! Each line is a run of the same [`Job`] a single run uses: the same request building, sender,
//! `-v` trace and body reader.

mod results;
mod source;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use reqwest::Url;
use tokio::sync::{Semaphore, mpsc};

use crate::cli::RunArgs;
use crate::client::{self, Pacer};
use crate::context::Context;
use crate::error::{self, Error, code};
use crate::exchange::{self, Job};
use crate::history::{Entry, Writer};
use crate::input::{self, Column, Prepared, Source};
use crate::limits;
use crate::output::{self, Jq, JqError, Layout, Render};
use crate::request::{Request, RunTarget};
use crate::shard::Shard;
use crate::ui::Ui;
use results::{Digest, Journal, Planned, Recorded, Resume, Resumed};
use source::{Input, Record};

/// How far past the first unfinished line the reader may run: bounds memory when one early
/// line is slow, without stalling the workers in ordinary cases.
const WINDOW: usize = 4096;

/// The most bytes of finished results held for in-order output to stdout behind a slow line;
/// past it no new line starts until the slow one is done (then they are all written).
const HELD: usize = 64 * 1024 * 1024;

/// What every line of the batch shares: the job, where it goes, the items and CSV columns to
/// build its input, and (with `-o`) what a resume keeps.
struct Batch {
    job: Job,
    target: RunTarget,
    base: Url,
    items: Vec<Prepared>,
    columns: Option<Vec<Column>>,
    /// Results go to a file: each records its input's digest, and `--resume` decides here.
    resumed: Option<Mutex<Resumed>>,
    /// Where the `-v` trace and warnings go (around the progress bar).
    ui: Ui,
    /// Each line run is recorded in the history, for this profile (`None`: history is off).
    history: Option<String>,
    /// The input's name, for history entries.
    name: String,
    /// The `--jq` filter as written: part of each line's digest.
    jq_text: Option<String>,
}

/// What became of one line.
enum Outcome {
    /// An HTTP answer: the status, the body as embedded (or the filter's result), and why
    /// `--jq` failed on a 2xx body (the body is then the unfiltered answer).
    Answer {
        status: u16,
        body: Vec<u8>,
        filter_error: Option<String>,
    },
    /// Bad input (`sent: false`) or a failed exchange: no status.
    Failed { error: String, code: u8, sent: bool },
    /// `--resume`: the result RESULTS holds for this line stands.
    Kept(Recorded),
}

impl Outcome {
    /// About how many bytes this result holds.
    fn size(&self) -> usize {
        match self {
            Outcome::Answer { body, .. } => body.len() + 64,
            Outcome::Failed { error, .. } => error.len() + 64,
            Outcome::Kept(_) => 64,
        }
    }

    fn code(&self) -> u8 {
        match self {
            Outcome::Answer {
                filter_error: Some(_),
                ..
            } => code::FAILURE,
            Outcome::Answer { status, .. } => error::status_code(*status),
            Outcome::Failed { code, .. } => *code,
            Outcome::Kept(r) => r.code(),
        }
    }

    /// The line's result: `{"line":N,"status":S,"body":…}`, or `{"line":N,"status":null,
    /// "exit":C,"error":"…"}`; a failed filter adds `"exit":1,"error":…` before the body. In a
    /// results file, `"input_blake3"` follows `"line"`. (The fields before `body` and `error`
    /// are what `--resume` reads back.)
    fn to_line(&self, n: u64, digest: Option<&Digest>) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(format!("{{\"line\":{n},").as_bytes());
        if let Some(d) = digest {
            out.extend_from_slice(b"\"input_blake3\":\"");
            results::hex_into(d, &mut out);
            out.extend_from_slice(b"\",");
        }
        let error = |out: &mut Vec<u8>, code: u8, error: &str| {
            out.extend_from_slice(format!("\"exit\":{code},\"error\":").as_bytes());
            serde_json::to_writer(&mut *out, error).expect("writing to a Vec");
        };
        match self {
            Outcome::Answer {
                status,
                body,
                filter_error,
            } => {
                out.extend_from_slice(format!("\"status\":{status},").as_bytes());
                if let Some(e) = filter_error {
                    error(&mut out, code::FAILURE, e);
                    out.push(b',');
                }
                out.extend_from_slice(b"\"body\":");
                out.extend_from_slice(body);
            }
            Outcome::Failed { error: e, code, .. } => {
                out.extend_from_slice(b"\"status\":null,");
                error(&mut out, *code, e);
            }
            Outcome::Kept(_) => unreachable!("a kept result is already written"),
        }
        out.extend_from_slice(b"}\n");
        out
    }
}

/// A body as a result line holds it: compact JSON as sent (numbers and escapes kept), or a
/// JSON string when it is not JSON.
fn embed(body: &[u8]) -> Vec<u8> {
    output::reformat(body, Layout::Compact, false).unwrap_or_else(|| {
        serde_json::to_vec(&String::from_utf8_lossy(body)).expect("a string serialises")
    })
}

/// A server-sent-event answer as a result line holds it: an array of the events' data.
fn embed_events(body: &[u8]) -> Vec<u8> {
    let mut parser = crate::sse::Parser::default();
    let mut out = vec![b'['];
    for (i, data) in parser.push(body).into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&embed(&data));
    }
    out.push(b']');
    out
}

/// `--jq`'s results as one value: one result is itself, any other number an array of them.
fn one_value(results: &[u8]) -> Vec<u8> {
    let values: Vec<&[u8]> = results
        .split(|b| *b == b'\n')
        .filter(|v| !v.is_empty())
        .collect();
    match values.as_slice() {
        [one] => one.to_vec(),
        many => {
            let mut out = vec![b'['];
            for (i, v) in many.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(v);
            }
            out.push(b']');
            out
        }
    }
}

impl Batch {
    /// Line `n`: its input, then (unless a resume keeps its recorded result) its run, and the
    /// history entry of the run.
    async fn one(&self, n: u64, record: Record) -> (Outcome, Option<Digest>, Option<Entry>) {
        // Debug builds only: a seam for the test that a panicking line is a failed line.
        #[cfg(debug_assertions)]
        if std::env::var("MIIFLOW_DEBUG_PANIC_LINE").is_ok_and(|v| v == n.to_string()) {
            panic!("line {n} panics (MIIFLOW_DEBUG_PANIC_LINE)");
        }
        let name = format!("line {n}");
        let bad = |error: String| Outcome::Failed {
            error,
            code: code::USAGE,
            sent: false,
        };
        let mut warnings = Vec::new();
        let built = match record {
            Record::Line(bytes) => match String::from_utf8(bytes) {
                Ok(text) => input::from_text(text, &name, &self.items, &mut |w| warnings.push(w)),
                Err(_) => Err(Error::BadInput(format!("{name}: invalid UTF-8"))),
            },
            Record::Row { at, cells } => input::from_row(
                self.columns.as_deref().unwrap_or_default(),
                &cells,
                n,
                at,
                &self.items,
                &mut |w| warnings.push(w),
            ),
            Record::Bad(why) | Record::End(why) => Err(Error::BadInput(why)),
        };
        let input = match built {
            Ok(input) => input,
            Err(e) => return (bad(e.to_string()), None, None),
        };
        for w in warnings {
            self.ui.warn(&w);
        }
        let req = Request::run(&self.base, &self.target, input);
        let digest = self
            .resumed
            .as_ref()
            .map(|_| results::digest(&req, self.jq_text.as_deref()));
        if let Some(resumed) = &self.resumed {
            let kept = resumed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .keep(n, digest.as_ref());
            if let Some(recorded) = kept {
                return (Outcome::Kept(recorded), digest, None);
            }
        }
        let mut entry = self.history.as_ref().map(|profile| {
            let mut e = exchange::entry(profile, &self.base, &req, &self.target);
            e.batch = Some((self.name.clone(), n));
            e
        });
        let started = Instant::now();
        let outcome = self
            .exchange(n, &req, entry.as_mut())
            .await
            .unwrap_or_else(|e| Outcome::Failed {
                // A failure may quote server data (a redirect's Location): the key is masked.
                error: self.job.masked(&e.to_string()),
                code: error::exit_code(&anyhow::Error::new(e)),
                sent: true,
            });
        if let Some(e) = &mut entry {
            e.duration = started.elapsed();
            e.exit = outcome.code();
            e.error = match &outcome {
                Outcome::Failed { error, .. } => Some(error.clone()),
                Outcome::Answer {
                    filter_error: Some(f),
                    ..
                } => Some(f.clone()),
                _ => None,
            };
            e.mask(&self.job.key);
        }
        (outcome, digest, entry)
    }

    async fn exchange(
        &self,
        n: u64,
        req: &Request,
        mut entry: Option<&mut Entry>,
    ) -> Result<Outcome, Error> {
        let job = &self.job;
        let prefix = format!("line {n}: ");
        if let Some(text) = job.trace_request(req, &prefix) {
            self.ui.err(&text);
        }
        let started = Instant::now();
        let mut resp = job.send(req).await?;
        let status = resp.status().as_u16();
        let ok = resp.status().is_success();
        if let Some(e) = entry.as_deref_mut() {
            e.status = Some(status);
        }
        if let Some(text) = job.trace_response(&exchange::head(&resp), &prefix) {
            self.ui.err(&text);
        }
        let events = exchange::is_events(&resp);
        let mut body = Vec::new();
        while let Some(chunk) = job.chunk(&mut resp).await? {
            if body.len() + chunk.len() > limits::MAX_BATCH_BODY {
                return Err(Error::Network(format!(
                    "the answer is larger than {}, the most a result line holds; run this \
                     input alone to get it",
                    limits::show_size(limits::MAX_BATCH_BODY as u64)
                )));
            }
            body.extend_from_slice(&chunk);
        }
        if let Some(e) = entry {
            e.keep_output(&body);
        }
        let body = match (events, ok) {
            (true, _) => embed_events(&body),
            (false, true) => embed(&body),
            // An error answer may echo the key: it is masked, as for a single run.
            (false, false) => embed(job.masked(&String::from_utf8_lossy(&body)).as_bytes()),
        };
        let (body, filter_error) = match (&job.jq, ok) {
            (Some(jq), true) => match self.filter(jq, &body, started).await {
                Ok(result) => (one_value(&result), None),
                // jq's words may quote the value it choked on: the key is masked.
                Err(e) => (body, Some(job.masked(&e.to_string()))),
            },
            _ => (body, None),
        };
        Ok(Outcome::Answer {
            status,
            body,
            filter_error,
        })
    }

    /// `--jq` on one line's answer: compact results, within what is left of `--timeout`.
    async fn filter(&self, jq: &Jq, body: &[u8], started: Instant) -> Result<Vec<u8>, JqError> {
        let render = Render {
            raw: false,
            compact: true,
            color: false,
        };
        let run = jq.run(body.to_vec().into(), render, self.job.limit);
        match self.job.sender.opts.timeout {
            Some(t) => tokio::time::timeout_at((started + t).into(), run)
                .await
                .unwrap_or_else(|_| {
                    Err(JqError::Filter(format!(
                        "--jq did not finish within {} s (--timeout)",
                        t.as_secs_f64()
                    )))
                }),
            None => run.await,
        }
    }
}

/// Where results go.
enum Sink {
    /// stdout, in input order.
    Stdout(Ui),
    /// `-o RESULTS`, as they finish.
    File(Journal),
}

/// Runs the batch. Everything that can be refused (the input, its CSV header, `-o`, `-r`,
/// the key, the base URL) is refused before RESULTS is touched or anything is sent.
pub(crate) fn run(
    ctx: &Context,
    args: &RunArgs,
    target: RunTarget,
    items: Vec<Prepared>,
    jq: Option<Jq>,
) -> anyhow::Result<()> {
    if args.out.raw_output {
        return Err(Error::BadInput(
            "-r does not go with --batch: each result is a JSON line, and --jq's result is its \
             body (pipe the results to `jq -r` for raw text)"
                .into(),
        )
        .into());
    }
    let resume = match (args.retry_failed, args.resume) {
        (true, _) => Resume::RetryFailed,
        (false, true) => Resume::Keep,
        (false, false) => Resume::Fresh,
    };
    if resume != Resume::Fresh && args.out.output.is_none() {
        let flag = match resume {
            Resume::RetryFailed => "--retry-failed",
            _ => "--resume",
        };
        return Err(Error::BadInput(format!(
            "{flag} needs -o RESULTS: it reads back the results file that -o writes to know \
             which lines already ran (results printed to stdout cannot be read back), e.g. \
             --batch in.jsonl -o results.jsonl {flag}"
        ))
        .into());
    }
    let source = Source::from_arg(args.batch.as_deref().expect("a batch"));
    let format = source::format(&source, args.batch_format);
    let input = source::open(&source, format)?;
    let planned = args
        .out
        .output
        .as_deref()
        .map(|path| Planned::check(path, resume, input.handle.as_ref()))
        .transpose()?;
    let limit = limits::buffer()?;
    let active = ctx.active_profile()?;
    let (resolved, base) = exchange::key_and_base(ctx, &active)?;

    // A bar is drawn on a terminal's stderr, except when stdout is a pipe: the program reading
    // it (`| jq`) prints to the same terminal, and its lines would be glued to the bar.
    let term = ctx.ui.term();
    let bar_fits = args.out.output.is_some() || !term.stdout_pipe;
    let bar = crate::ui::progress::batch_bar(
        term.stderr_tty && !ctx.ui.quiet() && bar_fits,
        input.total_bytes,
    );
    let quiet = ctx.ui.quiet();
    let mut sender = exchange::sender(ctx, &args.net, &base)?;
    sender.quota_pause = true;
    if let Some(interval) = args.rate {
        sender.pacer = Pacer::with_interval(interval);
    }
    let history = ctx.history_dir(&resolved.profile, args.no_history);
    // Nothing can refuse the batch any more: RESULTS is taken (locked, emptied or read).
    let (journal, resumed) = match planned {
        Some(p) => {
            let (j, r) = Journal::open(p)?;
            (Some(j), Some(r))
        }
        None => (None, None),
    };
    if let (Some(journal), Some(resumed)) = (&journal, &resumed)
        && resume != Resume::Fresh
        && !quiet
    {
        match resumed.recorded() {
            0 => ctx.ui.say(&format!(
                "miiflow: {}: no results yet; starting from the first line",
                journal.path().display()
            )),
            n => ctx.ui.say(&format!(
                "miiflow: {}: {n} results recorded; running the lines without one",
                journal.path().display()
            )),
        }
    }
    let batch = Arc::new(Batch {
        job: Job {
            key: resolved.key.clone(),
            sender,
            verbose: ctx.global.verbose,
            jq,
            limit,
        },
        target,
        base,
        items,
        columns: input.columns.clone(),
        resumed: resumed.map(Mutex::new),
        ui: ctx.ui.clone(),
        history: history.as_ref().map(|_| resolved.profile.clone()),
        name: input.name.clone(),
        jq_text: args.out.jq.clone(),
    });
    let writer = history.map(|dir| Writer::spawn(dir, ctx.ui.clone()));
    let sink = match journal {
        Some(j) => Sink::File(j),
        // Results on the bar's terminal are written around the bar, never through it.
        None => Sink::Stdout(ctx.ui.clone()),
    };
    ctx.ui.set_bar(bar.clone());
    let started = Instant::now();
    let name = input.name.clone();
    let runtime = client::runtime()?;
    let driven = runtime.block_on(drive(
        batch.clone(),
        input,
        sink,
        Plan {
            concurrency: args.concurrency as usize,
            shard: args.shard,
            bar: bar.clone(),
            history: writer.as_ref(),
        },
    ));
    // Requests still in flight on Ctrl-C are abandoned with the runtime.
    drop(runtime);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    ctx.ui.set_bar(None);
    let (summary, sink) = driven?;
    if let Some(w) = writer {
        // Every entry sent is written before the process ends; after Ctrl-C only what the
        // writer can do at once (a locked database does not hold the exit up).
        w.finish(summary.stopped.is_some());
    }
    // The final rewrite happens after everything was sent: if it fails, the summary is still
    // said, and RESULTS keeps every finished line (in finishing order, ready for --resume).
    let mut dropped = 0;
    let mut finished = Ok(());
    if let (Some(Sink::File(journal)), None) = (sink, &summary.stopped) {
        let path = journal.path().to_owned();
        match journal.finish(summary.lines) {
            Ok(n) => dropped = n,
            Err(e) => {
                finished = Err(e.context(format!(
                    "{} keeps every finished line, in the order they finished; run the same \
                     command with --resume to put them in order",
                    path.display()
                )))
            }
        }
    }
    if !quiet {
        say_summary(&ctx.ui, &summary, &name, started, args.shard);
        if let Some(resumed) = &batch.resumed {
            let r = resumed.lock().unwrap_or_else(|e| e.into_inner());
            resume_notes(&ctx.ui, &r, dropped, summary.lines);
        }
        if summary.stopped.is_some() {
            say_how_to_go_on(&ctx.ui, args);
        }
    }
    finished?;
    if let Some(stop) = summary.stopped {
        return Err(stop.into());
    }
    match summary.first_failure {
        None => Ok(()),
        Some((n, code, why)) => Err(Error::Batch {
            // Exit 2 says that nothing was sent: a bad line among sent ones is a failure (1).
            code: match (code, summary.ran) {
                (code::USAGE, ran) if ran > 0 => code::FAILURE,
                (code, _) => code,
            },
            message: format!(
                "{} of {} lines failed; the first, line {n}: {why}",
                summary.failed, summary.done
            ),
        }
        .into()),
    }
}

/// The closing line: how many lines, how they ended, how fast; on Ctrl-C, that it was
/// interrupted and how many lines did not run.
fn say_summary(ui: &Ui, summary: &Summary, name: &str, started: Instant, shard: Option<Shard>) {
    let secs = started.elapsed().as_secs_f64();
    let ran = summary.done - summary.kept;
    let counts = format!(
        "{} succeeded, {} failed · {ran} run in {secs:.2} s · {:.1}/s",
        summary.done - summary.failed,
        summary.failed,
        ran as f64 / secs.max(1e-9)
    );
    if summary.stopped.is_none() {
        ui.say(&format!("{name}: {} lines, {counts}", summary.done));
        return;
    }
    let taken = |lines: u64| shard.map_or(lines, |s| s.count_in(lines));
    let not_run = taken(summary.lines).saturating_sub(summary.done);
    let rest = match summary.input_ended {
        true => String::new(),
        false => format!(
            ", nor any line after line {} (the input was not read further)",
            summary.lines
        ),
    };
    ui.say(&format!(
        "{name}: interrupted · {} lines done, {counts} · {not_run} did not run{rest}",
        summary.done
    ));
}

/// After Ctrl-C: the exact command that goes on where this batch stopped.
fn say_how_to_go_on(ui: &Ui, args: &RunArgs) {
    let mut words: Vec<String> = std::env::args_os()
        .skip(1)
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
    match &args.out.output {
        Some(path) => {
            if !resuming {
                words.push("--resume".into());
            }
            ui.say(&format!(
                "miiflow: {} keeps every finished line; to go on with the lines that did not \
                 run:\n  {}",
                path.display(),
                quoted(&words)
            ));
        }
        None => ui.say(
            "miiflow: the finished lines were printed; with -o RESULTS they would have been kept \
             in a file, and --resume would run only the rest",
        ),
    }
}

/// What a resume did, said once at the end.
fn resume_notes(ui: &Ui, r: &Resumed, dropped: u64, lines: u64) {
    if r.kept > 0 {
        let failed = match r.kept_failed {
            0 => String::new(),
            n => format!(
                " ({n} of them recorded failures, kept as they are: --retry-failed runs them again)"
            ),
        };
        ui.say(&format!(
            "miiflow: resumed: {} lines kept their recorded result{failed}",
            r.kept
        ));
    }
    if r.changed_count > 0 {
        let shown: Vec<String> = r.changed.iter().map(u64::to_string).collect();
        let more = match r.changed_count as usize > shown.len() {
            true => format!(" and {} more", r.changed_count as usize - shown.len()),
            false => String::new(),
        };
        ui.say(&format!(
            "miiflow: warning: line(s) {}{more} were run again: their input, the base URL or \
             --jq changed since their results were recorded",
            shown.join(", ")
        ));
    }
    if dropped > 0 {
        ui.say(&format!(
            "miiflow: warning: the results file held {dropped} result(s) for lines the input \
             (now {lines} lines) does not have; they were dropped"
        ));
    }
    if r.unreadable > 0 {
        ui.say(&format!(
            "miiflow: {} line(s) of the results file were not results (one cut short by a kill, \
             or edited) and were ignored",
            r.unreadable
        ));
    }
}

/// How the batch is driven.
struct Plan<'a> {
    concurrency: usize,
    shard: Option<Shard>,
    bar: Option<indicatif::ProgressBar>,
    history: Option<&'a Writer>,
}

#[derive(Default)]
struct Summary {
    done: u64,
    failed: u64,
    /// Lines whose recorded result a resume kept (not run).
    kept: u64,
    /// The first failed line (by line number): its exit code and why.
    first_failure: Option<(u64, u8, String)>,
    /// How many records the input had (the last line number read).
    lines: u64,
    /// The reader reached the end of the input (`lines` is all of it).
    input_ended: bool,
    /// Lines that were run in this batch (sent, or at least tried): not bad input, not kept.
    ran: u64,
    /// Ctrl-C or SIGTERM ended the batch early.
    stopped: Option<Error>,
}

impl Summary {
    fn count(&mut self, n: u64, outcome: &Outcome) {
        self.done += 1;
        match outcome {
            Outcome::Kept(_) => self.kept += 1,
            Outcome::Failed { sent: false, .. } => {}
            _ => self.ran += 1,
        }
        let code = outcome.code();
        if code == code::OK {
            return;
        }
        self.failed += 1;
        if self.first_failure.as_ref().is_some_and(|(m, ..)| *m < n) {
            return;
        }
        let why = match outcome {
            Outcome::Answer {
                filter_error: Some(e),
                ..
            } => format!("{e} (the run itself succeeded)"),
            Outcome::Answer { status, body, .. } => {
                crate::output::reason::status_reason(*status, body, &str::to_owned)
            }
            Outcome::Failed { error, .. } => error.clone(),
            Outcome::Kept(r) => r.reason(),
        };
        self.first_failure = Some((n, code, why));
    }
}

/// One record read, with the input bytes it (and the lines of other shards before it) took.
type Read = (u64, Record, u64);

async fn drive(
    batch: Arc<Batch>,
    input: Input,
    mut sink: Sink,
    plan: Plan<'_>,
) -> anyhow::Result<(Summary, Option<Sink>)> {
    // A thread reads records (stdin or a file may block); the window keeps it from running far
    // ahead of the first unfinished line.
    let window = Arc::new(Semaphore::new(WINDOW));
    let lines = Arc::new(AtomicU64::new(0));
    let ended = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (line_tx, mut line_rx) = mpsc::channel::<Read>(plan.concurrency * 2);
    let (reader_window, reader_lines, reader_ended) =
        (window.clone(), lines.clone(), ended.clone());
    let handle = tokio::runtime::Handle::current();
    let shard = plan.shard;
    std::thread::spawn(move || {
        let mut reader = input.reader;
        let mut carried = 0;
        for n in 1.. {
            let Some((record, taken)) = reader.next(n) else {
                reader_ended.store(true, Ordering::Relaxed);
                return;
            };
            reader_lines.store(n, Ordering::Relaxed);
            let last = matches!(record, Record::End(_));
            if !last && shard.is_some_and(|s| !s.takes(n)) {
                carried += taken;
                continue;
            }
            let Ok(permit) = handle.block_on(reader_window.acquire()) else {
                return;
            };
            permit.forget();
            if line_tx
                .blocking_send((n, record, taken + std::mem::take(&mut carried)))
                .is_err()
                || last
            {
                return;
            }
        }
    });

    type Finished = (u64, Outcome, Option<Digest>, u64, Option<Entry>);
    let (result_tx, mut result_rx) = mpsc::unbounded_channel::<Finished>();
    let workers = Arc::new(Semaphore::new(plan.concurrency));
    // Bytes of finished results held for in-order output, and the wake-up when they go out.
    let held = Arc::new((
        std::sync::atomic::AtomicUsize::new(0),
        tokio::sync::Notify::new(),
    ));
    let dispatcher_held = held.clone();
    let dispatcher = tokio::spawn(async move {
        while let Some((n, record, taken)) = line_rx.recv().await {
            // Behind a slow line, no new line starts while too much is held: the slow line is
            // already running (lines start in order), so this only waits for it.
            loop {
                let notified = dispatcher_held.1.notified();
                if dispatcher_held.0.load(Ordering::Relaxed) <= HELD {
                    break;
                }
                notified.await;
            }
            let Ok(permit) = workers.clone().acquire_owned().await else {
                return;
            };
            let (batch, result_tx) = (batch.clone(), result_tx.clone());
            tokio::spawn(async move {
                // A line whose work panics is a failed line, never a vanished one.
                let work = tokio::spawn(async move { batch.one(n, record).await });
                let (outcome, digest, entry) = work.await.unwrap_or_else(|e| {
                    let error = format!("internal error while running this line: {e}");
                    let outcome = Outcome::Failed {
                        error,
                        code: code::FAILURE,
                        sent: true,
                    };
                    (outcome, None, None)
                });
                let _ = result_tx.send((n, outcome, digest, taken, entry));
                drop(permit);
            });
        }
    });

    let by_bytes = plan.bar.as_ref().is_some_and(|b| b.length().is_some());
    let mut finished: BTreeMap<u64, Outcome> = BTreeMap::new();
    let mut next = 1u64;
    let mut summary = Summary::default();
    let mut stop = client::Stop::new()?;
    if let Some(b) = &plan.bar {
        // Shown only now that Ctrl-C is caught: it can always be cleared.
        crate::ui::progress::start(b);
    }
    loop {
        let stopped = tokio::select! {
            received = result_rx.recv() => {
                let Some((n, outcome, digest, taken, entry)) = received else { break };
                account(&mut summary, &plan, by_bytes, n, &outcome, taken, entry);
                match &mut sink {
                    Sink::File(journal) => {
                        // The results already waiting go with this one: one write for all of
                        // them (each is on disk as soon as the batch has seen it finish).
                        let mut lines = Vec::new();
                        let mut current = Some((n, outcome, digest));
                        while let Some((n, outcome, digest)) = current.take() {
                            if !matches!(outcome, Outcome::Kept(_)) {
                                lines.push((n, outcome.to_line(n, digest.as_ref())));
                            }
                            window.add_permits(1);
                            if lines.len() >= 256 {
                                break;
                            }
                            if let Ok((n, outcome, digest, taken, entry)) = result_rx.try_recv() {
                                account(&mut summary, &plan, by_bytes, n, &outcome, taken, entry);
                                current = Some((n, outcome, digest));
                            }
                        }
                        journal.append(&lines)?;
                    }
                    Sink::Stdout(stdout) => {
                        held.0.fetch_add(outcome.size(), Ordering::Relaxed);
                        finished.insert(n, outcome);
                        // Lines of other shards never come: the next one due is the next taken.
                        while let Some(outcome) = {
                            if let Some(s) = shard {
                                next = s.next_from(next);
                            }
                            finished.remove(&next)
                        } {
                            stdout.out(&outcome.to_line(next, None))?;
                            held.0.fetch_sub(outcome.size(), Ordering::Relaxed);
                            held.1.notify_waiters();
                            window.add_permits(1);
                            next += 1;
                        }
                        if stdout.closed() {
                            // Nobody reads the results any more (`| head`): run no more workflows.
                            dispatcher.abort();
                            summary.lines = lines.load(Ordering::Relaxed);
                            summary.input_ended = ended.load(Ordering::Relaxed);
                            return Ok((summary, None));
                        }
                    }
                }
                continue;
            }
            stopped = stop.recv() => stopped,
        };
        dispatcher.abort();
        // Keep every finished line, in order, though some before them never finished.
        if let Sink::Stdout(stdout) = &mut sink {
            for (n, outcome) in std::mem::take(&mut finished) {
                stdout.out(&outcome.to_line(n, None))?;
            }
        }
        summary.stopped = Some(stopped);
        summary.lines = lines.load(Ordering::Relaxed);
        summary.input_ended = ended.load(Ordering::Relaxed);
        return Ok((summary, Some(sink)));
    }
    summary.lines = lines.load(Ordering::Relaxed);
    summary.input_ended = ended.load(Ordering::Relaxed);
    Ok((summary, Some(sink)))
}

/// Counts a finished line: the summary, the progress bar, the history.
fn account(
    summary: &mut Summary,
    plan: &Plan<'_>,
    by_bytes: bool,
    n: u64,
    outcome: &Outcome,
    taken: u64,
    entry: Option<Entry>,
) {
    summary.count(n, outcome);
    if let (Some(w), Some(e)) = (plan.history, entry) {
        w.send(e);
    }
    if let Some(b) = &plan.bar {
        b.inc(if by_bytes { taken } else { 1 });
        let rate = summary.done as f64 / b.elapsed().as_secs_f64().max(1e-3);
        b.set_message(format!(
            "{} done · {} failed · {rate:.1}/s",
            summary.done, summary.failed
        ));
    }
}
