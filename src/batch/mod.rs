//! `miiflow run AGENT --batch FILE.jsonl|FILE.csv|-`: one run per input record, N in flight,
//! one JSON result line per record: on stdout in input order (each written as soon as it and
//! every line before it are done), or with `-o RESULTS` appended as each finishes and, at the
//! end, rewritten in input order; `--resume` keeps what RESULTS already holds.
//!
//! Each line is a run of the same [`Job`] a single run uses: the same request building, sender,
//! `-v` trace and body reader.

mod driver;
mod reorder;
mod work;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use std::path::PathBuf;

use crate::client;
use crate::context::Context;
use crate::engine::{Asked, Job, Pace, Plan};
use crate::error::{Error, code};
use crate::history::Recorder;
use crate::input::{Prepared, Source};
use crate::report::junit::Junit;
use crate::report::said::{resume_notes, say_how_to_go_on, say_resuming, say_summary};
use crate::report::summary::{Closing, Summary};
use crate::request::RunTarget;
pub(crate) use crate::results::journal::Resume;
use crate::results::journal::{Journal, Planned};
use crate::results::records;
use driver::{Drive, Sink, drive};
use work::Batch;

/// How far past the first unfinished line the reader may run: bounds memory when one early
/// line is slow, without stalling the workers in ordinary cases.
const WINDOW: usize = 4096;

/// The most bytes of finished results held for in-order output to stdout behind a slow line;
/// past it no new line starts until the slow one is done (then they are all written).
const HELD: usize = 64 * 1024 * 1024;

/// A batch as asked, in the engine's types (the command turns its arguments into one).
pub(crate) struct Lines {
    /// `--batch FILE|-`.
    pub(crate) input: PathBuf,
    pub(crate) format: Option<records::Format>,
    /// `-o RESULTS`.
    pub(crate) results: Option<PathBuf>,
    /// `-r`: refused (each result is a JSON line).
    pub(crate) raw: bool,
    /// `--resume`, `--retry-failed`.
    pub(crate) resume: bool,
    pub(crate) retry_failed: bool,
    pub(crate) junit: Option<PathBuf>,
    /// `--html FILE`: the report page.
    pub(crate) html: Option<PathBuf>,
    pub(crate) summary_json: Option<PathBuf>,
    pub(crate) concurrency: usize,
    pub(crate) rate: Option<std::time::Duration>,
    pub(crate) shard: Option<crate::shard::ShardArg>,
    /// The items every line's input gets.
    pub(crate) items: Vec<String>,
}

impl Lines {
    /// What `--resume` and `--retry-failed` ask for; `-r`, and a resume with no `-o`, refused.
    pub(crate) fn resume(
        raw: bool,
        resume: bool,
        retry_failed: bool,
        results: bool,
    ) -> Result<Resume, Error> {
        if raw {
            return Err(Error::BadInput(
                "-r does not go with --batch: each result is a JSON line, and --jq's result is \
                 its body (pipe the results to `jq -r` for raw text)"
                    .into(),
            ));
        }
        let resume = match (retry_failed, resume) {
            (true, _) => Resume::RetryFailed,
            (false, true) => Resume::Keep,
            (false, false) => Resume::Fresh,
        };
        if resume != Resume::Fresh && !results {
            let flag = match resume {
                Resume::RetryFailed => "--retry-failed",
                _ => "--resume",
            };
            return Err(Error::BadInput(format!(
                "{flag} needs -o RESULTS: it reads back the results file that -o writes to know \
                 which lines already ran (results printed to stdout cannot be read back), e.g. \
                 --batch in.jsonl -o results.jsonl {flag}"
            )));
        }
        Ok(resume)
    }
}

/// What a batch has settled before anything is sent.
struct Ready {
    resume: Resume,
    items: Vec<Prepared>,
    input: records::Input,
    planned: Option<Planned>,
    plan: Plan,
    junit: Option<Junit>,
    reports: Files,
    shard: Option<crate::shard::Shard>,
}

/// The report files a batch writes at its end besides JUnit (checked before anything).
struct Files {
    summary_json: Option<crate::output::OutputFile>,
    html: Option<crate::output::OutputFile>,
}

/// Everything that can be refused (the input, its CSV header, `-o`, the reports, the key, the
/// base URL), refused before RESULTS is touched or anything is sent.
fn ready(ctx: &Context, lines: &Lines, asked: Asked) -> anyhow::Result<Ready> {
    let checked = asked.check()?;
    let resume = Lines::resume(
        lines.raw,
        lines.resume,
        lines.retry_failed,
        lines.results.is_some(),
    )?;
    let items = crate::engine::single::items(ctx, &lines.items)?;
    distinct_files(lines)?;
    let shard = match lines.shard {
        None => None,
        Some(arg) => {
            let (shard, said) = arg
                .resolve(&|name: &str| crate::env::var(name))
                .map_err(Error::BadInput)?;
            if let Some(said) = said
                && !ctx.ui.quiet()
            {
                ctx.ui.tell(&said);
            }
            Some(shard)
        }
    };
    let source = Source::from_arg(&lines.input);
    let input = records::open(&source, records::format(&source, lines.format))?;
    let planned = lines
        .results
        .as_deref()
        .map(|path| Planned::check(path, resume, input.handle.as_ref()))
        .transpose()?;
    let plan = Plan::resolve(ctx, checked)?;
    let junit = lines
        .junit
        .as_deref()
        .map(|path| Junit::create(path, plan.origin.key.key.clone()))
        .transpose()?;
    let summary_json = lines
        .summary_json
        .as_deref()
        .map(crate::output::OutputFile::create)
        .transpose()?;
    let html = lines
        .html
        .as_deref()
        .map(|path| {
            crate::output::OutputFile::create(path).map_err(|e| match e {
                Error::BadInput(m) => Error::BadInput(m.replacen("-o ", "--html ", 1)),
                other => other,
            })
        })
        .transpose()?;
    Ok(Ready {
        resume,
        items,
        input,
        planned,
        plan,
        junit,
        reports: Files { summary_json, html },
        shard,
    })
}

/// Runs the batch: refused before anything when it must be ([`ready`]), then RESULTS taken
/// (locked, emptied or read), the lines driven, and the reports written.
pub(crate) fn run(
    ctx: &Context,
    target: RunTarget,
    lines: Lines,
    asked: Asked,
) -> anyhow::Result<()> {
    let Ready {
        resume,
        items,
        input,
        planned,
        plan,
        mut junit,
        reports: files,
        shard,
    } = ready(ctx, &lines, asked)?;
    let bar = bar(ctx, &lines, input.total_bytes);
    let pace = Pace::Shared { rate: lines.rate };
    let job = Job::planned(&plan, pace, &ctx.ui)?;
    let recorder = Recorder::queue(plan.history.clone(), &ctx.ui);
    // Nothing can refuse the batch any more: RESULTS is taken (locked, emptied or read).
    let (journal, resumed) = planned.map(Journal::open).transpose()?.unzip();
    if let (Some(journal), Some(resumed)) = (&journal, &resumed)
        && resume != Resume::Fresh
        && !ctx.ui.quiet()
    {
        say_resuming(&ctx.ui, journal, resumed);
    }
    let batch = Arc::new(Batch {
        job,
        target,
        items,
        columns: input.columns.clone(),
        resumed: resumed.map(Mutex::new),
        ui: ctx.ui.clone(),
        name: input.name.clone(),
        names: junit.is_some(),
        plan,
    });
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
        Drive {
            concurrency: lines.concurrency,
            shard,
            bar: bar.clone(),
            history: &recorder,
            junit: junit.as_mut(),
        },
    ));
    // Requests still in flight on Ctrl-C are abandoned with the runtime.
    drop(runtime);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    ctx.ui.set_bar(None);
    let (mut summary, sink) = driven?;
    summary.count_sends(&batch.job.sender.counts);
    // Every entry sent is written (or spooled) before the process ends; after Ctrl-C only
    // what the writer can do at once. A signal in that wait ends the batch with it.
    if let Some(stop) = recorder.finish(summary.stopped.is_some()) {
        summary.stopped.get_or_insert(stop);
    }
    let (dropped, finished) = finish_results(sink, &summary);
    let closing = Closing {
        summary: &summary,
        name: &name,
        wall: started.elapsed(),
        shard,
        not_run: summary.input_ended.then(|| summary.not_run(shard)),
        exit: exit_of(&summary),
    };
    let reported = reports(ctx, &closing, junit, files);
    if !ctx.ui.quiet() {
        let resumed = batch.resumed.as_ref();
        let resumed = resumed.map(|r| r.lock().unwrap_or_else(|e| e.into_inner()));
        report(ctx, &lines, &closing, resumed.as_deref(), dropped);
    }
    finished?;
    reported?;
    ended(summary)
}

/// The exit code the batch ends with (see [`ended`]).
pub(crate) fn exit_of(summary: &Summary) -> u8 {
    match (&summary.stopped, &summary.first_failure) {
        (Some(Error::Terminated), _) => code::TERMINATED,
        (Some(Error::ReaderGone), _) => code::READER_GONE,
        (Some(_), _) => code::INTERRUPTED,
        (None, None) => code::OK,
        (None, Some((_, code::USAGE, _))) if summary.ran > 0 => code::FAILURE,
        (None, Some((_, code, _))) => *code,
    }
}

/// The reports a batch writes at its end (also after Ctrl-C): `--junit`, `--summary-json`,
/// `--html`, and the CI job summary when `$GITHUB_STEP_SUMMARY` names a file. All are tried; the first
/// that failed is returned.
fn reports(
    ctx: &Context,
    closing: &Closing,
    junit: Option<Junit>,
    files: Files,
) -> anyhow::Result<()> {
    let mut first: Option<anyhow::Error> = None;
    let mut keep = |r: anyhow::Result<()>| {
        if let Err(e) = r {
            first.get_or_insert(e);
        }
    };
    if let Some(junit) = junit {
        keep(junit.finish(closing));
    }
    if let Some(mut file) = files.summary_json {
        let mut text = serde_json::to_vec_pretty(&closing.to_json())?;
        text.push(b'\n');
        keep(file.write(&text).and_then(|()| file.commit()));
    }
    if let Some(mut file) = files.html {
        let page = crate::report::html::page(&crate::report::html::Page {
            closing,
            timed: true,
            diff: None,
        });
        keep(file.write(page.as_bytes()).and_then(|()| file.commit()));
    }
    crate::report::summary::append_to_job_summary(&ctx.ui, &closing.to_markdown());
    first.map_or(Ok(()), Err)
}

/// A bar is drawn on a terminal's stderr, except when stdout is a pipe: the program reading
/// it (`| jq`) prints to the same terminal, and its lines would be glued to the bar.
fn bar(ctx: &Context, lines: &Lines, total_bytes: Option<u64>) -> Option<indicatif::ProgressBar> {
    let term = ctx.ui.term();
    let fits = lines.results.is_some() || !term.stdout_pipe;
    crate::ui::progress::batch_bar(term.stderr_tty && !ctx.ui.quiet() && fits, total_bytes)
}

/// What a batch says at its end: the summary, what a resume did, how to go on after Ctrl-C.
fn report(
    ctx: &Context,
    lines: &Lines,
    closing: &Closing,
    resumed: Option<&crate::results::journal::Resumed>,
    dropped: u64,
) {
    let summary = closing.summary;
    say_summary(&ctx.ui, summary, closing.name, closing.wall, closing.shard);
    if let Some(r) = resumed {
        resume_notes(&ctx.ui, r, dropped, summary.lines);
    }
    if summary.stopped.is_some() {
        say_how_to_go_on(&ctx.ui, lines.results.as_deref(), &ctx.opts.argv);
    }
}

/// The files a batch writes are neither each other nor its input: a report written over the
/// results (or the input) at the end would destroy them.
fn distinct_files(lines: &Lines) -> Result<(), Error> {
    let input = Some(lines.input.as_path())
        .filter(|p| p.as_os_str() != "-")
        .map(|p| ("--batch", p));
    let named = [
        ("--junit", lines.junit.as_deref()),
        ("--html", lines.html.as_deref()),
        ("--summary-json", lines.summary_json.as_deref()),
        ("-o", lines.results.as_deref()),
    ];
    let named: Vec<(&str, &std::path::Path)> = named
        .iter()
        .filter_map(|(flag, p)| p.map(|p| (*flag, p)))
        .collect();
    for (i, (flag, path)) in named.iter().enumerate() {
        // -o against the input is Planned::check's (it compares open files).
        let others = named[i + 1..]
            .iter()
            .chain(input.iter().filter(|_| *flag != "-o"));
        for (other, other_path) in others {
            if crate::fs::same_place(path, other_path) {
                return Err(Error::BadInput(format!(
                    "{flag} {}: is the same file as {other}; give each its own file",
                    path.display()
                )));
            }
        }
    }
    Ok(())
}

/// Rewrites RESULTS in input order, after everything was sent: if that fails, the summary is
/// still said, and RESULTS keeps every finished line (in finishing order, ready for
/// --resume). Returns how many results were dropped, and how the rewrite went.
fn finish_results(sink: Option<Sink>, summary: &Summary) -> (u64, anyhow::Result<()>) {
    let (Some(Sink::File(journal)), None) = (sink, &summary.stopped) else {
        return (0, Ok(()));
    };
    let path = journal.path().to_owned();
    match journal.finish(summary.lines) {
        Ok(n) => (n, Ok(())),
        Err(e) => {
            let e = e.context(format!(
                "{} keeps every finished line, in the order they finished; run the same \
                 command with --resume to put them in order",
                path.display()
            ));
            (0, Err(e))
        }
    }
}

/// The batch's own result: 130/143 after a signal, else the first failed line's code (a bad
/// line among sent ones is 1: exit 2 says that nothing was sent).
fn ended(summary: Summary) -> anyhow::Result<()> {
    if let Some(stop) = summary.stopped {
        return Err(stop.into());
    }
    let code = exit_of(&summary);
    match summary.first_failure {
        None => Ok(()),
        Some((n, _, why)) => Err(Error::Batch {
            code,
            message: format!(
                "{} of {} lines failed; the first, line {n}: {why}",
                summary.failed, summary.done
            ),
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_modes_and_their_refusals() {
        // (-r, --resume, --retry-failed, -o)
        let mode = |raw, resume, retry, results| Lines::resume(raw, resume, retry, results);
        assert_eq!(mode(false, false, false, false).unwrap(), Resume::Fresh);
        assert_eq!(mode(false, true, false, true).unwrap(), Resume::Keep);
        assert_eq!(mode(false, true, true, true).unwrap(), Resume::RetryFailed);
        let no_file = mode(false, false, true, false).unwrap_err().to_string();
        assert!(
            no_file.starts_with("--retry-failed needs -o RESULTS"),
            "{no_file}"
        );
        let raw = mode(true, false, false, false).unwrap_err().to_string();
        assert!(raw.starts_with("-r does not go with --batch"), "{raw}");
    }

    #[test]
    fn a_batch_exits_2_only_when_nothing_was_sent() {
        let failed = |ran| Summary {
            done: 3,
            failed: 1,
            ran,
            first_failure: Some((2, code::USAGE, "bad line".into())),
            ..Summary::default()
        };
        let code = |s| crate::error::exit_code(&ended(s).unwrap_err());
        assert_eq!(code(failed(2)), 1, "lines were sent");
        assert_eq!(code(failed(0)), 2, "nothing was sent");
        let stopped = Summary {
            stopped: Some(Error::Interrupted),
            ..Summary::default()
        };
        assert_eq!(code(stopped), 130);
        assert!(ended(Summary::default()).is_ok());
    }
}
