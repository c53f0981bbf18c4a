//! Sending: the HTTP client, its timeouts and redirect rule, and what a failure means.

mod explain;
mod pace;
mod sender;
mod signals;
mod trust;

use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

pub(crate) use pace::Pacer;
pub(crate) use sender::{Counts, Sender};
pub(crate) use signals::{Stop, block_on, runtime};

use crate::proxy::Proxy;
use trust::roots;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    pub(crate) connect_timeout: Duration,
    /// The whole exchange, body included; `None` for no limit.
    pub(crate) timeout: Option<Duration>,
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

/// A client for one origin, and the proxy it goes through (named in errors).
#[derive(Clone)]
pub(crate) struct Http {
    pub(crate) client: reqwest::Client,
    pub(crate) proxy: Option<Arc<Proxy>>,
    /// Where the base URL came from (`--base-url`, `MIIFLOW_BASE_URL`, a profile), for errors
    /// about reaching it.
    pub(crate) from: Option<Arc<str>>,
}

impl Http {
    pub(crate) fn with_source(mut self, source: String) -> Http {
        self.from = Some(source.into());
        self
    }
}

/// The client for requests to `base`: rustls, our user agent, the timeouts, the proxy chosen
/// by [`crate::proxy`] (none for loopback), and redirects followed only within the origin of
/// the first request (so the key never leaves for another scheme, host or port).
pub(crate) fn client(base: &Url, opts: Options) -> anyhow::Result<Http> {
    // One provider for the process; a second install attempt is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let proxy = crate::proxy::for_target(base)?;
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous()[0].clone();
        if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else if crate::request::same_origin(&first, attempt.url()) {
            attempt.follow()
        } else {
            let to = attempt.url().clone();
            attempt.error(CrossOrigin { from: first, to })
        }
    });
    let mut builder = reqwest::Client::builder()
        .user_agent(crate::request::USER_AGENT)
        .connect_timeout(opts.connect_timeout)
        .redirect(policy)
        // The environment's proxies are read by crate::proxy, not by reqwest.
        .no_proxy();
    if let Some(p) = &proxy {
        builder = builder.proxy(reqwest::Proxy::all(p.url.clone())?);
    }
    if base.scheme() == "http" && proxy.as_ref().is_none_or(|p| p.url.scheme() == "http") {
        // Plain http all the way (redirects stay on this origin): no TLS, so the system's
        // trust store (about 150 files on Debian) is not read for nothing.
        builder = builder.tls_certs_only(std::iter::empty());
    } else if let Some(roots) = roots()? {
        builder = builder.tls_certs_only(roots);
    }
    if let Some(t) = opts.timeout {
        builder = builder.timeout(t);
    }
    Ok(Http {
        client: builder.build()?,
        proxy: proxy.map(Arc::new),
        from: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let u = |s| Url::parse(s).unwrap();
        assert!(crate::request::same_origin(
            &u("https://a.io/x"),
            &u("https://a.io:443/y")
        ));
        assert!(!crate::request::same_origin(
            &u("https://a.io/"),
            &u("http://a.io/")
        ));
        assert!(!crate::request::same_origin(
            &u("https://a.io/"),
            &u("https://b.io/")
        ));
        assert!(!crate::request::same_origin(
            &u("http://127.0.0.1:1/"),
            &u("http://127.0.0.1:2/")
        ));
    }
}
