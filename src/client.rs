//! Sending: the HTTP client, its timeouts and redirect rule, and what a failure means.

use std::time::Duration;

use reqwest::Url;

use crate::credentials::ApiKey;
use crate::error::Error;
use crate::request::Request;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub connect_timeout: Duration,
    /// The whole exchange, body included; `None` for no limit.
    pub timeout: Option<Duration>,
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

#[derive(Debug)]
struct CrossOrigin {
    from: Url,
    to: Url,
}

impl std::fmt::Display for CrossOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "refused a redirect from {} to {}: another origin must not receive the API key; \
             use the final URL as --base-url if you trust it",
            self.from, self.to
        )
    }
}

impl std::error::Error for CrossOrigin {}

/// The client: rustls, our user agent, the timeouts, and redirects followed only within the
/// origin of the first request (so the key never leaves for another scheme, host or port).
pub fn client(opts: Options) -> anyhow::Result<reqwest::Client> {
    // One provider for the process; a second install attempt is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous()[0].clone();
        if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else if same_origin(&first, attempt.url()) {
            attempt.follow()
        } else {
            let to = attempt.url().clone();
            attempt.error(CrossOrigin { from: first, to })
        }
    });
    let mut builder = reqwest::Client::builder()
        .user_agent(crate::request::USER_AGENT)
        .connect_timeout(opts.connect_timeout)
        .redirect(policy);
    if let Some(t) = opts.timeout {
        builder = builder.timeout(t);
    }
    Ok(builder.build()?)
}

/// Sends the request with the real key.
pub async fn send(
    client: &reqwest::Client,
    req: &Request,
    key: &ApiKey,
    opts: Options,
) -> Result<reqwest::Response, Error> {
    let mut builder = client.post(req.url.clone()).body(req.body.clone());
    for (name, value) in req.headers(Some(key), true) {
        if name != "User-Agent" {
            builder = builder.header(name, value);
        }
    }
    builder.send().await.map_err(|e| classify(&e, opts))
}

/// Runs async work on a fresh single-threaded runtime; Ctrl-C ends it at once with
/// [`Error::Interrupted`].
pub fn block_on<T>(
    work: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        tokio::select! {
            result = work => result,
            _ = tokio::signal::ctrl_c() => Err(Error::Interrupted.into()),
        }
    })
}

/// The deepest cause's words, which are the ones that say what happened.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn secs(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

/// What a reqwest failure means for the user, and its exit code through [`Error`].
pub fn classify(err: &reqwest::Error, opts: Options) -> Error {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(c) = cause {
        if let Some(redirect) = c.downcast_ref::<CrossOrigin>() {
            return Error::RedirectRefused(redirect.to_string());
        }
        cause = c.source();
    }
    let host = err
        .url()
        .map(|u| {
            format!(
                "{}:{}",
                u.host_str().unwrap_or(""),
                u.port_or_known_default().unwrap_or(0)
            )
        })
        .unwrap_or_default();
    if err.is_redirect() {
        return Error::RedirectRefused(format!("redirect refused: {}", root_cause(err)));
    }
    if err.is_timeout() {
        return match (err.is_connect(), opts.timeout) {
            (true, _) => Error::Network(format!(
                "could not connect to {host} within {} (--connect-timeout)",
                secs(opts.connect_timeout)
            )),
            (false, Some(t)) => Error::Network(format!(
                "no complete answer within {} (--timeout); the workflow may still be running",
                secs(t)
            )),
            (false, None) => Error::Network(format!("timed out: {}", root_cause(err))),
        };
    }
    if err.is_connect() {
        return Error::Network(format!("cannot connect to {host}: {}", root_cause(err)));
    }
    if err.is_body() || err.is_decode() {
        return Error::Network(format!(
            "the answer was cut short: {}; the workflow may have run",
            root_cause(err)
        ));
    }
    Error::Network(format!(
        "the request to {host} failed: {}; the workflow may have run",
        root_cause(err)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let u = |s| Url::parse(s).unwrap();
        assert!(same_origin(&u("https://a.io/x"), &u("https://a.io:443/y")));
        assert!(!same_origin(&u("https://a.io/"), &u("http://a.io/")));
        assert!(!same_origin(&u("https://a.io/"), &u("https://b.io/")));
        assert!(!same_origin(
            &u("http://127.0.0.1:1/"),
            &u("http://127.0.0.1:2/")
        ));
    }
}
