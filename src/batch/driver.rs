//! The concurrent driver: a reader thread feeds records, a dispatcher starts at most N lines
//! at once, and the results are written as they finish — to RESULTS at once, or to stdout in
//! input order through a [`Reorder`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use tokio::sync::{Notify, Semaphore, mpsc};

use super::work::Batch;
use super::work::Ran;
use super::{HELD, WINDOW};
use crate::batch::reorder::Reorder;
use crate::client;
use crate::error::{Error, code};
use crate::history::Recorder;
use crate::report::summary::Summary;
use crate::results::journal::Journal;
use crate::results::line::Outcome;
use crate::results::records::{Input, Record};
use crate::shard::Shard;
use crate::ui::Ui;

/// Where results go.
pub(super) enum Sink {
    /// stdout, in input order.
    Stdout(Ui),
    /// `-o RESULTS`, as they finish.
    File(Journal),
}

/// How the batch is driven.
pub(super) struct Drive<'a> {
    pub(super) concurrency: usize,
    pub(super) shard: Option<Shard>,
    pub(super) bar: Option<indicatif::ProgressBar>,
    /// Where each line's entry is recorded (never waited for).
    pub(super) history: &'a Recorder,
    /// `--junit FILE`: each line's test case, as it finishes.
    pub(super) junit: Option<&'a mut crate::report::junit::Junit>,
}

/// One record read: its line number, the record, and the input bytes it (and the lines of
/// other shards before it) took.
pub(super) struct Read {
    line: u64,
    record: Record,
    taken: u64,
}

/// One line done: its number, what its work did, and the input bytes it took (for the bar).
pub(super) struct Finished {
    line: u64,
    ran: Ran,
    taken: u64,
}

/// How far the reader got: the last line number read, and whether that was the end.
#[derive(Default)]
struct Progress {
    lines: AtomicU64,
    ended: AtomicBool,
}

/// Bytes of finished results held for in-order output, and the wake-up when they go out:
/// behind a slow line, no new line starts while more than [`HELD`] waits.
#[derive(Default)]
struct Held {
    bytes: AtomicUsize,
    changed: Notify,
}

impl Held {
    fn set(&self, bytes: usize) {
        self.bytes.store(bytes, Ordering::Relaxed);
        self.changed.notify_waiters();
    }

    /// Returns once few enough bytes are held. The slow line is already running (lines start
    /// in order), so this only waits for it.
    async fn room(&self) {
        loop {
            let changed = self.changed.notified();
            if self.bytes.load(Ordering::Relaxed) <= HELD {
                return;
            }
            changed.await;
        }
    }
}

/// The reader: a thread (stdin or a file may block) that sends the records this shard takes,
/// never more than [`WINDOW`] past the first unfinished line.
fn spawn_reader(
    mut input: Input,
    shard: Option<Shard>,
    window: Arc<Semaphore>,
    progress: Arc<Progress>,
    tx: mpsc::Sender<Read>,
) {
    let handle = tokio::runtime::Handle::current();
    std::thread::spawn(move || {
        let mut carried = 0;
        for line in 1.. {
            let Some((record, taken)) = input.reader.next(line) else {
                progress.ended.store(true, Ordering::Relaxed);
                return;
            };
            progress.lines.store(line, Ordering::Relaxed);
            let last = matches!(record, Record::End(_));
            if !last && shard.is_some_and(|s| !s.takes(line)) {
                carried += taken;
                continue;
            }
            let Ok(permit) = handle.block_on(window.acquire()) else {
                return;
            };
            permit.forget();
            let taken = taken + std::mem::take(&mut carried);
            let read = Read {
                line,
                record,
                taken,
            };
            if tx.blocking_send(read).is_err() || last {
                return;
            }
        }
    });
}

/// The dispatcher: starts each line read as a worker frees up (and while not too much is
/// held); each line's result goes to `results`.
fn spawn_dispatcher(
    batch: Arc<Batch>,
    concurrency: usize,
    held: Arc<Held>,
    mut lines: mpsc::Receiver<Read>,
    results: mpsc::UnboundedSender<Finished>,
) -> tokio::task::JoinHandle<()> {
    let workers = Arc::new(Semaphore::new(concurrency));
    tokio::spawn(async move {
        while let Some(read) = lines.recv().await {
            held.room().await;
            let Ok(permit) = workers.clone().acquire_owned().await else {
                return;
            };
            let (batch, results) = (batch.clone(), results.clone());
            tokio::spawn(async move {
                let Read {
                    line,
                    record,
                    taken,
                } = read;
                // A line whose work panics is a failed line, never a vanished one.
                let work = tokio::spawn(async move { batch.one(line, record).await });
                let ran = work.await.unwrap_or_else(|e| {
                    Ran::failed(Outcome::Failed {
                        error: format!("internal error while running this line: {e}"),
                        code: code::FAILURE,
                        sent: true,
                    })
                });
                let _ = results.send(Finished { line, ran, taken });
                drop(permit);
            });
        }
    })
}

/// Runs the batch: lines are read, run `plan.concurrency` at once, and written as they
/// finish. Returns the summary, and the sink to finish (none when stdout's reader left).
pub(super) async fn drive(
    batch: Arc<Batch>,
    input: Input,
    sink: Sink,
    plan: Drive<'_>,
) -> anyhow::Result<(Summary, Option<Sink>)> {
    let window = Arc::new(Semaphore::new(WINDOW));
    let progress = Arc::new(Progress::default());
    let held = Arc::new(Held::default());
    let (line_tx, line_rx) = mpsc::channel::<Read>(plan.concurrency * 2);
    let (result_tx, result_rx) = mpsc::unbounded_channel::<Finished>();
    spawn_reader(input, plan.shard, window.clone(), progress.clone(), line_tx);
    let dispatcher = spawn_dispatcher(batch, plan.concurrency, held.clone(), line_rx, result_tx);
    let mut collect = Collect {
        plan,
        window,
        held,
        sink,
        summary: Summary::default(),
    };
    let done = collect.results(result_rx).await;
    dispatcher.abort();
    let Collect {
        mut summary, sink, ..
    } = collect;
    summary.lines = progress.lines.load(Ordering::Relaxed);
    summary.input_ended = progress.ended.load(Ordering::Relaxed);
    match done? {
        Done::Finished => Ok((summary, Some(sink))),
        // Cut short as by Ctrl-C, and said so in every report: lines were left unrun.
        Done::ReaderGone => {
            summary.stopped = Some(Error::ReaderGone);
            Ok((summary, None))
        }
        Done::Stopped(stopped) => {
            summary.stopped = Some(stopped);
            Ok((summary, Some(sink)))
        }
    }
}

/// How collecting the results ended.
enum Done {
    /// Every line read was done.
    Finished,
    /// stdout's reader went away (`| head`): no more workflows are run.
    ReaderGone,
    /// Ctrl-C, SIGTERM or SIGHUP.
    Stopped(Error),
}

/// The receiving end: counts each finished line and writes it where results go.
struct Collect<'a> {
    plan: Drive<'a>,
    window: Arc<Semaphore>,
    held: Arc<Held>,
    sink: Sink,
    summary: Summary,
}

impl Collect<'_> {
    async fn results(&mut self, mut rx: mpsc::UnboundedReceiver<Finished>) -> anyhow::Result<Done> {
        let by_bytes = self.plan.bar.as_ref().is_some_and(|b| b.length().is_some());
        let mut reorder = Reorder::new(self.plan.shard);
        let mut stop = client::Stop::new()?;
        if let Some(b) = &self.plan.bar {
            // Shown only now that Ctrl-C is caught: it can always be cleared.
            crate::ui::progress::start(b);
        }
        loop {
            let finished = tokio::select! {
                received = rx.recv() => received,
                stopped = stop.recv() => {
                    // Keep every finished line, in order, though some before them never did.
                    if let Sink::Stdout(stdout) = &self.sink {
                        for (n, outcome) in reorder.drain() {
                            stdout.out(&outcome.to_line(n, None))?;
                        }
                    }
                    return Ok(Done::Stopped(stopped));
                }
            };
            let Some(first) = finished else {
                return Ok(Done::Finished);
            };
            if matches!(self.sink, Sink::File(_)) {
                match self.append(first, &mut rx, by_bytes) {
                    // RESULTS through /dev/stdout, and its reader went away (`| head`).
                    Err(e) if crate::error::is_broken_pipe(&e) => return Ok(Done::ReaderGone),
                    other => other?,
                }
                continue;
            }
            let Finished { line, ran, taken } = first;
            let outcome = self.account(line, ran, taken, by_bytes);
            let Sink::Stdout(stdout) = &self.sink else {
                unreachable!("a results file is appended to above")
            };
            reorder.insert(line, outcome);
            while let Some((n, outcome)) = reorder.pop() {
                stdout.out(&outcome.to_line(n, None))?;
                self.window.add_permits(1);
            }
            self.held.set(reorder.held());
            if stdout.closed() {
                return Ok(Done::ReaderGone);
            }
        }
    }

    /// Appends `first` and the results already waiting behind it with one write (each is on
    /// disk as soon as the batch has seen it finish).
    fn append(
        &mut self,
        first: Finished,
        rx: &mut mpsc::UnboundedReceiver<Finished>,
        by_bytes: bool,
    ) -> anyhow::Result<()> {
        let mut lines = Vec::new();
        let mut current = Some(first);
        while let Some(done) = current.take() {
            let Finished { line, ran, taken } = done;
            let (digest, record, took) = (ran.digest, ran.record, ran.took);
            let outcome = self.account(line, ran, taken, by_bytes);
            if !matches!(outcome, Outcome::Kept(_)) {
                let text = outcome.to_line_with(line, digest.as_ref(), record.as_ref(), took);
                lines.push((line, text));
            }
            self.window.add_permits(1);
            if lines.len() < 256 {
                current = rx.try_recv().ok();
            }
        }
        match &mut self.sink {
            Sink::File(journal) => journal.append(&lines),
            Sink::Stdout(_) => unreachable!("called for a results file"),
        }
    }

    /// Counts a finished line: the summary, the JUnit report, the progress bar, the history.
    /// Returns its outcome, to write.
    fn account(&mut self, line: u64, ran: Ran, taken: u64, by_bytes: bool) -> Outcome {
        let Ran {
            outcome,
            entry,
            took,
            name,
            ..
        } = ran;
        let summary = &mut self.summary;
        summary.count(line, &outcome, took);
        if let Some(junit) = &mut self.plan.junit {
            junit.case(line, name.as_deref(), &outcome, took);
        }
        if let Some(e) = entry {
            // A queued entry: recording never holds the batch.
            let _ = self.plan.history.record(e, false);
        }
        if let Some(b) = &self.plan.bar {
            b.inc(if by_bytes { taken } else { 1 });
            let rate = summary.done as f64 / b.elapsed().as_secs_f64().max(1e-3);
            b.set_message(format!(
                "{} done · {} failed · {rate:.1}/s",
                summary.done, summary.failed
            ));
        }
        outcome
    }
}
