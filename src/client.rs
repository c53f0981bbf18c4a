//! Sending: the HTTP client, its timeouts and redirect rule, and what a failure means.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use reqwest::Url;

use crate::credentials::ApiKey;
use crate::error::Error;
use crate::proxy::Proxy;
use crate::request::Request;
use crate::retry::{self, Decision, Outcome, Reason};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    pub(crate) connect_timeout: Duration,
    /// The whole exchange, body included; `None` for no limit.
    pub(crate) timeout: Option<Duration>,
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

/// A client for one origin, and the proxy it goes through (named in errors).
#[derive(Clone)]
pub(crate) struct Http {
    pub(crate) client: reqwest::Client,
    pub(crate) proxy: Option<Arc<Proxy>>,
    pub(crate) opts: Options,
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
        opts,
        from: None,
    })
}

/// The roots an https client trusts, each read once. `SSL_CERT_FILE` when set (and
/// `SSL_CERT_DIR` too, unless it is the folder that file is in: on Debian /etc/ssl/certs holds
/// the same certificates again, one file each, ~150 files); else `SSL_CERT_DIR`; else the
/// system's bundle file alone. `None`: leave it to the platform verifier (macOS, Windows, or no
/// bundle found). A variable that names what cannot be read, or holds no certificate, is an
/// error that says so (exit 2): a mistyped path is never passed over in silence.
#[cfg(all(unix, not(target_os = "macos")))]
fn roots() -> Result<Option<Vec<reqwest::Certificate>>, Error> {
    use std::path::PathBuf;
    let var = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let (env_file, env_dir) = (var("SSL_CERT_FILE"), var("SSL_CERT_DIR"));
    let dir_too = match (&env_file, &env_dir) {
        (Some(f), Some(d)) => f.parent() != Some(d.as_path()),
        _ => true,
    };
    let mut ders = Vec::new();
    if let Some(file) = &env_file {
        ders.extend(trust::file(file).map_err(|why| trust::bad("SSL_CERT_FILE", file, &why))?);
    }
    if let (Some(dir), true) = (&env_dir, dir_too) {
        ders.extend(trust::folder(dir).map_err(|why| trust::bad("SSL_CERT_DIR", dir, &why))?);
    }
    if env_file.is_none() && env_dir.is_none() {
        // The system's bundle: what cannot be read leaves it to the platform.
        if let Some(bundle) = openssl_probe::probe().cert_file {
            ders = trust::file(&bundle).unwrap_or_default();
        }
    }
    let roots: Vec<reqwest::Certificate> = ders
        .iter()
        .filter_map(|der| reqwest::Certificate::from_der(der).ok())
        .collect();
    Ok((!roots.is_empty()).then_some(roots))
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn roots() -> Result<Option<Vec<reqwest::Certificate>>, Error> {
    Ok(None)
}

/// Reading trusted certificates named by `SSL_CERT_FILE` and `SSL_CERT_DIR`: PEM, from
/// regular files of a bounded size (a FIFO would block for ever, `/dev/zero` never end).
#[cfg(all(unix, not(target_os = "macos")))]
mod trust {
    use std::io::Read;
    use std::path::Path;

    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;

    use crate::error::Error;

    /// The largest trust file read (Debian's whole bundle is about 200 KB).
    const MAX_FILE: u64 = 16 * 1024 * 1024;
    /// The most files of a trust folder read.
    const MAX_FILES: usize = 10_000;

    pub(super) fn bad(var: &str, path: &Path, why: &str) -> Error {
        Error::BadInput(format!(
            "{var}={}: {why}; fix or unset {var} (it names the certificate authorities to trust, \
             in PEM)",
            path.display()
        ))
    }

    fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read it: {e}"))?;
        if !meta.is_file() {
            return Err("not a regular file".into());
        }
        if meta.len() > MAX_FILE {
            return Err(format!(
                "{} bytes, more than a trust file holds (at most {MAX_FILE})",
                meta.len()
            ));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read it: {e}"))?;
        Ok(CertificateDer::pem_slice_iter(&bytes)
            .filter_map(Result::ok)
            .collect())
    }

    /// The certificates of one PEM file: at least one.
    pub(super) fn file(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
        let found = certificates(path)?;
        if found.is_empty() {
            return Err("it holds no PEM certificate".into());
        }
        Ok(found)
    }

    /// The certificates of the regular files of a folder (what is not PEM is passed over): at
    /// least one in all.
    pub(super) fn folder(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
        let entries = std::fs::read_dir(path).map_err(|e| format!("cannot read it: {e}"))?;
        let mut found = Vec::new();
        for entry in entries.flatten().take(MAX_FILES) {
            found.extend(certificates(&entry.path()).unwrap_or_default());
        }
        if found.is_empty() {
            return Err("no file in it holds a PEM certificate".into());
        }
        Ok(found)
    }
}

impl Http {
    /// What a failure means for the user, and its exit code through [`Error`].
    pub(crate) fn classify(&self, err: &reqwest::Error) -> Error {
        with_source(
            classify(err, self.opts, self.proxy.as_deref()),
            err,
            self.from.as_deref(),
        )
    }
}

/// A failure to reach the server says where its address came from: most such failures are a
/// mistyped or stale base URL.
fn with_source(e: Error, err: &reqwest::Error, from: Option<&str>) -> Error {
    match (e, from) {
        (Error::Network(m), Some(from)) if err.is_connect() && tls_failure(err).is_none() => {
            Error::Network(format!("{m} (the base URL is from {from})"))
        }
        (e, _) => e,
    }
}

/// True when the host name did not resolve: asking again will not make it exist.
fn unresolved(err: &reqwest::Error) -> bool {
    let text = format!("{:?}", err);
    text.contains("failed to lookup address") || text.contains("dns error")
}

/// When the next request may start, shared by every sender of a process (batch workers): a
/// 429's hold, and with `--rate` an even spacing of starts (a token bucket of one token, so no
/// one-second window ever sees more than the rate).
#[derive(Debug, Clone, Default)]
pub(crate) struct Pacer(Arc<Mutex<Pace>>);

#[derive(Debug, Default)]
struct Pace {
    /// Nobody starts before this (a 429's Retry-After).
    not_before: Option<Instant>,
    /// `--rate`: the time between two starts.
    interval: Option<Duration>,
    /// The next free start slot.
    next_slot: Option<Instant>,
}

impl Pacer {
    /// A pacer that starts at most one request per `interval`.
    pub(crate) fn with_interval(interval: Duration) -> Pacer {
        Pacer(Arc::new(Mutex::new(Pace {
            interval: Some(interval),
            ..Pace::default()
        })))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pace> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Nobody sends for `wait` from now (a later hold already in force stays). True when this
    /// makes the hold longer by more than a second: the caller says so, once for many workers.
    pub(crate) fn hold(&self, wait: Duration) -> bool {
        let until = Instant::now() + wait;
        let mut pace = self.lock();
        let longer = pace
            .not_before
            .is_none_or(|t| until > t + Duration::from_secs(1));
        if pace.not_before.is_none_or(|t| t < until) {
            pace.not_before = Some(until);
        }
        longer
    }

    /// Waits until this request may start: past any hold, and at its own slot under a rate.
    pub(crate) async fn ready(&self) {
        loop {
            let now = Instant::now();
            let (hold, slot) = self.take_slot(now);
            if let Some(t) = hold {
                tokio::time::sleep_until(t.into()).await;
                continue;
            }
            let Some(slot) = slot else { return };
            if slot > now {
                tokio::time::sleep_until(slot.into()).await;
            }
            // A hold that began while this waited for its slot is honoured too.
            if self.lock().not_before.is_none_or(|t| t <= Instant::now()) {
                return;
            }
        }
    }

    /// The hold in force at `now`, or else this request's start slot (none without a rate).
    fn take_slot(&self, now: Instant) -> (Option<Instant>, Option<Instant>) {
        let mut pace = self.lock();
        if let Some(t) = pace.not_before.filter(|t| *t > now) {
            return (Some(t), None);
        }
        let Some(interval) = pace.interval else {
            return (None, None);
        };
        let slot = pace.next_slot.map_or(now, |s| s.max(now));
        pace.next_slot = Some(slot + interval);
        (None, Some(slot))
    }
}

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

fn timed_out(opts: Options) -> Error {
    Error::Network(format!(
        "no complete answer within {} (--timeout); the workflow may still be running",
        secs(opts.timeout.unwrap_or_default())
    ))
}

/// A single-threaded runtime: one process sends one run, or a batch of concurrent ones, and
/// waits on the network, not on the CPU.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))
}

/// Runs async work on a fresh runtime; Ctrl-C ends it at once with [`Error::Interrupted`],
/// SIGTERM or SIGHUP with [`Error::Terminated`]. The signals are caught before the work starts
/// (so a spinner it shows is always cleared).
pub(crate) fn block_on<T>(
    work: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    runtime()?.block_on(async {
        let mut stop = Stop::new()?;
        tokio::select! {
            biased;
            e = stop.recv() => Err(e.into()),
            result = work => result,
        }
    })
}

/// The signals that stop miiflow, caught from the moment this is made (inside a runtime).
pub(crate) struct Stop {
    #[cfg(unix)]
    signals: [(tokio::signal::unix::Signal, Error); 3],
}

impl Stop {
    pub(crate) fn new() -> anyhow::Result<Stop> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let catch =
                |kind| signal(kind).map_err(|e| anyhow::anyhow!("cannot catch signals: {e}"));
            Ok(Stop {
                signals: [
                    (catch(SignalKind::interrupt())?, Error::Interrupted),
                    (catch(SignalKind::terminate())?, Error::Terminated),
                    (catch(SignalKind::hangup())?, Error::Terminated),
                ],
            })
        }
        #[cfg(not(unix))]
        Ok(Stop {})
    }

    /// Resolves with the error that stopping means: Ctrl-C is [`Error::Interrupted`]; SIGTERM
    /// and SIGHUP are [`Error::Terminated`]. Work in progress is then dropped, so temporary
    /// files go, as on Ctrl-C.
    pub(crate) async fn recv(&mut self) -> Error {
        #[cfg(unix)]
        {
            let [(int, _), (term, _), (hup, _)] = &mut self.signals;
            tokio::select! {
                _ = int.recv() => Error::Interrupted,
                _ = term.recv() => Error::Terminated,
                _ = hup.recv() => Error::Terminated,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Error::Interrupted
        }
    }
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

/// A 407 can only come from a proxy.
fn proxy_auth(proxy: Option<&Proxy>) -> Error {
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
fn tls_failure<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
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
fn tls_words(tls: &rustls::Error, host: &str) -> String {
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
            std::env::var_os(v)
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
