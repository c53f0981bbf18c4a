//! The record step of a single run: its history entry, made from what the printer kept (the
//! input is the request body's own bytes, sliced, not copied), finished once
//! ([`crate::history::Entry::finish`]) and handed to the recorder after the answer is out.

use std::time::Instant;

use super::plan::Plan;
use crate::error::{self, Error};
use crate::history::{Entry, Recorder};
use crate::request::{Request, RunTarget};
use crate::ui::Ui;

/// A history entry for a run of `target` (status, answer and outcome to be filled in).
pub(crate) fn entry(
    profile: &str,
    base: &reqwest::Url,
    req: &Request,
    target: &RunTarget,
) -> Entry {
    Entry {
        profile: profile.to_owned(),
        base_url: base.as_str().trim_end_matches('/').to_owned(),
        endpoint: format!("{} {}", req.method, req.url.path()),
        target: target.clone(),
        input: req.run_input().unwrap_or_default(),
        ..Entry::default()
    }
}

/// What a run's history entry says it ran, besides the request.
pub(crate) struct Recording {
    pub(crate) target: RunTarget,
}

/// What the exchange did, for its entry.
pub(crate) struct Ran<'a> {
    pub(crate) req: &'a Request,
    /// The status and the answer's first bytes.
    pub(crate) capture: Entry,
    pub(crate) started: Instant,
}

/// Records a single run (unless the history is off, or the run was interrupted). Ctrl-C while
/// waiting on a locked database is the error returned (exit 130). A successful answer that
/// the run still failed on (`--jq`, `-o`) is written directly, to name its entry: the hint
/// that says where is returned.
pub(crate) fn record(
    ui: &Ui,
    plan: &Plan,
    rec: &Recording,
    ran: Ran,
    result: &anyhow::Result<()>,
) -> anyhow::Result<Option<String>> {
    let interrupted = matches!(
        result.as_ref().err().and_then(error::typed),
        Some(Error::Interrupted | Error::Terminated)
    );
    let recorder = Recorder::one(plan.history.clone().filter(|_| !interrupted), ui);
    if !recorder.on() {
        return Ok(None);
    }
    let status = ran.capture.status;
    let mut entry = Entry {
        status,
        output: ran.capture.output,
        output_cut: ran.capture.output_cut,
        expect: plan
            .expect
            .as_ref()
            .map(crate::expect::Expectations::describe),
        ..entry(
            &plan.origin.profile,
            &plan.origin.base,
            ran.req,
            &rec.target,
        )
    };
    let exit = result.as_ref().err().map_or(0, error::exit_code);
    let why = result.as_ref().err().map(|e| format!("{e:#}"));
    entry.finish(ran.started.elapsed(), exit, why, &plan.origin.key.key);
    // The entry's id is shown only when the run failed after a successful answer (not for an
    // unmet expectation: its answer was just shown whole).
    let shown = result
        .as_ref()
        .err()
        .is_some_and(|e| e.downcast_ref::<super::print::AnswerShown>().is_some());
    let wants_id = result.is_err() && status.is_some_and(|s| s < 300) && !shown;
    Ok(recorder
        .record(entry, wants_id)?
        .map(|id| format!("the answer is kept in the history: miiflow history show {id} --output")))
}
