//! One request of `run` or `api`, sent and printed: the spinner, the job, the printer, the
//! hints an auth error deserves, and (for a run) the history entry.

use std::time::Instant;

use super::plan::{Plan, Shown};
use super::print::Exchange;
use super::record::{self, Recording};
use super::{Job, Pace};
use crate::client;
use crate::context::Context;
use crate::credentials::{ENV_KEY, Origin};
use crate::error::Error;
use crate::output::OutputFile;
use crate::request::Request;

/// One request to send and print, by the plan.
pub(crate) struct Exchanged<'a> {
    pub(crate) req: &'a Request,
    /// What the spinner says is running.
    pub(crate) label: &'a str,
    pub(crate) shown: &'a Shown,
    /// For a run: what its history entry says it ran (`None`: not recorded).
    pub(crate) record: Option<Recording>,
}

/// Sends one request and prints its answer: spinner, job, output rules, signals; then the
/// notes an auth error deserves, and the record.
pub(crate) fn send(
    ctx: &Context,
    plan: &Plan,
    x: Exchanged,
    file: Option<OutputFile>,
) -> anyhow::Result<()> {
    let spinner =
        crate::ui::progress::spinner(ctx.ui.term().stderr_tty && !ctx.ui.quiet(), x.label);
    ctx.ui.set_bar(spinner.clone());
    let job = Job::planned(plan, Pace::Single, &ctx.ui)?;
    let exchange = Exchange {
        job: &job,
        ui: &ctx.ui,
        out: x.shown,
        spinner: spinner.as_ref(),
        expect: plan.expect.as_ref(),
        capture: Default::default(),
    };
    let started = Instant::now();
    let result = client::block_on(exchange.run(x.req, file));
    // Also on Ctrl-C: no spinner left behind on the terminal.
    if let Some(s) = &spinner {
        s.finish_and_clear();
    }
    ctx.ui.set_bar(None);
    let hints = auth_hints(plan, ctx.opts.verbose, &result);
    let result = result.map_err(|e| crate::error::with_hints(e, hints));
    if let Some(rec) = &x.record {
        let ran = record::Ran {
            req: x.req,
            capture: exchange.capture.into_inner(),
            started,
        };
        if let Some(note) = record::record(&ctx.ui, plan, rec, ran, &result)? {
            return result.map_err(|e| crate::error::with_hints(e, vec![note]));
        }
    }
    result
}

/// After a 401 or 403, the hints that travel with the error: which key was sent and where it
/// came from; for 403, that keys can be scoped to workflows and operations.
fn auth_hints(plan: &Plan, verbose: u8, result: &anyhow::Result<()>) -> Vec<String> {
    let mut hints = Vec::new();
    let status = match result.as_ref().err().and_then(crate::error::typed) {
        Some(Error::Status {
            status: s @ (401 | 403),
            ..
        }) => *s,
        _ => return hints,
    };
    let resolved = &plan.origin.key;
    if verbose == 0
        && let Some(note) = crate::context::key_note(resolved)
    {
        hints.push(note);
    }
    let what = match status {
        403 => {
            "the key was accepted but may not do this: keys can be scoped to workflows and \
                to operations (read, write, execute), so this one may not cover this workflow \
                or operation. The key sent was"
        }
        _ => "the key was refused. The key sent was",
    };
    hints.push(format!(
        "{what} {}, from {}; `miiflow status` shows where keys come from",
        resolved.key.masked(),
        match resolved.origin {
            Origin::Env => ENV_KEY.to_owned(),
            Origin::Stored(storage) =>
                format!("profile '{}' ({})", resolved.profile, storage.describe()),
        }
    ));
    hints
}
