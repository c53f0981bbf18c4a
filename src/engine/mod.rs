//! The engine: what every request of `run`, `api` and each batch line is sent with, and how
//! it is set up from the context — the key and the server it goes to, the sender (client,
//! timeouts, retries, pace), the history entry it is recorded as — and the [`Job`] that sends
//! it and reads its answer.

mod job;
mod print;
mod record;
mod send;
pub(crate) mod single;

use std::sync::Arc;

pub(crate) use job::{Fetched, Job, head, is_events};
pub(crate) use record::Recording;
pub(crate) use send::{Exchanged, send};

use crate::cli::NetworkArgs;
use crate::client::{self, Options, Pacer, Sender};
use crate::context::Context;
use crate::credentials::Resolved;
use crate::request::{Request, RunTarget};

/// A history entry for a run of `target` (status, answer and outcome to be filled in).
pub(crate) fn entry(
    profile: &str,
    base: &reqwest::Url,
    req: &Request,
    target: &RunTarget,
) -> crate::history::Entry {
    crate::history::Entry {
        profile: profile.to_owned(),
        base_url: base.as_str().trim_end_matches('/').to_owned(),
        endpoint: format!("{} {}", req.method, req.url.path()),
        target: target.clone(),
        input: req.run_input().unwrap_or_default(),
        ..crate::history::Entry::default()
    }
}

/// The key to send and the server to send it to. The active profile's base URL is checked
/// first, so a refused URL (exit 2) is found before the keyring is asked for anything.
pub(crate) fn key_and_base(
    ctx: &Context,
    active: &str,
) -> anyhow::Result<(Resolved, reqwest::Url)> {
    ctx.base_url(active)?;
    let resolved = ctx.resolve_key()?;
    let base = ctx.base_url(&resolved.profile)?;
    Ok((resolved, base))
}

/// The sender for this command's options; retry notices go to stderr around `bar`.
/// How requests are sent: one at a time, or as a batch's lines.
pub(crate) enum Mode {
    Single,
    /// A 429 asking for a long wait pauses every worker (a quota pause); `rate` spaces the
    /// starts (`--rate`).
    Batch {
        rate: Option<std::time::Duration>,
    },
}

pub(crate) fn sender(
    ctx: &Context,
    net: &NetworkArgs,
    base: &reqwest::Url,
    mode: Mode,
) -> anyhow::Result<Sender> {
    let opts = Options {
        connect_timeout: net.connect_timeout,
        timeout: net.timeout(),
    };
    let ui = ctx.ui.clone();
    Ok(Sender {
        // Each send sets its own timeout: what is left of --timeout.
        http: client::client(
            base,
            Options {
                timeout: None,
                ..opts
            },
        )?
        .with_source(ctx.base_url_source(&ctx.active_profile()?)),
        opts,
        retries: net.retries,
        pacer: match &mode {
            Mode::Batch {
                rate: Some(interval),
            } => Pacer::with_interval(*interval),
            _ => Pacer::default(),
        },
        quota_pause: matches!(mode, Mode::Batch { .. }),
        timeout_given: net.timeout.is_some(),
        max_wait: crate::limits::retry_wait()?,
        counts: Default::default(),
        // Retries and pauses: said unless -q, around whatever bar the Ui shows.
        notify: Arc::new(move |m: &str| {
            if !ui.quiet() {
                ui.tell(m);
            }
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runs_entry_keeps_the_inputs_own_bytes_and_the_target() {
        let base = reqwest::Url::parse("https://api.miiflow.ai/").unwrap();
        let input = b"{\"n\": 1.50, \"big\": 12345678901234567890}".to_vec();
        let target = RunTarget::Workflow("wf 7".into());
        let req = Request::run(&base, &target, input.clone());
        let e = entry("ci", &base, &req, &target);
        assert_eq!(e.input, input, "the input, byte for byte");
        assert_eq!(e.endpoint, "POST /v1/workflows/wf%207/run");
        assert_eq!(
            (e.profile.as_str(), e.base_url.as_str()),
            ("ci", "https://api.miiflow.ai")
        );
        assert_eq!(e.target, target);
        let agent = RunTarget::Agent("agent_a".into());
        let req = Request::run(&base, &agent, b"[1,2]".to_vec());
        assert_eq!(entry("ci", &base, &req, &agent).input, b"[1,2]".to_vec());
    }
}
