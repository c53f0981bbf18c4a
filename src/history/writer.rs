//! Writing entries without holding anything up: one run's entry on a thread of its own, a
//! batch's through a queue to a writer thread that commits them in transactions.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::{Entry, History, spool as file, warn};
use crate::ui::Ui;

/// How [`spool`] kept a single run's entry.
pub(crate) enum Spooled {
    /// Written to `pending/`, to be folded into the database by the next reader or writer.
    Kept,
    /// Written, and so many are waiting that this run folds them ([`record_one`] without an
    /// entry).
    Fold,
    /// Not spooled (large, no database yet or not one, or the write failed): it is written
    /// to the database directly.
    Not(Box<Entry>),
}

/// Keeps a single run's entry at the cost of a small file write, when it can (see
/// `spool.rs`): the run does not wait on SQLite's open, commit, checkpoint, or its lock.
pub(crate) fn spool(dir: &Path, entry: Entry) -> Spooled {
    if entry.input.len() + entry.output.len() > file::MAX_SPOOLED || !file::ready(dir) {
        return Spooled::Not(Box::new(entry));
    }
    match file::write(dir, &entry) {
        Ok(waiting) if waiting >= file::FOLD_AT => Spooled::Fold,
        Ok(_) => Spooled::Kept,
        Err(_) => Spooled::Not(Box::new(entry)),
    }
}

/// Opens the history on a thread of its own (which folds what is pending), records one entry
/// there when given one, and returns its id when done. The caller awaits it under the signals
/// ([`crate::client::block_on`]): Ctrl-C or SIGTERM end a wait on a locked database at once.
pub(crate) async fn record_one(dir: PathBuf, entry: Option<Entry>) -> anyhow::Result<Option<i64>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let recorded = History::open(&dir).and_then(|mut h| match entry {
            Some(entry) => h.record(&[entry]).map(|ids| Some(ids[0])),
            None => Ok(None),
        });
        let _ = tx.send(recorded);
    });
    rx.await
        .unwrap_or_else(|_| Err(anyhow::anyhow!("the history writer stopped")))
}

/// A batch's history: entries go to a writer thread that commits them in transactions, so
/// the batch never waits on the disk and pays no fsync per line. The batch never waits on the
/// writer either: a transaction that finds the database locked by another process for more
/// than [`WRITER_BUSY`] is spooled instead (one small file an entry in `pending/`, folded in by
/// the next process that opens the history), and so is every entry after it: entries are
/// neither lost nor waited for. Only an entry that finds the queue full is not recorded.
pub(crate) struct Writer {
    tx: Option<std::sync::mpsc::SyncSender<Entry>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// The writer failed: entries are no longer sent.
    failed: std::sync::Arc<AtomicBool>,
    /// Entries not recorded because the queue was full.
    dropped: std::sync::atomic::AtomicU64,
    /// Said by the thread when it has written everything it was sent (in a mutex: an MCP
    /// server shares the writer between its calls).
    done: std::sync::Mutex<Option<std::sync::mpsc::Receiver<()>>>,
    ui: Ui,
}

/// Entries per transaction, at most.
const TRANSACTION: usize = 512;

/// How long the batch's writer waits on a lock held by another process before it spools.
const WRITER_BUSY: Duration = Duration::from_millis(500);

impl Writer {
    /// Opens the history in `dir` on the writer's own thread (opening may wait on a lock too).
    pub(crate) fn spawn(dir: PathBuf, ui: Ui) -> Writer {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Entry>(TRANSACTION * 2);
        let (done_tx, done) = std::sync::mpsc::channel();
        let failed = std::sync::Arc::new(AtomicBool::new(false));
        let flag = failed.clone();
        let thread_ui = ui.clone();
        let thread = std::thread::spawn(move || {
            let ui = thread_ui;
            // A database that cannot be opened now (locked past its busy time, a migration
            // waiting on another writer) is said once; the entries then wait in pending/.
            let mut history = match History::open(&dir) {
                Ok(h) if h.wait_at_most(WRITER_BUSY).is_ok() => Some(h),
                Ok(_) => None,
                Err(e) => {
                    warn(&ui, &e);
                    None
                }
            };
            let mut spilled = false;
            let mut pending = Vec::with_capacity(TRANSACTION);
            while let Ok(first) = rx.recv() {
                pending.push(first);
                // Whatever else is already waiting goes into the same transaction.
                while pending.len() < TRANSACTION {
                    match rx.try_recv() {
                        Ok(e) => pending.push(e),
                        Err(_) => break,
                    }
                }
                let recorded = match &mut history {
                    Some(h) => h.record(&pending).map(drop),
                    None => Err(anyhow::anyhow!("not open")),
                };
                if recorded.is_err() && !flag.load(Ordering::Relaxed) {
                    // Locked (or gone): this transaction and the rest wait in pending/.
                    history = None;
                    spilled = true;
                    for entry in &pending {
                        if let Err(e) = file::write(&dir, entry) {
                            flag.store(true, Ordering::Relaxed);
                            warn(&ui, &anyhow::anyhow!("cannot keep a run's entry: {e}"));
                            break;
                        }
                    }
                }
                pending.clear();
            }
            if spilled && !flag.load(Ordering::Relaxed) {
                ui.note(&format!(
                    "the history could not be written now (another process writing it, or see \
                     above): this batch's runs wait in {} and are added by the next miiflow \
                     that opens the history",
                    dir.join("pending").display()
                ));
            }
            let _ = done_tx.send(());
        });
        Writer {
            tx: Some(tx),
            thread: Some(thread),
            failed,
            dropped: Default::default(),
            done: std::sync::Mutex::new(Some(done)),
            ui,
        }
    }

    /// Queues an entry without waiting: a full queue or a failed writer drops it.
    pub(crate) fn send(&self, entry: Entry) {
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        if let Some(tx) = &self.tx
            && let Err(std::sync::mpsc::TrySendError::Full(_)) = tx.try_send(entry)
        {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Waits until every entry sent is written (or spooled); after Ctrl-C (`interrupted`), at
    /// most a second. The wait is under the signals: Ctrl-C, SIGTERM or SIGHUP end it at once,
    /// and the signal is returned for the batch to end with (130/143).
    pub(crate) fn finish(mut self, interrupted: bool) -> Option<crate::error::Error> {
        self.tx.take();
        let dropped = self.dropped.load(Ordering::Relaxed);
        if dropped > 0 && !self.failed.load(Ordering::Relaxed) {
            warn(
                &self.ui,
                &anyhow::anyhow!(
                    "{dropped} run(s) of the batch were not recorded: the database was busy \
                 (another process writing it)"
                ),
            );
        }
        let done = self.done.get_mut().ok().and_then(Option::take);
        let (Some(_thread), Some(done)) = (self.thread.take(), done) else {
            return None;
        };
        if interrupted {
            let _ = done.recv_timeout(Duration::from_secs(1));
            return None;
        }
        let waited = crate::client::block_on(async move {
            let _ = tokio::task::spawn_blocking(move || done.recv()).await;
            Ok(())
        });
        waited.err()?.downcast::<crate::error::Error>().ok()
    }
}
