//! How one run is sent: the retry loop within `--timeout`, the shared pace, quota pauses.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::words::{classify, proxy_auth, timed_out, tls_failure, unresolved, with_source};
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
        let mut paused = false;
        loop {
            self.pacer.ready().await;
            if std::mem::take(&mut paused) {
                // A quota pause is not part of the run: its --timeout starts again after it.
                deadline = self.opts.timeout.map(|t| Instant::now() + t);
            }
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
            let result = builder.send().await;
            let outcome = match &result {
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
            };
            let what = || match &result {
                Ok(resp) => format!(
                    "HTTP {} {}",
                    resp.status().as_u16(),
                    resp.status().canonical_reason().unwrap_or("")
                ),
                Err(e) => self.classify(e).to_string(),
            };
            match retry::decide(
                outcome,
                attempt,
                self.retries,
                req.idempotent(),
                fastrand::f64(),
                self.max_wait,
            ) {
                Decision::Stop => return result.map_err(|e| self.classify(&e)),
                Decision::TooLong(wait)
                    if self.quota_pause
                        && matches!(outcome, Outcome::Status(429, _))
                        && !(self.timeout_given && self.opts.timeout.is_some_and(|t| wait > t)) =>
                {
                    if self.pacer.hold(wait) {
                        let until = SystemTime::now() + wait;
                        (self.notify)(&format!(
                            "{}: the server asks to wait {} s (a quota); every worker holds until \
                             {} UTC, then the batch goes on (Ctrl-C stops it)",
                            what(),
                            wait.as_secs(),
                            humantime::format_rfc3339_seconds(until)
                        ));
                    }
                    drop(result);
                    paused = true;
                    attempt += 1;
                }
                Decision::TooLong(wait) => {
                    (self.notify)(&format!(
                        "{}: the server asks to wait {} s, longer than the {} s miiflow waits; not retried",
                        what(),
                        wait.as_secs(),
                        self.max_wait.as_secs()
                    ));
                    return result.map_err(|e| self.classify(&e));
                }
                Decision::Retry(wait, reason) => {
                    if deadline.is_some_and(|d| Instant::now() + wait >= d) {
                        (self.notify)(&format!(
                            "{}: no time left under --timeout to retry",
                            what()
                        ));
                        return result.map_err(|e| self.classify(&e));
                    }
                    let why = match reason {
                        Reason::RetryAfter => " (Retry-After)",
                        Reason::Backoff => "",
                    };
                    (self.notify)(&format!(
                        "{}; retrying in {:.1} s{why}, attempt {} of {}",
                        what(),
                        wait.as_secs_f64(),
                        attempt + 2,
                        self.retries + 1
                    ));
                    drop(result);
                    if matches!(outcome, Outcome::Status(429, _)) {
                        // Rate limits apply to every sender of this process.
                        self.pacer.hold(wait);
                    } else {
                        tokio::time::sleep(wait).await;
                    }
                    attempt += 1;
                }
            }
        }
    }
}
