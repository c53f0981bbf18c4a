//! The one recorder: how a finished entry reaches the history, whoever ran it. A single run's
//! entry is spooled (one small file) or, when its id must be shown, written directly on a
//! thread of its own under the signals; a batch's lines and an MCP server's calls go to the
//! writer thread, which never holds a line, an answer or a caller's slot. Callers hand over a
//! finished entry ([`Entry::finish`]) and never see the spool, the database or the fold.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Entry, Spooled, Writer, record_one, spool, warn};
use crate::ui::Ui;

#[derive(Clone)]
pub(crate) enum Recorder {
    /// The history is off (`--no-history`, `MIIFLOW_HISTORY=off`, the config).
    Off,
    /// A single run: its one entry, spooled or written directly.
    One { dir: PathBuf, ui: Ui },
    /// Many entries (a batch, an MCP server): queued to the writer thread.
    Queue(Arc<Writer>),
}

impl Recorder {
    /// For a single run, in `dir` (`None`: off).
    pub(crate) fn one(dir: Option<PathBuf>, ui: &Ui) -> Recorder {
        match dir {
            Some(dir) => Recorder::One {
                dir,
                ui: ui.clone(),
            },
            None => Recorder::Off,
        }
    }

    /// For many entries, in `dir` (`None`: off): the writer thread starts now.
    pub(crate) fn queue(dir: Option<PathBuf>, ui: &Ui) -> Recorder {
        match dir {
            Some(dir) => Recorder::Queue(Arc::new(Writer::spawn(dir, ui.clone()))),
            None => Recorder::Off,
        }
    }

    pub(crate) fn on(&self) -> bool {
        !matches!(self, Recorder::Off)
    }

    /// Records a finished entry. A queued one never waits. A single run's is spooled, unless
    /// `wants_id`: then it is written directly and its id returned. A direct write waits under
    /// the signals: Ctrl-C there is the error returned (exit 130), the entry unwritten. A
    /// history that cannot be written is one warning, never an error.
    pub(crate) fn record(&self, entry: Entry, wants_id: bool) -> anyhow::Result<Option<i64>> {
        let (dir, ui) = match self {
            Recorder::Off => return Ok(None),
            Recorder::Queue(writer) => {
                writer.send(entry);
                return Ok(None);
            }
            Recorder::One { dir, ui } => (dir, ui),
        };
        let entry = match wants_id {
            true => Some(entry),
            false => match spool(dir, entry) {
                Spooled::Kept => return Ok(None),
                Spooled::Fold => None,
                Spooled::Not(entry) => Some(*entry),
            },
        };
        let dir = dir.clone();
        match crate::client::block_on(async { Ok(record_one(dir, entry).await) })? {
            Ok(id) => Ok(id.filter(|_| wants_id)),
            Err(e) => {
                warn(ui, &e);
                Ok(None)
            }
        }
    }

    /// Every queued entry written (or spooled) before the process ends; after a signal only
    /// what can be done at once. A signal during that wait is returned.
    pub(crate) fn finish(self, interrupted: bool) -> Option<crate::error::Error> {
        match self {
            Recorder::Queue(writer) => Arc::try_unwrap(writer).ok()?.finish(interrupted),
            _ => None,
        }
    }
}
