//! A job: what every request of one command is sent with — the key, the sender (client,
//! timeouts, retries, pace), how much `-v` shows, the `--jq` filter and how much may be held.
//! A single `run`, an `api` call and each line of a batch all go through one, and read their
//! answers with its one body reader.

use std::sync::Arc;

use super::plan::{Net, Plan};
use crate::client::{self, Options, Pacer, Sender};
use crate::credentials::ApiKey;
use crate::error::Error;
use crate::expect::Expectations;
use crate::output::safe::escape_controls;
use crate::output::{Jq, JqError, Render};
use crate::request::Request;

/// An answer read whole by [`Job::fetch`]: its status, whether it was server-sent events, and
/// its body as received.
pub(crate) struct Fetched {
    pub(crate) status: u16,
    pub(crate) events: bool,
    pub(crate) body: Vec<u8>,
}

/// How a whole answer is collected: at most `max` bytes (else `too_big`'s error), `-v`'s
/// trace said through `say`, each line after `prefix`.
pub(crate) struct Collect<'a> {
    pub(crate) max: usize,
    pub(crate) too_big: &'a (dyn Fn() -> Error + Sync),
    pub(crate) prefix: &'a str,
    pub(crate) say: &'a (dyn Fn(&str) + Sync),
}

/// One call's outcome: the answer as received, and what the expectations found of it.
pub(crate) struct Called {
    pub(crate) fetched: Fetched,
    pub(crate) unmet: Option<crate::expect::Unmet>,
}

/// How the requests of one command share the road.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pace {
    /// One at a time (`run`, `api`, the key API).
    Single,
    /// Many at once (a batch's lines, an MCP server's calls): a 429 asking for a long wait
    /// pauses every one of them (a quota pause); `rate` spaces the starts (`--rate`).
    Shared { rate: Option<std::time::Duration> },
}

/// Where a job's requests go and with what: everything [`Job::new`] builds it from.
pub(crate) struct Setup<'a> {
    pub(crate) key: ApiKey,
    pub(crate) base: &'a reqwest::Url,
    /// Where the base URL came from, named in errors about reaching it.
    pub(crate) source: String,
    pub(crate) net: Net,
    pub(crate) pace: Pace,
    /// Where retries and pauses are said (unless `-q`), around whatever bar it shows.
    pub(crate) ui: &'a crate::ui::Ui,
}

pub(crate) struct Job {
    pub(crate) key: ApiKey,
    pub(crate) sender: Sender,
    /// `-v` once: the request line and headers (key masked) and the answer's head; twice: the
    /// request body too.
    pub(crate) verbose: u8,
    pub(crate) jq: Option<Jq>,
    /// The most bytes held in memory at once for one answer (`MIIFLOW_MAX_BUFFER`).
    pub(crate) limit: usize,
}

impl Job {
    /// The one place a job, its sender and its HTTP client are built.
    pub(crate) fn new(
        setup: Setup,
        verbose: u8,
        jq: Option<Jq>,
        limit: usize,
    ) -> anyhow::Result<Job> {
        let Setup {
            key,
            base,
            source,
            net,
            pace,
            ui,
        } = setup;
        let opts = Options {
            connect_timeout: net.connect_timeout,
            timeout: net.timeout,
        };
        let ui = ui.clone();
        let sender = Sender {
            // Each send sets its own timeout: what is left of --timeout.
            http: client::client(
                base,
                Options {
                    timeout: None,
                    ..opts
                },
            )?
            .with_source(source),
            opts,
            retries: net.retries,
            pacer: match pace {
                Pace::Shared {
                    rate: Some(interval),
                } => Pacer::with_interval(interval),
                _ => Pacer::default(),
            },
            quota_pause: matches!(pace, Pace::Shared { .. }),
            timeout_given: net.timeout_given,
            max_wait: crate::limits::retry_wait()?,
            counts: Default::default(),
            notify: Arc::new(move |m: &str| {
                if !ui.quiet() {
                    ui.tell(m);
                }
            }),
        };
        Ok(Job {
            key,
            sender,
            verbose,
            jq,
            limit,
        })
    }

    /// The job of a plan: its key, server, network options, `-v`, filter and limit.
    pub(crate) fn planned(plan: &Plan, pace: Pace, ui: &crate::ui::Ui) -> anyhow::Result<Job> {
        let setup = Setup {
            key: plan.origin.key.key.clone(),
            base: &plan.origin.base,
            source: plan.origin.source.clone(),
            net: plan.net,
            pace,
            ui,
        };
        let jq = plan.filter.as_ref().map(|f| f.jq.clone());
        Job::new(setup, plan.verbose, jq, plan.limit)
    }

    /// The same job, sent with another key (`keys rotate` checks the new key it made).
    pub(crate) fn rekeyed(&self, key: &ApiKey) -> Job {
        Job {
            key: key.clone(),
            sender: self.sender.clone(),
            verbose: self.verbose,
            jq: self.jq.clone(),
            limit: self.limit,
        }
    }

    /// Sends with the real key; retries, pace and timeouts as the sender says.
    pub(crate) async fn send(&self, req: &Request) -> Result<reqwest::Response, Error> {
        self.sender.send(req, &self.key).await
    }

    /// When what a run started at `started` may still do must be done: `--timeout` from then.
    pub(crate) fn deadline(&self, started: std::time::Instant) -> Option<std::time::Instant> {
        self.sender.opts.timeout.map(|t| started + t)
    }

    /// `--jq` on a whole answer, within what is left of `--timeout` (counted from `started`):
    /// the one filter step of a run, an `api` call and a batch line.
    pub(crate) async fn filter(
        &self,
        jq: &Jq,
        body: bytes::Bytes,
        render: Render,
        started: std::time::Instant,
    ) -> Result<Vec<u8>, JqError> {
        let run = jq.run(body, render, self.limit);
        match self.sender.opts.timeout {
            Some(t) => tokio::time::timeout_at((started + t).into(), run)
                .await
                .unwrap_or_else(|_| {
                    Err(JqError::Filter(format!(
                        "--jq did not finish within {} s (--timeout)",
                        t.as_secs_f64()
                    )))
                }),
            None => run.await,
        }
    }

    /// The one body reader: the next piece of the answer, kept (up to the history's cap) in
    /// `keep` when there is one, a failure in the user's words. Its three sinks are the
    /// printer's (streamed, or held for a person or `--jq`) and [`Job::collect`]'s.
    pub(crate) async fn read(
        &self,
        resp: &mut reqwest::Response,
        keep: Option<&mut crate::history::Entry>,
    ) -> Result<Option<bytes::Bytes>, Error> {
        let chunk = self.chunk(resp).await?;
        if let (Some(c), Some(entry)) = (&chunk, keep) {
            entry.keep_output(c);
        }
        Ok(chunk)
    }

    /// One whole answer (a batch line, an MCP tool call, the key API): sent; with `-v` its
    /// request and head traced as `collect` says; its status noted in `keep`; its body
    /// collected, at most `collect.max` bytes.
    pub(crate) async fn fetch(
        &self,
        req: &Request,
        mut keep: Option<&mut crate::history::Entry>,
        collect: &Collect<'_>,
    ) -> Result<Fetched, Error> {
        if let Some(text) = self.trace_request(req, collect.prefix) {
            (collect.say)(&text);
        }
        let mut resp = self.send(req).await?;
        let status = resp.status().as_u16();
        if let Some(e) = keep.as_deref_mut() {
            e.status = Some(status);
        }
        if let Some(text) = self.trace_response(&head(&resp), collect.prefix) {
            (collect.say)(&text);
        }
        let events = is_events(&resp);
        let body = self
            .collect(&mut resp, keep, collect.max, collect.too_big)
            .await?;
        Ok(Fetched {
            status,
            events,
            body,
        })
    }

    /// One call, one outcome: the answer fetched whole, and a 2xx answer judged by the
    /// expectations (within what is left of `--timeout`).
    pub(crate) async fn call(
        &self,
        req: &Request,
        keep: Option<&mut crate::history::Entry>,
        collect: &Collect<'_>,
        expect: Option<&Expectations>,
    ) -> Result<Called, Error> {
        let started = std::time::Instant::now();
        let fetched = self.fetch(req, keep, collect).await?;
        let unmet = match expect {
            Some(expect) if (200..300).contains(&fetched.status) => {
                self.judge(expect, &fetched.body, fetched.events, started)
                    .await
            }
            _ => None,
        };
        Ok(Called { fetched, unmet })
    }

    /// The expectations on a whole answer as received (events as the array of their data):
    /// the one check of a run, a batch line and an MCP call. What an unmet filter quotes is
    /// masked before it is cut.
    pub(crate) async fn judge(
        &self,
        expect: &Expectations,
        body: &[u8],
        events: bool,
        started: std::time::Instant,
    ) -> Option<crate::expect::Unmet> {
        let whole = match events {
            true => crate::output::embed_events(body),
            false => body.to_vec(),
        };
        expect
            .check(whole.into(), self.deadline(started), &self.key.mask())
            .await
            .err()
    }

    /// The whole answer, collected (a batch line): at most `max` bytes, else `too_big`.
    pub(crate) async fn collect(
        &self,
        resp: &mut reqwest::Response,
        mut keep: Option<&mut crate::history::Entry>,
        max: usize,
        too_big: &(dyn Fn() -> Error + Sync),
    ) -> Result<Vec<u8>, Error> {
        let mut body = Vec::new();
        while let Some(chunk) = self.read(resp, keep.as_deref_mut()).await? {
            if body.len() + chunk.len() > max {
                return Err(too_big());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// The next piece of the answer, a failure in the user's words.
    async fn chunk(&self, resp: &mut reqwest::Response) -> Result<Option<bytes::Bytes>, Error> {
        resp.chunk().await.map_err(|e| self.sender.classify(&e))
    }

    /// Server text made safe for stderr: control characters visible, our key masked.
    pub(crate) fn safe(&self, text: &str) -> String {
        escape_controls(&self.key.mask_in(text)).into_owned()
    }

    /// Server text with our key masked (an error body may echo it).
    pub(crate) fn masked(&self, text: &str) -> String {
        self.key.mask_in(text)
    }

    /// What `-v` shows of a request (`> ` lines, key masked), each line after `prefix`.
    pub(crate) fn trace_request(&self, req: &Request, prefix: &str) -> Option<String> {
        if self.verbose == 0 {
            return None;
        }
        let mut text = format!("{prefix}> {} {}\n", req.method, req.url);
        for (name, value) in req.headers(Some(&self.key), false) {
            text.push_str(&format!("{prefix}> {name}: {value}\n"));
        }
        if let (true, Some(body)) = (self.verbose > 1, &req.body) {
            let body = String::from_utf8_lossy(body);
            text.push_str(&format!("{prefix}>\n"));
            match prefix {
                "" => text.push_str(&format!("{body}\n")),
                _ => body
                    .lines()
                    .for_each(|line| text.push_str(&format!("{prefix}{line}\n"))),
            }
        }
        Some(text)
    }

    /// What `-v` shows of an answer's head (`< ` lines, made safe), each after `prefix`.
    pub(crate) fn trace_response(&self, head: &str, prefix: &str) -> Option<String> {
        if self.verbose == 0 {
            return None;
        }
        Some(
            head.lines()
                .filter(|l| !l.is_empty())
                .map(|l| format!("{prefix}< {}\n", self.safe(l)))
                .collect(),
        )
    }
}

/// The status line and headers as `--include` prints them, ending with a blank line.
pub(crate) fn head(resp: &reqwest::Response) -> String {
    let mut head = format!("{:?} {}\n", resp.version(), resp.status());
    for (name, value) in resp.headers() {
        head.push_str(&format!(
            "{name}: {}\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    head.push('\n');
    head
}

/// True when a 2xx answer is a stream of server-sent events.
pub(crate) fn is_events(resp: &reqwest::Response) -> bool {
    resp.status().is_success()
        && resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(verbose: u8) -> Job {
        let base = reqwest::Url::parse("http://127.0.0.1:1").unwrap();
        let ui = crate::ui::Ui::buffered(crate::ui::Terminal::default(), true);
        let setup = Setup {
            key: ApiKey::parse("mk_unit_0123456789abcd").unwrap(),
            base: &base,
            source: "the test".into(),
            net: Net::KEY_API,
            pace: Pace::Single,
            ui: &ui,
        };
        Job::new(setup, verbose, None, 1024).unwrap()
    }

    #[test]
    fn traces_mask_the_key_and_show_the_body_only_at_vv() {
        let base = reqwest::Url::parse("http://127.0.0.1:1").unwrap();
        let req = Request::agent_run(&base, "agent_a", b"{\"q\":1}".to_vec());
        assert!(job(0).trace_request(&req, "").is_none());
        let once = job(1).trace_request(&req, "line 2: ").unwrap();
        assert!(
            once.starts_with("line 2: > POST http://127.0.0.1:1/api/v1/agent_run\n"),
            "{once}"
        );
        assert!(
            once.contains("Bearer mk_…abcd") && !once.contains("0123456789"),
            "{once}"
        );
        assert!(!once.contains("\"q\""), "{once}");
        let twice = job(2).trace_request(&req, "").unwrap();
        assert!(
            twice.ends_with(">\n{\"agent_id\":\"agent_a\",\"input\":{\"q\":1}}\n"),
            "{twice}"
        );
    }

    #[test]
    fn answer_heads_are_made_safe() {
        let head = "HTTP/1.1 200 OK\nx-echo: mk_unit_0123456789abcd\nx-evil: \u{1b}[2J\n\n";
        let shown = job(1).trace_response(head, "").unwrap();
        assert_eq!(
            shown,
            "< HTTP/1.1 200 OK\n< x-echo: mk_…abcd\n< x-evil: \\x1b[2J\n"
        );
    }
}
