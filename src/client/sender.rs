//! How one run is sent: the retry loop within `--timeout`, the shared pace, quota pauses.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::explain::{classify, proxy_auth, timed_out, tls_failure, unresolved, with_source};
use super::{Http, Options, Pacer};
use crate::credentials::ApiKey;
use crate::error::Error;
use crate::request::Request;
use crate::retry::{self, Decision, Outcome, Reason};

/// How one run is sent: the client, the user's timeouts, how often to retry, the shared pace,
/// and where to say that a retry is coming.
#[derive(Clone)]
pub(crate) struct Sender {
    pub(crate) http: Http,
    pub(crate) opts: Options,
    pub(crate) retries: u32,
    pub(crate) pacer: Pacer,
    pub(crate) notify: Arc<dyn Fn(&str) + Send + Sync>,
    /// A batch: a 429 asking for a longer wait than a single run takes holds every worker
    /// until then instead of failing the line (a quota pause).
    pub(crate) quota_pause: bool,
    /// `--timeout` was given: a quota pause longer than it fails the line instead.
    pub(crate) timeout_given: bool,
    /// The longest `Retry-After` waited for as a retry ([`crate::limits::retry_wait`]).
    pub(crate) max_wait: Duration,
    /// How many retries and 429 waits there were (a batch's summary counts them).
    pub(crate) counts: Arc<Counts>,
}

/// What a sender did besides sending once: retries, and the waits a 429 asked for.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    pub(crate) retries: std::sync::atomic::AtomicU64,
    pub(crate) waits_429: std::sync::atomic::AtomicU64,
}

impl Counts {
    fn add(n: &std::sync::atomic::AtomicU64) {
        n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Sender {
    /// A failure in the user's words, with this command's timeouts and proxy.
    pub(crate) fn classify(&self, err: &reqwest::Error) -> Error {
        with_source(
            classify(err, self.opts, self.http.proxy.as_deref()),
            err,
            self.http.from.as_deref(),
        )
    }

    /// Sends the request with the real key, retrying only where [`retry::decide`] allows and
    /// within `--timeout` for all the attempts together.
    pub(crate) async fn send(
        &self,
        req: &Request,
        key: &ApiKey,
    ) -> Result<reqwest::Response, Error> {
        let mut deadline = self.opts.timeout.map(|t| Instant::now() + t);
        let mut attempt = 0;
        loop {
            self.pacer.ready().await;
            let result = self.attempt(req, key, deadline)?.send().await;
            let outcome = self.outcome(&result)?;
            // What happened, in words, for the notices of a retry or a pause.
            let what = match (&result, outcome) {
                (_, Outcome::Status(200..=299, _)) => String::new(),
                (Ok(resp), _) => format!(
                    "HTTP {} {}",
                    resp.status().as_u16(),
                    resp.status().canonical_reason().unwrap_or("")
                ),
                (Err(e), _) => self.classify(e).to_string(),
            };
            let decision = retry::decide(
                outcome,
                attempt,
                self.retries,
                req.idempotent(),
                fastrand::f64(),
                self.max_wait,
            );
            match self
                .next_step(decision, outcome, deadline, attempt, what)
                .await
            {
                Next::Answer => return result.map_err(|e| self.classify(&e)),
                Next::Again => {}
                Next::AfterPause => {
                    // A quota pause is not part of the run: its --timeout starts again after it.
                    deadline = self.opts.timeout.map(|t| Instant::now() + t);
                }
            }
            attempt += 1;
        }
    }

    /// One attempt's request: the body, the headers with the key, what is left of --timeout.
    fn attempt(
        &self,
        req: &Request,
        key: &ApiKey,
        deadline: Option<Instant>,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let mut builder = self
            .http
            .client
            .request(req.method.clone(), req.url.clone());
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        for (name, value) in req.headers(Some(key), true) {
            if name != "User-Agent" {
                builder = builder.header(name, value);
            }
        }
        if let Some(deadline) = deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(timed_out(self.opts));
            }
            builder = builder.timeout(left);
        }
        Ok(builder)
    }

    /// What an attempt's result means for retrying (a 407 ends here: the proxy wants
    /// credentials, and asking again will not give them).
    fn outcome(&self, result: &reqwest::Result<reqwest::Response>) -> Result<Outcome, Error> {
        Ok(match result {
            Ok(resp) if resp.status().as_u16() == 407 => {
                return Err(proxy_auth(self.http.proxy.as_deref()));
            }
            Ok(resp) => Outcome::Status(
                resp.status().as_u16(),
                resp.headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry::parse_retry_after(v, SystemTime::now())),
            ),
            // A proxy or TLS failure cannot be cured by sending again.
            Err(e)
                if e.is_connect()
                    && !e.is_timeout()
                    && self.http.proxy.is_none()
                    && tls_failure(e).is_none()
                    && !unresolved(e) =>
            {
                Outcome::NotConnected
            }
            Err(_) => Outcome::Failed,
        })
    }

    /// Acts on a retry decision: waits (saying so) and asks for another attempt, or says why
    /// not and hands the answer back.
    async fn next_step(
        &self,
        decision: Decision,
        outcome: Outcome,
        deadline: Option<Instant>,
        attempt: u32,
        what: String,
    ) -> Next {
        match decision {
            Decision::Stop => Next::Answer,
            Decision::TooLong(wait)
                if self.quota_pause
                    && matches!(outcome, Outcome::Status(429, _))
                    && !(self.timeout_given && self.opts.timeout.is_some_and(|t| wait > t)) =>
            {
                Counts::add(&self.counts.waits_429);
                if self.pacer.hold(wait) {
                    let until = SystemTime::now() + wait;
                    (self.notify)(&format!(
                        "{}: the server asks to wait {} s (a quota); every worker holds until \
                         {} UTC, then the batch goes on (Ctrl-C stops it)",
                        what,
                        wait.as_secs(),
                        humantime::format_rfc3339_seconds(until)
                    ));
                }
                Next::AfterPause
            }
            Decision::TooLong(wait) => {
                (self.notify)(&format!(
                    "{}: the server asks to wait {} s, longer than the {} s miiflow waits; not \
                     retried",
                    what,
                    wait.as_secs(),
                    self.max_wait.as_secs()
                ));
                Next::Answer
            }
            Decision::Retry(wait, reason) => {
                if deadline.is_some_and(|d| Instant::now() + wait >= d) {
                    (self.notify)(&format!("{}: no time left under --timeout to retry", what));
                    return Next::Answer;
                }
                let why = match reason {
                    Reason::RetryAfter => " (Retry-After)",
                    Reason::Backoff => "",
                };
                (self.notify)(&format!(
                    "{}; retrying in {:.1} s{why}, attempt {} of {}",
                    what,
                    wait.as_secs_f64(),
                    attempt + 2,
                    self.retries + 1
                ));
                Counts::add(&self.counts.retries);
                if matches!(outcome, Outcome::Status(429, _)) {
                    Counts::add(&self.counts.waits_429);
                    // Rate limits apply to every sender of this process.
                    self.pacer.hold(wait);
                } else {
                    tokio::time::sleep(wait).await;
                }
                Next::Again
            }
        }
    }
}

/// What comes after an attempt.
enum Next {
    /// Its answer (or failure) is the run's.
    Answer,
    /// Another attempt.
    Again,
    /// Another attempt, after a quota pause: `--timeout` starts again.
    AfterPause,
}
