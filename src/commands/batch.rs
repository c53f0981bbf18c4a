//! `miiflow run AGENT --batch FILE.jsonl|-`: one run per input line, N in flight, one result
//! line per input line on stdout, in input order, each written as soon as it and every line
//! before it are done.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Url;
use tokio::sync::{Semaphore, mpsc};

use crate::cli::RunArgs;
use crate::client::{self, Sender};
use crate::context::Context;
use crate::credentials::ApiKey;
use crate::error::{self, Error, code};
use crate::input::{self, Prepared, Source};
use crate::output::{self, Layout, Stdout};
use crate::request::Request;

/// How far past the first unfinished line the reader may run: bounds memory when one early
/// line is slow, without stalling the workers in ordinary cases.
const WINDOW: usize = 4096;

/// The lines to run, and how many there are when that is known up front (a file).
pub struct Lines {
    reader: Box<dyn BufRead + Send>,
    total: Option<u64>,
    name: String,
}

/// Opens the batch source; a missing file or a folder is bad input, found before anything is sent.
pub fn open(source: &Source) -> Result<Lines, Error> {
    match source {
        Source::Stdin => Ok(Lines {
            reader: Box::new(BufReader::new(std::io::stdin())),
            total: None,
            name: source.name(),
        }),
        Source::File(path) => {
            let name = source.name();
            if path.is_dir() {
                return Err(Error::BadInput(format!("{name}: is a folder, not a file")));
            }
            let cannot = |e: std::io::Error| Error::BadInput(format!("{name}: cannot read: {e}"));
            let count = BufReader::new(std::fs::File::open(path).map_err(cannot)?)
                .split(b'\n')
                .count() as u64;
            let file = std::fs::File::open(path).map_err(cannot)?;
            Ok(Lines {
                reader: Box::new(BufReader::new(file)),
                total: Some(count),
                name,
            })
        }
    }
}

/// What became of one line.
enum Outcome {
    /// An HTTP answer: the status and the body, as it will be embedded.
    Answer { status: u16, body: Vec<u8> },
    /// Bad input or a failed exchange: no status.
    Failed { error: String, code: u8 },
}

impl Outcome {
    fn code(&self) -> u8 {
        match self {
            Outcome::Answer { status, .. } => error::status_code(*status),
            Outcome::Failed { code, .. } => *code,
        }
    }

    /// `{"line": N, "status": S, "body": …}` or `{"line": N, "status": null, "error": "…"}`.
    fn to_line(&self, n: usize) -> Vec<u8> {
        let mut out = format!("{{\"line\":{n},\"status\":").into_bytes();
        match self {
            Outcome::Answer { status, body } => {
                out.extend_from_slice(format!("{status},\"body\":").as_bytes());
                out.extend_from_slice(body);
            }
            Outcome::Failed { error, .. } => {
                out.extend_from_slice(b"null,\"error\":");
                serde_json::to_writer(&mut out, error).expect("writing to a Vec");
            }
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

async fn one(
    n: usize,
    line: std::io::Result<Vec<u8>>,
    items: Arc<Vec<Prepared>>,
    base: Url,
    agent_id: Arc<str>,
    key: ApiKey,
    sender: Sender,
) -> Outcome {
    let name = format!("line {n}");
    let bad = |error: String| Outcome::Failed {
        error,
        code: code::USAGE,
    };
    let text = match line.map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => return bad(format!("{name}: invalid UTF-8")),
        Err(e) => return bad(format!("{name}: cannot read: {e}")),
    };
    let mut warnings = Vec::new();
    let input = match input::from_text(text, &name, &items, &mut |w| warnings.push(w)) {
        Ok(input) => input,
        Err(e) => return bad(e.to_string()),
    };
    for w in warnings {
        (sender.notify)(&format!("warning: {w}"));
    }
    let req = Request::agent_run(&base, &agent_id, input);
    let exchange = async {
        let mut resp = sender.send(&req, &key).await?;
        let status = resp.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| client::classify(&e, sender.opts))?
        {
            body.extend_from_slice(&chunk);
        }
        Ok::<_, Error>(Outcome::Answer {
            status,
            body: embed(&body),
        })
    };
    exchange.await.unwrap_or_else(|e| Outcome::Failed {
        error: e.to_string(),
        code: error::exit_code(&anyhow::Error::new(e)),
    })
}

pub fn run(
    ctx: &Context,
    args: &RunArgs,
    lines: Lines,
    items: &[Prepared],
    base: &Url,
    key: &ApiKey,
    sender: Sender,
) -> anyhow::Result<()> {
    let bar = progress(ctx, lines.total);
    let sender = match &bar {
        Some(b) => {
            let b = b.clone();
            let quiet = ctx.global.quiet;
            Sender {
                notify: Arc::new(move |m: &str| {
                    if !quiet {
                        b.println(format!("miiflow: {m}"));
                    }
                }),
                ..sender
            }
        }
        None => sender,
    };
    let started = Instant::now();
    let name = lines.name.clone();
    let runtime = client::runtime()?;
    let summary = runtime.block_on(drive(
        lines,
        Arc::new(items.to_vec()),
        base.clone(),
        Arc::from(args.agent_id.as_str()),
        key.clone(),
        sender,
        args.concurrency as usize,
        bar.clone(),
    ));
    // Requests still in flight on Ctrl-C are abandoned with the runtime.
    drop(runtime);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let summary = summary?;
    if !ctx.global.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "{name}: {} lines, {} succeeded, {} failed · {secs:.2} s · {:.1}/s",
            summary.done,
            summary.done - summary.failed,
            summary.failed,
            summary.done as f64 / secs.max(1e-9)
        );
    }
    if summary.interrupted {
        return Err(Error::Interrupted.into());
    }
    match summary.first_failure {
        None => Ok(()),
        Some((n, code, why)) => Err(Error::Batch {
            code,
            message: format!(
                "{} of {} lines failed; the first, line {n}: {why}",
                summary.failed, summary.done
            ),
        }
        .into()),
    }
}

fn progress(ctx: &Context, total: Option<u64>) -> Option<indicatif::ProgressBar> {
    if !ctx.term.stderr_tty || ctx.global.quiet {
        return None;
    }
    let (bar, template) = match total {
        Some(n) => (
            indicatif::ProgressBar::new(n),
            "{bar:30} {pos}/{len} done · {msg} · ETA {eta}",
        ),
        None => (
            indicatif::ProgressBar::no_length(),
            "{spinner} {pos} done · {msg} · {per_sec}",
        ),
    };
    bar.set_style(indicatif::ProgressStyle::with_template(template).expect("a valid template"));
    bar.set_message("0 failed");
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}

#[derive(Default)]
struct Summary {
    done: usize,
    failed: usize,
    first_failure: Option<(usize, u8, String)>,
    interrupted: bool,
}

#[allow(clippy::too_many_arguments)]
async fn drive(
    lines: Lines,
    items: Arc<Vec<Prepared>>,
    base: Url,
    agent_id: Arc<str>,
    key: ApiKey,
    sender: Sender,
    concurrency: usize,
    bar: Option<indicatif::ProgressBar>,
) -> anyhow::Result<Summary> {
    // A thread reads lines (stdin or a file may block); the window keeps it from running far
    // ahead of the first unfinished line.
    let window = Arc::new(Semaphore::new(WINDOW));
    let (line_tx, mut line_rx) =
        mpsc::channel::<(usize, std::io::Result<Vec<u8>>)>(concurrency * 2);
    let reader_window = window.clone();
    let handle = tokio::runtime::Handle::current();
    std::thread::spawn(move || {
        let mut reader = lines.reader;
        for n in 1.. {
            let mut line = Vec::new();
            let read = match reader.read_until(b'\n', &mut line) {
                Ok(0) => return,
                Ok(_) => Ok(line),
                Err(e) => Err(e),
            };
            let stop = read.is_err();
            let read = read.map(|mut l| {
                if l.last() == Some(&b'\n') {
                    l.pop();
                }
                l
            });
            let Ok(permit) = handle.block_on(reader_window.acquire()) else {
                return;
            };
            permit.forget();
            if line_tx.blocking_send((n, read)).is_err() || stop {
                return;
            }
        }
    });

    let (result_tx, mut result_rx) = mpsc::unbounded_channel::<(usize, Outcome)>();
    let workers = Arc::new(Semaphore::new(concurrency));
    let dispatcher = tokio::spawn(async move {
        while let Some((n, line)) = line_rx.recv().await {
            let Ok(permit) = workers.clone().acquire_owned().await else {
                return;
            };
            let (items, base, agent_id, key, sender, result_tx) = (
                items.clone(),
                base.clone(),
                agent_id.clone(),
                key.clone(),
                sender.clone(),
                result_tx.clone(),
            );
            tokio::spawn(async move {
                let outcome = one(n, line, items, base, agent_id, key, sender).await;
                let _ = result_tx.send((n, outcome));
                drop(permit);
            });
        }
    });

    let mut stdout = Stdout::default();
    let mut finished: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut next = 1usize;
    let mut summary = Summary::default();
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            received = result_rx.recv() => {
                let Some((n, outcome)) = received else { break };
                summary.done += 1;
                if outcome.code() != code::OK {
                    summary.failed += 1;
                }
                if let Some(b) = &bar {
                    b.inc(1);
                    let rate = summary.done as f64 / b.elapsed().as_secs_f64().max(1e-3);
                    b.set_message(format!("{} failed · {rate:.1}/s", summary.failed));
                }
                finished.insert(n, outcome);
                while let Some(outcome) = finished.remove(&next) {
                    write_result(&mut stdout, next, &outcome, &mut summary)?;
                    window.add_permits(1);
                    next += 1;
                }
                if stdout.closed() {
                    // Nobody reads the results any more (`| head`): run no more workflows.
                    dispatcher.abort();
                    return Ok(summary);
                }
            }
            _ = &mut ctrl_c => {
                dispatcher.abort();
                // Keep every finished line, in order, though some before them never finished.
                for (n, outcome) in std::mem::take(&mut finished) {
                    write_result(&mut stdout, n, &outcome, &mut summary)?;
                }
                summary.interrupted = true;
                return Ok(summary);
            }
        }
    }
    Ok(summary)
}

fn write_result(
    stdout: &mut Stdout,
    n: usize,
    outcome: &Outcome,
    summary: &mut Summary,
) -> anyhow::Result<()> {
    stdout.write_all(&outcome.to_line(n))?;
    let code = outcome.code();
    if code != code::OK && summary.first_failure.is_none() {
        let why = match outcome {
            Outcome::Answer { status, body } => {
                let status = reqwest::StatusCode::from_u16(*status)
                    .unwrap_or(reqwest::StatusCode::INTERNAL_SERVER_ERROR);
                output::reason(status, body)
            }
            Outcome::Failed { error, .. } => error.clone(),
        };
        summary.first_failure = Some((n, code, why));
    }
    Ok(())
}
