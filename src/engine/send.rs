//! One request of `run` or `api`, sent and printed: the spinner, the job, the printer, the
//! hints an auth error deserves, and (for a run) the history entry.

use std::time::Instant;

use super::print::Exchange;
use super::record::{self, Recording};
use super::{Job, Mode, sender};
use crate::cli::{NetworkArgs, OutputArgs};
use crate::client;
use crate::context::Context;
use crate::credentials::{ENV_KEY, Origin, Resolved};
use crate::error::Error;
use crate::expect::Expectations;
use crate::output::{Jq, OutputFile};
use crate::request::Request;

/// What one request needs besides the context: for `run` and `api` alike.
pub(crate) struct Exchanged<'a> {
    pub(crate) req: &'a Request,
    /// What the spinner says is running.
    pub(crate) label: &'a str,
    pub(crate) out: &'a OutputArgs,
    pub(crate) net: &'a NetworkArgs,
    pub(crate) jq: Option<Jq>,
    pub(crate) expect: Option<Expectations>,
    pub(crate) limit: usize,
    /// For a run: what its history entry says it ran (`None`: not recorded).
    pub(crate) record: Option<Recording>,
}

/// Sends one request and prints its answer: spinner, sender, output rules, signals; then the
/// notes an auth error deserves.
pub(crate) fn send(
    ctx: &Context,
    x: Exchanged,
    resolved: &Resolved,
    base: &reqwest::Url,
    file: Option<OutputFile>,
) -> anyhow::Result<()> {
    let spinner =
        crate::ui::progress::spinner(ctx.ui.term().stderr_tty && !ctx.ui.quiet(), x.label);
    ctx.ui.set_bar(spinner.clone());
    let job = Job {
        key: resolved.key.clone(),
        sender: sender(ctx, x.net, base, Mode::Single)?,
        verbose: ctx.global.verbose,
        jq: x.jq,
        limit: x.limit,
    };
    let exchange = Exchange {
        job: &job,
        ui: &ctx.ui,
        out: x.out,
        spinner: spinner.as_ref(),
        expect: x.expect.as_ref(),
        capture: Default::default(),
    };
    let started = Instant::now();
    let result = client::block_on(exchange.run(x.req, file));
    // Also on Ctrl-C: no spinner left behind on the terminal.
    if let Some(s) = &spinner {
        s.finish_and_clear();
    }
    ctx.ui.set_bar(None);
    let hints = auth_hints(ctx, resolved, &result);
    let result = result.map_err(|e| crate::error::with_hints(e, hints));
    if let Some(rec) = &x.record {
        let ran = record::Ran {
            req: x.req,
            base,
            capture: exchange.capture.into_inner(),
            started,
        };
        let note = record::record(ctx, rec, resolved, ran, &result)?;
        if let Some(note) = note {
            return result.map_err(|e| crate::error::with_hints(e, vec![note]));
        }
    }
    result
}

/// After a 401 or 403, the hints that travel with the error: which key was sent and where it
/// came from; for 403, that keys can be scoped to workflows and operations.
fn auth_hints(ctx: &Context, resolved: &Resolved, result: &anyhow::Result<()>) -> Vec<String> {
    let mut hints = Vec::new();
    let status = match result.as_ref().err().and_then(crate::error::typed) {
        Some(Error::Status {
            status: s @ (401 | 403),
            ..
        }) => *s,
        _ => return hints,
    };
    {
        if ctx.global.verbose == 0
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
    }
    hints
}
