//! What a failure means for the user: reqwest's errors in plain words, with the way on.

use std::time::Duration;

use super::{CrossOrigin, Options};
use crate::error::Error;
use crate::proxy::Proxy;

/// A failure to reach the server says where its address came from: most such failures are a
/// mistyped or stale base URL.
pub(super) fn with_source(e: Error, err: &reqwest::Error, from: Option<&str>) -> Error {
    match (e, from) {
        (Error::Network(m), Some(from)) if err.is_connect() && tls_failure(err).is_none() => {
            Error::Network(format!("{m} (the base URL is from {from})"))
        }
        (e, _) => e,
    }
}

/// True when the host name did not resolve: asking again will not make it exist.
pub(super) fn unresolved(err: &reqwest::Error) -> bool {
    let text = format!("{:?}", err);
    text.contains("failed to lookup address") || text.contains("dns error")
}

/// The deepest cause's words, which are the ones that say what happened.
pub(super) fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

pub(super) fn secs(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

/// A 407 can only come from a proxy.
pub(super) fn proxy_auth(proxy: Option<&Proxy>) -> Error {
    let which = proxy.map_or("a proxy".to_owned(), |p| {
        format!("the proxy {}", p.describe())
    });
    Error::Network(format!(
        "{which} asks for credentials (HTTP 407): put them in the proxy URL \
         (http://USER:PASSWORD@HOST:PORT)"
    ))
}

/// The TLS error behind a failure, if there is one. (An `io::Error`'s `source()` skips the
/// error it wraps, so each one is opened by hand.)
pub(super) fn tls_failure<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a rustls::Error> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(c) = cause {
        if let Some(tls) = c.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        cause = match c.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|e| e as &(dyn std::error::Error + 'static)),
            None => c.source(),
        };
    }
    None
}

/// A TLS failure in the user's words, with the way to trust a private CA.
pub(super) fn tls_words(tls: &rustls::Error, host: &str) -> String {
    use rustls::CertificateError as C;
    let what = match tls {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::UnknownIssuer => "its certificate is not signed by an authority this machine \
                 trusts (an untrusted issuer, or self-signed)"
                .to_owned(),
            C::Expired | C::ExpiredContext { .. } => "its certificate has expired".to_owned(),
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "its certificate is not valid yet (check this machine's clock)".to_owned()
            }
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                format!("its certificate is for another host name, not {host}")
            }
            C::Revoked => "its certificate has been revoked".to_owned(),
            other => format!("its certificate was refused ({other:?})"),
        },
        other => format!("the TLS handshake failed: {other}"),
    };
    let set: Vec<String> = ["SSL_CERT_FILE", "SSL_CERT_DIR"]
        .iter()
        .filter_map(|v| {
            crate::env::var_os(v)
                .filter(|x| !x.is_empty())
                .map(|x| format!("{v}={}", std::path::Path::new(&x).display()))
        })
        .collect();
    let advice = match set.is_empty() {
        true => "If the server uses a private CA, point SSL_CERT_FILE at its PEM bundle (or \
                 SSL_CERT_DIR at a folder of them)"
            .to_owned(),
        false => format!(
            "Only the certificates named by {} are trusted, and none of them vouches for this \
             server: add its CA there",
            set.join(" and ")
        ),
    };
    format!("cannot trust {host}: {what}. Not retried. {advice}")
}

/// What a reqwest failure means for the user, and its exit code through [`Error`].
pub(crate) fn classify(err: &reqwest::Error, opts: Options, proxy: Option<&Proxy>) -> Error {
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
    if let Some(tls) = tls_failure(err) {
        let name = err
            .url()
            .and_then(|u| u.host_str())
            .unwrap_or_default()
            .to_owned();
        return Error::Network(tls_words(tls, &name));
    }
    if let Some(p) = proxy
        && err.is_connect()
        && !err.is_timeout()
    {
        let why = root_cause(err);
        if why.contains("proxy authorization required") {
            return proxy_auth(Some(p));
        }
        return Error::Network(format!(
            "cannot reach {host} through the proxy {}: {why}; not retried (check the proxy, \
             or unset {} to connect directly)",
            p.describe(),
            p.var
        ));
    }
    if err.is_redirect() {
        return Error::RedirectRefused(format!("redirect refused: {}", root_cause(err)));
    }
    if err.is_timeout() {
        return match (err.is_connect(), opts.timeout) {
            (true, _) => Error::Network(format!(
                "could not connect to {host} within {} (--connect-timeout)",
                secs(opts.connect_timeout)
            )),
            (false, Some(_)) => timed_out(opts),
            (false, None) => Error::Network(format!("timed out: {}", root_cause(err))),
        };
    }
    if err.is_connect() && unresolved(err) {
        let name = err.url().and_then(|u| u.host_str()).unwrap_or_default();
        return Error::Network(format!(
            "cannot find the host {name}: {}; not retried",
            root_cause(err)
        ));
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

pub(super) fn timed_out(opts: Options) -> Error {
    Error::Network(format!(
        "no complete answer within {} (--timeout); the workflow may still be running",
        secs(opts.timeout.unwrap_or_default())
    ))
}
