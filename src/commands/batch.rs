//! `miiflow run AGENT --batch FILE.jsonl|-`: one run per input line, N in flight, one result
//! line per input line on stdout, in input order, each written as soon as it and every line
//! before it are done.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::sync::Arc;
use std::time::Instant;

use reqwest::Url;
use tokio::sync::{Semaphore, mpsc};

use crate::cli::RunArgs;
use crate::client::{self, Sender};
use crate::context::Context;
use crate::credentials::ApiKey;
use crate::error::{self, Error, code};
use crate::input::{self, Prepared, Source};
use crate::limits;
use crate::output::safe::mask;
use crate::output::{self, Layout, Stdout};
use crate::request::{Request, RunTarget};

/// How far past the first unfinished line the reader may run: bounds memory when one early
/// line is slow, without stalling the workers in ordinary cases.
const WINDOW: usize = 4096;

/// The lines to run, read once, as a stream; the size of the input when it is a regular file
/// (for the progress bar; a pipe has none).
pub struct Lines {
    reader: Box<dyn BufRead + Send>,
    total_bytes: Option<u64>,
    name: String,
}

/// Opens the batch source; a missing file or a folder is bad input, found before anything is sent.
pub fn open(source: &Source) -> Result<Lines, Error> {
    match source {
        Source::Stdin => Ok(Lines {
            reader: Box::new(BufReader::new(std::io::stdin())),
            total_bytes: None,
            name: source.name(),
        }),
        Source::File(path) => {
            let name = source.name();
            if path.is_dir() {
                return Err(Error::BadInput(format!("{name}: is a folder, not a file")));
            }
            let cannot = |e: std::io::Error| Error::BadInput(format!("{name}: cannot read: {e}"));
            // Opened once: a pipe, a FIFO or /dev/stdin can only be read once.
            let file = std::fs::File::open(path).map_err(cannot)?;
            let total_bytes = file
                .metadata()
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            Ok(Lines {
                reader: Box::new(BufReader::new(file)),
                total_bytes,
                name,
            })
        }
    }
}

/// One line of the input: its bytes (without the newline), or how long it was when it is
/// longer than [`limits::MAX_LINE`] (it is then read past, not kept).
enum Line {
    Text(Vec<u8>),
    TooLong(u64),
    /// Over [`limits::MAX_SKIP`] without a newline (`/dev/zero`, a binary file): reading stops.
    Endless,
}

/// Reads one line, keeping at most `max` bytes of it; `None` at the end of the input. Also
/// returns how many bytes of the input the line took.
fn read_line(reader: &mut dyn BufRead, max: usize) -> std::io::Result<Option<(Line, u64)>> {
    let mut line = Vec::new();
    let mut taken = 0u64;
    let mut too_long = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            if taken == 0 {
                return Ok(None);
            }
            break;
        }
        let (chunk, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !too_long && line.len() + chunk.len() > max {
            too_long = true;
            line = Vec::new();
        }
        if !too_long {
            line.extend_from_slice(chunk);
        }
        let used = done.unwrap_or(buf.len());
        taken += used as u64;
        reader.consume(used);
        if done.is_some() {
            break;
        }
        if taken > limits::MAX_SKIP {
            return Ok(Some((Line::Endless, taken)));
        }
    }
    let ended = if too_long {
        Line::TooLong(taken)
    } else {
        Line::Text(line)
    };
    Ok(Some((ended, taken)))
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

async fn one(
    n: usize,
    line: std::io::Result<Line>,
    items: Arc<Vec<Prepared>>,
    base: Url,
    target: Arc<RunTarget>,
    key: ApiKey,
    sender: Sender,
) -> Outcome {
    let name = format!("line {n}");
    let bad = |error: String| Outcome::Failed {
        error,
        code: code::USAGE,
    };
    let bytes = match line {
        Ok(Line::Text(bytes)) => bytes,
        Ok(Line::Endless) => {
            return bad(format!(
                "{name}: more than {} without a newline; stopped reading the input (is it JSON \
                 lines?)",
                limits::show_size(limits::MAX_SKIP)
            ));
        }
        Ok(Line::TooLong(len)) => {
            return bad(format!(
                "{name}: the line is {len} bytes long; a batch line may hold at most {}",
                limits::show_size(limits::MAX_LINE as u64)
            ));
        }
        Err(e) => return bad(format!("{name}: cannot read: {e}")),
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => return bad(format!("{name}: invalid UTF-8")),
    };
    let mut warnings = Vec::new();
    let input = match input::from_text(text, &name, &items, &mut |w| warnings.push(w)) {
        Ok(input) => input,
        Err(e) => return bad(e.to_string()),
    };
    for w in warnings {
        (sender.notify)(&format!("warning: {w}"));
    }
    let req = Request::run(&base, &target, input);
    let exchange = async {
        let mut resp = sender.send(&req, &key).await?;
        let status = resp.status().as_u16();
        let events = status < 300
            && resp
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/event-stream"));
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| sender.classify(&e))? {
            if body.len() + chunk.len() > limits::MAX_BATCH_BODY {
                return Err(Error::Network(format!(
                    "the answer is larger than {}, the most a result line holds; run this \
                     input alone to get it",
                    limits::show_size(limits::MAX_BATCH_BODY as u64)
                )));
            }
            body.extend_from_slice(&chunk);
        }
        let body = match (events, status) {
            (true, _) => embed_events(&body),
            (false, 200..=299) => embed(&body),
            // An error answer may echo the key: it is masked, as for a single run.
            (false, _) => {
                embed(mask(&String::from_utf8_lossy(&body), key.expose(), &key.masked()).as_bytes())
            }
        };
        Ok::<_, Error>(Outcome::Answer { status, body })
    };
    exchange.await.unwrap_or_else(|e| Outcome::Failed {
        error: e.to_string(),
        code: error::exit_code(&anyhow::Error::new(e)),
    })
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    ctx: &Context,
    args: &RunArgs,
    target: &RunTarget,
    lines: Lines,
    items: &[Prepared],
    base: &Url,
    key: &ApiKey,
    sender: Sender,
) -> anyhow::Result<()> {
    let bar =
        output::progress::batch_bar(ctx.term.stderr_tty && !ctx.global.quiet, lines.total_bytes);
    let by_bytes = lines.total_bytes.is_some();
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
        Arc::new(target.clone()),
        key.clone(),
        sender,
        args.concurrency as usize,
        bar.clone().map(|b| (b, by_bytes)),
    ));
    // Requests still in flight on Ctrl-C are abandoned with the runtime.
    drop(runtime);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let summary = summary?;
    if !ctx.global.quiet {
        let secs = started.elapsed().as_secs_f64();
        crate::say!(
            "{name}: {} lines, {} succeeded, {} failed · {secs:.2} s · {:.1}/s",
            summary.done,
            summary.done - summary.failed,
            summary.failed,
            summary.done as f64 / secs.max(1e-9)
        );
    }
    if let Some(stop) = summary.stopped {
        return Err(stop.into());
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

#[derive(Default)]
struct Summary {
    done: usize,
    failed: usize,
    first_failure: Option<(usize, u8, String)>,
    /// Ctrl-C or SIGTERM ended the batch early.
    stopped: Option<Error>,
}

#[allow(clippy::too_many_arguments)]
async fn drive(
    lines: Lines,
    items: Arc<Vec<Prepared>>,
    base: Url,
    target: Arc<RunTarget>,
    key: ApiKey,
    sender: Sender,
    concurrency: usize,
    bar: Option<(indicatif::ProgressBar, bool)>,
) -> anyhow::Result<Summary> {
    // A thread reads lines (stdin or a file may block); the window keeps it from running far
    // ahead of the first unfinished line.
    let window = Arc::new(Semaphore::new(WINDOW));
    let (line_tx, mut line_rx) =
        mpsc::channel::<(usize, std::io::Result<Line>, u64)>(concurrency * 2);
    let reader_window = window.clone();
    let handle = tokio::runtime::Handle::current();
    std::thread::spawn(move || {
        let mut reader = lines.reader;
        for n in 1.. {
            let (read, taken) = match read_line(&mut reader, limits::MAX_LINE) {
                Ok(None) => return,
                Ok(Some((line, taken))) => (Ok(line), taken),
                Err(e) => (Err(e), 0),
            };
            let stop = read.is_err() || matches!(read, Ok(Line::Endless));
            let Ok(permit) = handle.block_on(reader_window.acquire()) else {
                return;
            };
            permit.forget();
            if line_tx.blocking_send((n, read, taken)).is_err() || stop {
                return;
            }
        }
    });

    let (result_tx, mut result_rx) = mpsc::unbounded_channel::<(usize, Outcome, u64)>();
    let workers = Arc::new(Semaphore::new(concurrency));
    let dispatcher = tokio::spawn(async move {
        while let Some((n, line, taken)) = line_rx.recv().await {
            let Ok(permit) = workers.clone().acquire_owned().await else {
                return;
            };
            let (items, base, target, key, sender, result_tx) = (
                items.clone(),
                base.clone(),
                target.clone(),
                key.clone(),
                sender.clone(),
                result_tx.clone(),
            );
            tokio::spawn(async move {
                let outcome = one(n, line, items, base, target, key, sender).await;
                let _ = result_tx.send((n, outcome, taken));
                drop(permit);
            });
        }
    });

    // Results on the bar's terminal are written around the bar, never through it.
    let on_terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let mut stdout = Stdout::around(bar.as_ref().map(|(b, _)| b.clone()).filter(|_| on_terminal));
    let mut finished: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut next = 1usize;
    let mut summary = Summary::default();
    let mut stop = client::Stop::new()?;
    if let Some((b, _)) = &bar {
        // Shown only now that Ctrl-C is caught: it can always be cleared.
        crate::output::progress::start(b);
    }
    loop {
        let stop = tokio::select! {
            received = result_rx.recv() => {
                let Some((n, outcome, taken)) = received else { break };
                summary.done += 1;
                if outcome.code() != code::OK {
                    summary.failed += 1;
                }
                if let Some((b, by_bytes)) = &bar {
                    b.inc(if *by_bytes { taken } else { 1 });
                    let rate = summary.done as f64 / b.elapsed().as_secs_f64().max(1e-3);
                    b.set_message(format!(
                        "{} done · {} failed · {rate:.1}/s",
                        summary.done, summary.failed
                    ));
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
                continue;
            }
            stop = stop.recv() => stop,
        };
        dispatcher.abort();
        // Keep every finished line, in order, though some before them never finished.
        for (n, outcome) in std::mem::take(&mut finished) {
            write_result(&mut stdout, n, &outcome, &mut summary)?;
        }
        summary.stopped = Some(stop);
        return Ok(summary);
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
            Outcome::Answer { status, body } => error::status_reason(*status, body, None),
            Outcome::Failed { error, .. } => error.clone(),
        };
        summary.first_failure = Some((n, code, why));
    }
    Ok(())
}
