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

use crate::cli::RunArgs;
use crate::client::{self};
use crate::context::Context;
use crate::engine::{self, Job, Mode};
use crate::error::{Error, code};
use crate::expect::Expectations;
use crate::history::Writer;
use crate::input::{Prepared, Source};
use crate::limits;
use crate::output::Jq;
use crate::report::junit::Junit;
use crate::report::said::{resume_notes, say_how_to_go_on, say_resuming, say_summary};
use crate::report::summary::{Closing, Summary};
use crate::request::RunTarget;
use crate::results::journal::{Journal, Planned, Resume};
use crate::results::records;
use driver::{Plan, Sink, drive};
use work::Batch;

/// How far past the first unfinished line the reader may run: bounds memory when one early
/// line is slow, without stalling the workers in ordinary cases.
const WINDOW: usize = 4096;

/// The most bytes of finished results held for in-order output to stdout behind a slow line;
/// past it no new line starts until the slow one is done (then they are all written).
const HELD: usize = 64 * 1024 * 1024;

/// Runs the batch. Everything that can be refused (the input, its CSV header, `-o`, `-r`,
/// the key, the base URL) is refused before RESULTS is touched or anything is sent.
pub(crate) fn run(
    ctx: &Context,
    args: &RunArgs,
    target: RunTarget,
    items: Vec<Prepared>,
    jq: Option<Jq>,
    expect: Option<Expectations>,
) -> anyhow::Result<()> {
    let resume = resume_mode(args)?;
    distinct_files(args)?;
    let shard = match args.shard {
        None => None,
        Some(arg) => {
            let env = |name: &str| crate::env::var(name);
            let (shard, said) = arg.resolve(&env).map_err(Error::BadInput)?;
            if let Some(said) = said
                && !ctx.ui.quiet()
            {
                ctx.ui.tell(&said);
            }
            Some(shard)
        }
    };
    let source = Source::from_arg(args.batch.as_deref().expect("a batch"));
    let input = records::open(&source, records::format(&source, args.batch_format))?;
    let planned = args
        .out
        .output
        .as_deref()
        .map(|path| Planned::check(path, resume, input.handle.as_ref()))
        .transpose()?;
    let limit = limits::buffer()?;
    let active = ctx.active_profile()?;
    let (resolved, base) = engine::key_and_base(ctx, &active)?;
    let mut junit = args
        .junit
        .as_deref()
        .map(|path| Junit::create(path, resolved.key.clone()))
        .transpose()?;
    let summary_json = args
        .summary_json
        .as_deref()
        .map(crate::output::OutputFile::create)
        .transpose()?;

    let bar = bar(ctx, args, input.total_bytes);
    let quiet = ctx.ui.quiet();
    let sender = engine::sender(ctx, &args.net, &base, Mode::Batch { rate: args.rate })?;
    let history = ctx.history_dir(&resolved.profile, args.no_history);
    // Nothing can refuse the batch any more: RESULTS is taken (locked, emptied or read).
    let (journal, resumed) = planned.map(Journal::open).transpose()?.unzip();
    if let (Some(journal), Some(resumed)) = (&journal, &resumed)
        && resume != Resume::Fresh
        && !quiet
    {
        say_resuming(&ctx.ui, journal, resumed);
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
        expect,
        names: junit.is_some(),
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
            shard,
            bar: bar.clone(),
            history: writer.as_ref(),
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
    let counts = &batch.job.sender.counts;
    summary.retries = counts.retries.load(std::sync::atomic::Ordering::Relaxed);
    summary.waits_429 = counts.waits_429.load(std::sync::atomic::Ordering::Relaxed);
    if let Some(w) = writer
        // Every entry sent is written (or spooled) before the process ends; after Ctrl-C
        // only what the writer can do at once. A signal in that wait ends the batch with it.
        && let Some(stop) = w.finish(summary.stopped.is_some())
    {
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
    let reported = reports(ctx, &closing, junit, summary_json);
    if !ctx.ui.quiet() {
        let resumed = batch.resumed.as_ref();
        let resumed = resumed.map(|r| r.lock().unwrap_or_else(|e| e.into_inner()));
        report(ctx, args, &closing, resumed.as_deref(), dropped);
    }
    finished?;
    reported?;
    ended(summary)
}

/// The exit code the batch ends with (see [`ended`]).
fn exit_of(summary: &Summary) -> u8 {
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
/// and the CI job summary when `$GITHUB_STEP_SUMMARY` names a file. All are tried; the first
/// that failed is returned.
fn reports(
    ctx: &Context,
    closing: &Closing,
    junit: Option<Junit>,
    summary_json: Option<crate::output::OutputFile>,
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
    if let Some(mut file) = summary_json {
        let mut text = serde_json::to_vec_pretty(&closing.to_json())?;
        text.push(b'\n');
        keep(file.write(&text).and_then(|()| file.commit()));
    }
    let step_summary = crate::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty());
    if let Some(path) = step_summary.map(std::path::PathBuf::from) {
        // Only a regular file (or none yet): a FIFO there would hold the batch's end.
        let appended = match std::fs::metadata(&path) {
            Ok(m) if !m.is_file() => Err(std::io::Error::other("not a regular file")),
            _ => Ok(()),
        }
        .and_then(|()| {
            std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&path)
                .and_then(|mut f| {
                    std::io::Write::write_all(&mut f, closing.to_markdown().as_bytes())
                })
        });
        if let Err(e) = appended {
            ctx.ui.warn(&format!(
                "GITHUB_STEP_SUMMARY ({}): cannot append the summary: {e}",
                path.display()
            ));
        }
    }
    first.map_or(Ok(()), Err)
}

/// `miiflow results merge`.
pub(crate) fn merge(ui: &crate::ui::Ui, args: &crate::cli::ResultsMergeArgs) -> anyhow::Result<()> {
    crate::results::merge::merge(
        ui,
        crate::results::merge::Merge {
            files: &args.files,
            output: args.output.as_deref(),
            input: args.input.as_deref(),
            format: args.batch_format,
        },
    )
}

/// A bar is drawn on a terminal's stderr, except when stdout is a pipe: the program reading
/// it (`| jq`) prints to the same terminal, and its lines would be glued to the bar.
fn bar(ctx: &Context, args: &RunArgs, total_bytes: Option<u64>) -> Option<indicatif::ProgressBar> {
    let term = ctx.ui.term();
    let fits = args.out.output.is_some() || !term.stdout_pipe;
    crate::ui::progress::batch_bar(term.stderr_tty && !ctx.ui.quiet() && fits, total_bytes)
}

/// What a batch says at its end: the summary, what a resume did, how to go on after Ctrl-C.
fn report(
    ctx: &Context,
    args: &RunArgs,
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
        say_how_to_go_on(&ctx.ui, args);
    }
}

/// The files a batch writes are neither each other nor its input: a report written over the
/// results (or the input) at the end would destroy them.
fn distinct_files(args: &RunArgs) -> Result<(), Error> {
    let input = args
        .batch
        .as_deref()
        .filter(|p| p.as_os_str() != "-")
        .map(|p| ("--batch", p));
    let named = [
        ("--junit", args.junit.as_deref()),
        ("--summary-json", args.summary_json.as_deref()),
        ("-o", args.out.output.as_deref()),
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

/// What `--resume` and `--retry-failed` ask for; `-r`, and a resume with no `-o`, refused.
fn resume_mode(args: &RunArgs) -> Result<Resume, Error> {
    if args.out.raw_output {
        return Err(Error::BadInput(
            "-r does not go with --batch: each result is a JSON line, and --jq's result is its \
             body (pipe the results to `jq -r` for raw text)"
                .into(),
        ));
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
        )));
    }
    Ok(resume)
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

    use clap::Parser;

    fn args(line: &[&str]) -> RunArgs {
        let mut argv = vec!["miiflow", "run", "agent_a", "--batch", "in.jsonl"];
        argv.extend_from_slice(line);
        match crate::cli::Cli::parse_from(argv).command {
            crate::cli::Command::Run(a) => a,
            _ => unreachable!("a run"),
        }
    }

    #[test]
    fn resume_modes_and_their_refusals() {
        assert_eq!(resume_mode(&args(&[])).unwrap(), Resume::Fresh);
        assert_eq!(
            resume_mode(&args(&["-o", "r", "--resume"])).unwrap(),
            Resume::Keep
        );
        let both = args(&["-o", "r", "--resume", "--retry-failed"]);
        assert_eq!(resume_mode(&both).unwrap(), Resume::RetryFailed);
        let no_file = resume_mode(&args(&["--retry-failed"]))
            .unwrap_err()
            .to_string();
        assert!(
            no_file.starts_with("--retry-failed needs -o RESULTS"),
            "{no_file}"
        );
        let raw = resume_mode(&args(&["--jq", ".", "-r"]))
            .unwrap_err()
            .to_string();
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
