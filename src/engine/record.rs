//! The record step: a run's history entry, made from what the exchange kept (the input is the
//! request body's own bytes, sliced, not copied), masked, and written after the answer is out,
//! under the signals.

use std::time::Instant;

use crate::client;
use crate::context::Context;
use crate::credentials::Resolved;
use crate::error::{self, Error};
use crate::history::{self, Entry, Spooled};
use crate::request::{Request, RunTarget};

/// What a run's history entry needs besides the exchange.
pub(crate) struct Recording {
    pub(crate) target: RunTarget,
    /// `--no-history`.
    pub(crate) off: bool,
    /// The expectations checked, as the command line gave them.
    pub(crate) expect: Option<String>,
}

/// What the exchange did, for its entry.
pub(crate) struct Ran<'a> {
    pub(crate) req: &'a Request,
    pub(crate) base: &'a reqwest::Url,
    /// The status and the answer's first bytes.
    pub(crate) capture: Entry,
    pub(crate) started: Instant,
}

/// Records a run (unless history is off, or it was interrupted). Ctrl-C while waiting on a
/// locked database is the error returned (exit 130); the entry is then not written. A
/// successful answer that the run still failed on (`--jq`, `-o`) is kept: the hint that says
/// where is returned.
pub(crate) fn record(
    ctx: &Context,
    rec: &Recording,
    resolved: &Resolved,
    ran: Ran,
    result: &anyhow::Result<()>,
) -> anyhow::Result<Option<String>> {
    let interrupted = matches!(
        result.as_ref().err().and_then(error::typed),
        Some(Error::Interrupted | Error::Terminated)
    );
    let dir = match ctx.history_dir(&resolved.profile, rec.off) {
        Some(dir) if !interrupted => dir,
        _ => return Ok(None),
    };
    let status = ran.capture.status;
    let mut entry = Entry {
        status,
        output: ran.capture.output,
        output_cut: ran.capture.output_cut,
        ..super::entry(&resolved.profile, ran.base, ran.req, &rec.target)
    };
    entry.duration = ran.started.elapsed();
    entry.exit = match result {
        Ok(()) => 0,
        Err(e) => error::exit_code(e),
    };
    entry.error = result.as_ref().err().map(|e| format!("{e:#}"));
    entry.expect = rec.expect.clone();
    entry.mask(&resolved.key);
    // The entry's id is shown only when the run failed after a successful answer: then it is
    // written directly, to know it; otherwise it is spooled, at the cost of a file write.
    // (Not for an unmet expectation: its answer was just shown whole.)
    let shown = result
        .as_ref()
        .err()
        .is_some_and(|e| e.downcast_ref::<super::print::AnswerShown>().is_some());
    let wants_id = result.is_err() && status.is_some_and(|s| s < 300) && !shown;
    let entry = match wants_id {
        true => Some(entry),
        false => match history::spool(&dir, entry) {
            Spooled::Kept => return Ok(None),
            Spooled::Fold => None,
            Spooled::Not(entry) => Some(*entry),
        },
    };
    match client::block_on(async { Ok(history::record_one(dir, entry).await) })? {
        Ok(Some(id)) if wants_id => Ok(Some(format!(
            "the answer is kept in the history: miiflow history show {id} --output"
        ))),
        Ok(_) => Ok(None),
        Err(e) => {
            history::warn(&ctx.ui, &e);
            Ok(None)
        }
    }
}
